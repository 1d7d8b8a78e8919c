import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { SecretRequirement } from './component';
import { endpoints } from './hosts';
import { MONITORING_NAMESPACE } from './platform-namespaces';

/**
 * The contract between workload and management clusters: what each workload cluster pushes where,
 * under which identity. Both sides derive names from here, so adding a workload cluster to the
 * config re-renders the sender and the receiver consistently.
 */
export function workloadClusters(env: EnvironmentConfig): ClusterConfig[] {
  return env.clusters.filter((c) => c.role === 'workload');
}

/**
 * The management cluster's Alertmanager seen from inside that cluster (the Prometheus operator's
 * Service of kube-prometheus-stack's Alertmanager): Falco, the Thanos ruler and the management
 * cluster's Flux notifications post there directly.
 */
export const IN_CLUSTER_ALERTMANAGER_URL = `http://alertmanager-operated.${MONITORING_NAMESPACE}.svc:9093`;

/** Log indices per workload cluster: application, Kubernetes audit and node auth logs. */
export const LOG_STREAMS = ['kubernetes', 'kubeaudit', 'authlog'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

export function logIndex(stream: LogStream, clusterName: string): string {
  return `${stream}-${clusterName}`;
}

export interface PushTarget {
  url: string;
  /** Secret on the sending side (workload cluster), keys `username` and `password`. */
  senderSecret: string;
  username: string;
  /** `shareAs` id: the generator gives sender and receiver the same password. */
  share: string;
}

/** Prometheus remote-write into Thanos receive, one tenant per workload cluster. */
export function metricsTarget(env: EnvironmentConfig, cluster: string): PushTarget & { tenant: string } {
  return {
    url: `https://${endpoints(env).thanosReceive}/api/v1/receive`,
    senderSecret: 'thanos-remote-write',
    username: `writer-${cluster}`,
    share: `thanos-writer-${cluster}`,
    tenant: cluster,
  };
}

/** Log shipping into OpenSearch with a write-only user per workload cluster. */
export function logsTarget(env: EnvironmentConfig, cluster: string): PushTarget {
  return {
    url: `https://${endpoints(env).opensearch}`,
    senderSecret: 'opensearch-writer',
    username: `writer-${cluster}`,
    share: `opensearch-writer-${cluster}`,
  };
}

/** Alerts (Falco via falcosidekick, Flux) into the management cluster's Alertmanager. */
export function alertsTarget(env: EnvironmentConfig, cluster: string): PushTarget {
  return {
    url: `https://${endpoints(env).alertmanager}`,
    senderSecret: 'alertmanager-writer',
    username: `writer-${cluster}`,
    share: `alertmanager-writer-${cluster}`,
  };
}

/**
 * The sending side's Secret of a push target (keys `username`/`password`): the password shares its
 * `shareAs` with the receiving side's htpasswd line or user, so the generator makes them match.
 */
export function senderSecret(target: PushTarget, namespace: string, purpose: string): SecretRequirement {
  return {
    name: target.senderSecret,
    namespace,
    keys: ['username', 'password'],
    description: `${purpose} (user ${target.username})`,
    generate: { username: { type: 'literal', value: target.username }, password: { type: 'random', shareAs: target.share } },
  };
}
