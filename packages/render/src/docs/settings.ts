import { CATALOG, componentSettings } from '@ck8s/components';
import type { ClusterConfig } from '@ck8s/config';
import type { ClusterPlan } from '../plan';

/** A component's effective settings on a cluster, when it runs there (undefined when it is off or not planned). */
export function settingsOn(plan: ClusterPlan | undefined, name: string): Record<string, unknown> | undefined {
  const c = plan?.components.find((x) => x.component.name === name);
  return c ? componentSettings(c.component, plan!.cluster.settings.components) : undefined;
}

/** A component's settings on a cluster whatever it is enabled (for the role's components that are off). */
export function settingsOf(cluster: ClusterConfig, name: string): Record<string, unknown> | undefined {
  const c = CATALOG.find((x) => x.name === name);
  return c ? componentSettings(c, cluster.settings.components) : undefined;
}

/** A value at a dotted path of a settings object. */
export function at(settings: Record<string, unknown> | undefined, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), settings);
}

/** A setting as a README shows it: lists joined, empty lists and strings as "none". */
export function show(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : 'none';
  if (v === '' || v === undefined || v === null) return 'none';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'object')
    return (
      Object.entries(v as object)
        .map(([k, x]) => `${k}: ${show(x)}`)
        .join(', ') || 'none'
    );
  return String(v);
}
