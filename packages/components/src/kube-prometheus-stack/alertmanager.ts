import type { EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import type { Settings } from './settings';

/** Secrets Alertmanager mounts at /etc/alertmanager/secrets/<name>/<key> (the `*_file` fields read them). */
export const RECEIVERS_SECRET = 'alertmanager-receivers';
export const HEARTBEAT_SECRET = 'alertmanager-heartbeat';
const secretFile = (secret: string, key: string) => `/etc/alertmanager/secrets/${secret}/${key}`;

type AlertmanagerSettings = Settings['alertmanager'];

function receiver(r: AlertmanagerSettings['receivers'][number]): JsonObject {
  const file = secretFile(RECEIVERS_SECRET, r.name);
  switch (r.type) {
    case 'slack':
      return { name: r.name, slack_configs: [{ api_url_file: file, send_resolved: r.sendResolved, ...(r.channel ? { channel: r.channel } : {}) }] };
    case 'opsgenie':
      return { name: r.name, opsgenie_configs: [{ api_key_file: file, send_resolved: r.sendResolved }] };
    case 'webhook':
      return { name: r.name, webhook_configs: [{ url_file: file, send_resolved: r.sendResolved }] };
  }
}

/** The receiver that takes whatever no more specific route takes. */
export function defaultReceiver(s: AlertmanagerSettings): string {
  if (s.defaultReceiver) return s.defaultReceiver;
  return s.receivers[0]?.name ?? 'null';
}

/** Every receiver name a route may refer to. */
export function receiverNames(s: AlertmanagerSettings, clusters: string[]): string[] {
  return ['null', ...s.receivers.map((r) => r.name), ...(s.heartbeat.enabled ? clusters.map((c) => `heartbeat-${c}`) : [])];
}

// Alerts from several clusters meet here, so inhibition only applies within one cluster.
const INHIBIT_RULES: { source_matchers?: string[]; target_matchers: string[]; equal?: string[] }[] = [
  { source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['cluster', 'namespace', 'alertname'] },
  { source_matchers: ['severity = warning'], target_matchers: ['severity = info'], equal: ['cluster', 'namespace', 'alertname'] },
  { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['cluster', 'namespace'] },
  { target_matchers: ['alertname = InfoInhibitor'] },
];

/**
 * The management cluster's Alertmanager: alerts of every cluster (its own Prometheus, workload
 * Prometheus instances, Falco, Flux) arrive labelled `cluster=<name>`. Each cluster gets its own route
 * (and optionally receiver); in prod each cluster's Watchdog feeds its own dead man's switch, so a
 * silent cluster is noticed even while the others keep reporting.
 */
export function managementAlertmanagerConfig(env: EnvironmentConfig, s: AlertmanagerSettings): JsonObject {
  const clusters = env.clusters.map((c) => c.name);
  const known = new Set(receiverNames(s, clusters));
  const pick = (name: string | undefined) => (name && known.has(name) ? name : defaultReceiver(s));
  const heartbeats = s.heartbeat.enabled
    ? clusters.map((c) => ({
        receiver: `heartbeat-${c}`,
        matchers: ['alertname = "Watchdog"', `cluster = "${c}"`],
        group_wait: '0s',
        group_interval: '1m',
        repeat_interval: s.heartbeat.repeatInterval,
      }))
    : [];
  const routes = [
    ...heartbeats,
    // Watchdog is always firing: without a heartbeat it is noise.
    { receiver: 'null', matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] },
    ...clusters.map((c) => ({ receiver: pick(s.clusterReceivers[c]), matchers: [`cluster = "${c}"`] })),
  ];
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: pick(undefined),
      group_by: ['cluster', 'namespace', 'alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes,
    },
    receivers: [
      { name: 'null' },
      ...s.receivers.map(receiver),
      ...(s.heartbeat.enabled
        ? clusters.map((c) => ({ name: `heartbeat-${c}`, webhook_configs: [{ url_file: secretFile(HEARTBEAT_SECRET, c), send_resolved: false }] }))
        : []),
    ],
    inhibit_rules: INHIBIT_RULES as JsonObject[],
  };
}

/**
 * The workload cluster's Alertmanager belongs to the application developers: platform alerts go to
 * the management cluster, so the root route drops everything and each team adds AlertmanagerConfig
 * objects in its namespaces (the operator scopes them to that namespace's alerts).
 */
export function userAlertmanagerConfig(): JsonObject {
  return {
    global: { resolve_timeout: '5m' },
    route: { receiver: 'null', group_by: ['namespace', 'alertname'], routes: [] },
    receivers: [{ name: 'null' }],
    inhibit_rules: INHIBIT_RULES.map((r) => ({ ...r, ...(r.equal ? { equal: r.equal.filter((l) => l !== 'cluster') } : {}) })) as JsonObject[],
  };
}

/**
 * The users' Alertmanager reads the teams' AlertmanagerConfig objects from every namespace that is not the
 * platform's, each matching only alerts of its own namespace (`OnNamespace`), so one team's receiver never
 * sees another team's alerts.
 */
export function userAlertmanagerSelection(platformNamespaces: readonly string[]): JsonObject {
  return {
    alertmanagerConfigSelector: {},
    alertmanagerConfigNamespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...platformNamespaces] }] },
    alertmanagerConfigMatcherStrategy: { type: 'OnNamespace' },
  };
}
