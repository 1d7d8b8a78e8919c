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
