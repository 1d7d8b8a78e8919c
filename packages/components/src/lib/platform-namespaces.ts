import type { ComponentSummary } from './component';

/** Namespaces Kubernetes and Flux own on every cluster. */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'flux-system'] as const;

/**
 * Namespaces other components reach by name (NetworkPolicy peers, in-cluster URLs). The component
 * that runs there declares its namespace with the same constant, so the two cannot drift apart.
 */
/** kube-prometheus-stack (Prometheus, Alertmanager, ops Grafana) and the blackbox exporter. */
export const MONITORING_NAMESPACE = 'monitoring';
/** The ingress controller. */
export const INGRESS_NAMESPACE = 'ingress';
/** The user Grafana. */
export const USER_GRAFANA_NAMESPACE = 'grafana';

/**
 * The platform's namespaces on one cluster: Kubernetes' and Flux's own plus every enabled
 * component's. Everything else belongs to users (policies apply, backups of user data cover it);
 * `default` counts as a user namespace on purpose, since that is where careless workloads land.
 */
export function platformNamespaces(enabled: readonly ComponentSummary[]): string[] {
  return [...new Set([...SYSTEM_NAMESPACES, ...enabled.map((c) => c.namespace)])].sort();
}
