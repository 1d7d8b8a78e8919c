import type { ComponentSummary } from './component';

/** Namespaces Kubernetes and Flux own on every cluster. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'flux-system'] as const;

/**
 * The platform's namespaces on one cluster: Kubernetes' and Flux's own plus every enabled
 * component's. Everything else belongs to users (policies apply, backups of user data cover it);
 * `default` counts as a user namespace on purpose, since that is where careless workloads land.
 */
export function platformNamespaces(enabled: readonly ComponentSummary[]): string[] {
  return [...new Set([...SYSTEM_NAMESPACES, ...enabled.map((c) => c.namespace)])].sort();
}
