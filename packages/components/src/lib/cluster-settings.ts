import type { z } from 'zod';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';

/** camelCase config key of a component (`cert-manager` → `certManager`). */
export function settingsKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A component's settings as the loader resolved them on a cluster; undefined when the catalog has no such component. */
function resolvedSettings(cluster: ClusterConfig | undefined, component: string): Record<string, unknown> | undefined {
  return (cluster?.settings.components as Record<string, Record<string, unknown> | undefined> | undefined)?.[settingsKey(component)];
}

/**
 * A typed reader of one component's settings, for that component to export (`thanosSettings(cluster)`
 * from thanos/): the only way another component reads them, for the few places that must look past
 * `isEnabled` (a setting of another component, or a component on another cluster). The type is the
 * owner's schema; a catalog without the component (test catalogs) reads the schema's defaults.
 */
export function settingsAccessor<T extends z.ZodType>(component: string, schema: T): (cluster: ClusterConfig) => z.output<T> {
  let defaults: z.output<T> | undefined;
  return (cluster) => (resolvedSettings(cluster, component) as z.output<T> | undefined) ?? (defaults ??= schema.parse({}));
}

/** Whether a component is enabled on a cluster (also on another cluster than the one rendering), read from its settings. */
export function enabledOn(cluster: ClusterConfig | undefined, component: string): boolean {
  return resolvedSettings(cluster, component)?.enabled === true;
}

/** The environment's management cluster (the config allows exactly one). */
export function managementCluster(env: EnvironmentConfig): ClusterConfig | undefined {
  return env.clusters.find((c) => c.role === 'management');
}
