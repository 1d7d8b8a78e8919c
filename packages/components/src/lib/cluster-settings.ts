import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';

/** camelCase config key of a component (`cert-manager` → `certManager`). */
export function settingsKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Another component's resolved settings on a cluster. For the few places that must look past
 * `isEnabled`: a setting of another component (Thanos's query ingress), or a component on another
 * cluster (what the management cluster serves, seen from a workload cluster).
 */
export function settingsOf<T extends object = Record<string, unknown>>(cluster: ClusterConfig | undefined, component: string): (T & { enabled?: boolean }) | undefined {
  return (cluster?.settings.components as Record<string, (T & { enabled?: boolean }) | undefined> | undefined)?.[settingsKey(component)];
}

/** Whether a component is enabled on a cluster, read from its settings. */
export function enabledOn(cluster: ClusterConfig | undefined, component: string): boolean {
  return settingsOf(cluster, component)?.enabled === true;
}

/** The environment's management cluster (the config allows exactly one). */
export function managementCluster(env: EnvironmentConfig): ClusterConfig | undefined {
  return env.clusters.find((c) => c.role === 'management');
}
