import type { EnvironmentConfig } from '@ck8s/config';

/** Operator endpoints live under the ops domain, user endpoints under the base domain. */
export function opsHost(env: EnvironmentConfig, service: string): string {
  return `${service}.${env.opsDomain}`;
}

export function userHost(env: EnvironmentConfig, service: string): string {
  return `${service}.${env.domain}`;
}

/**
 * Every public endpoint of an environment, in one place: the management cluster serves them, the
 * workload clusters push to them, the docs list them. Components never spell hostnames themselves.
 */
export function endpoints(env: EnvironmentConfig) {
  return {
    /** Ops Grafana (platform administrators). */
    opsGrafana: opsHost(env, 'grafana'),
    /** User Grafana (application developers). */
    grafana: userHost(env, 'grafana'),
    alertmanager: opsHost(env, 'alertmanager'),
    /** Thanos receive: workload clusters' Prometheus remote-write target. */
    thanosReceive: opsHost(env, 'thanos-receiver'),
    thanosQuery: opsHost(env, 'thanos'),
    /** OpenSearch API: workload clusters' log shipping target. */
    opensearch: opsHost(env, 'opensearch'),
    opensearchDashboards: userHost(env, 'opensearch'),
    harbor: userHost(env, 'harbor'),
    dex: userHost(env, 'dex'),
  } as const;
}

export type Endpoints = ReturnType<typeof endpoints>;

export interface EndpointInfo {
  /** Component that serves the endpoint (on the management cluster); the endpoint exists only when it is enabled. */
  component: string;
  title: string;
  audience: 'operators' | 'application developers' | 'workload clusters';
}

/** Who serves each endpoint and for whom, for the environment README. */
export const ENDPOINT_INFO: Record<keyof Endpoints, EndpointInfo> = {
  opsGrafana: { component: 'kube-prometheus-stack', title: 'Grafana (operators)', audience: 'operators' },
  grafana: { component: 'user-grafana', title: 'Grafana (application developers)', audience: 'application developers' },
  alertmanager: { component: 'kube-prometheus-stack', title: 'Alertmanager', audience: 'operators' },
  thanosReceive: { component: 'thanos', title: 'Thanos receive (remote write)', audience: 'workload clusters' },
  thanosQuery: { component: 'thanos', title: 'Thanos query', audience: 'operators' },
  opensearch: { component: 'opensearch', title: 'OpenSearch API (log ingest)', audience: 'workload clusters' },
  opensearchDashboards: { component: 'opensearch-dashboards', title: 'OpenSearch Dashboards', audience: 'application developers' },
  harbor: { component: 'harbor', title: 'Harbor registry', audience: 'application developers' },
  dex: { component: 'dex', title: 'Dex (single sign-on)', audience: 'application developers' },
};
