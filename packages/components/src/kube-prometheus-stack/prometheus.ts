import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import { endpoints } from '../lib/hosts';
import { exactAlternatives, type RelabelConfig } from '../lib/relabel';
import { VELERO_EXCLUDE_VOLUMES } from '../lib/backups';
import { alertsTarget, metricsTarget } from '../lib/wiring';
import { PROMETHEUS_DB_VOLUME } from './backups';
import type { Settings } from './settings';

const storage = (storageClass: string, size: string): JsonObject => ({
  volumeClaimTemplate: { spec: { storageClassName: storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } },
});

/** Prometheus' mount point for `prometheusSpec.secrets`. */
const secretFile = (secret: string, key: string) => `/etc/prometheus/secrets/${secret}/${key}`;

/**
 * Prometheus for either role. Both pick up every ServiceMonitor/PodMonitor/PrometheusRule in the
 * cluster (other charts do not carry this release's label), label their series with the cluster
 * name, and keep a short local retention. A workload cluster's Prometheus additionally remote-writes
 * into Thanos on the management cluster (its own tenant) and sends alerts to the management
 * cluster's Alertmanager next to its local, user-facing one; the management cluster's Prometheus
 * writes to Thanos in-cluster when Thanos runs there.
 */
/** The object kinds prometheus-operator stamps with their namespace of origin when enforcement is on. */
const ENFORCED_RESOURCES = ['prometheusrules', 'servicemonitors', 'podmonitors', 'probes'];

/**
 * Which alerts a workload cluster sends to the operators (the management Alertmanager): those without a
 * namespace (nodes, the cluster itself) and those about platform namespaces. Alerts of users' own rules
 * always carry their namespace (enforced below), so they stay on the cluster, where the users'
 * Alertmanager routes them with the teams' AlertmanagerConfigs; so do the platform's alerts about users'
 * workloads (a crash-looping pod in a user namespace is the team's to fix).
 */
export function operatorAlertRelabeling(platformNamespaces: readonly string[]): RelabelConfig[] {
  return [{ source_labels: ['namespace'], regex: `|${exactAlternatives(platformNamespaces)}`, action: 'keep' }];
}

/**
 * Users' PrometheusRules and monitors get `namespace=<their namespace>` forced onto every alert and series,
 * so a team can neither reach the operators' routes nor pass its metrics off as another namespace's.
 * The platform's own objects keep their labels (kube-state-metrics' `namespace` names the object it
 * describes, not where it runs).
 */
function namespaceEnforcement(platformNamespaces: readonly string[]): JsonObject {
  return {
    enforcedNamespaceLabel: 'namespace',
    excludedFromEnforcement: platformNamespaces.flatMap((namespace) =>
      ENFORCED_RESOURCES.map((resource) => ({ group: 'monitoring.coreos.com', resource, namespace })),
    ),
  };
}

export function prometheusSpec(
  env: EnvironmentConfig,
  cluster: ClusterConfig,
  s: Settings['prometheus'],
  platformNamespaces: readonly string[],
  thanosReceive?: string,
): JsonObject {
  const spec: JsonObject = {
    replicas: s.replicas,
    retention: s.retention,
    ...(s.retentionSize ? { retentionSize: s.retentionSize } : {}),
    externalLabels: { cluster: cluster.name },
    storageSpec: storage(cluster.settings.storage.storageClass, s.storageSize),
    resources: { requests: { cpu: s.replicas > 1 ? '500m' : '200m', memory: s.memory }, limits: { memory: s.memory } },
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
    scrapeConfigSelectorNilUsesHelmValues: false,
  };
  if (cluster.role === 'management' && thanosReceive) {
    // In-cluster: the management cluster's own metrics go to Thanos as its own tenant, without the ingress.
    spec.remoteWrite = [{ name: 'thanos', url: thanosReceive, headers: { 'THANOS-TENANT': cluster.name } }];
    // Thanos holds the copy of these metrics: Velero's file-level backup skips the TSDB volume.
    spec.podMetadata = { annotations: { [VELERO_EXCLUDE_VOLUMES]: PROMETHEUS_DB_VOLUME } };
  }
  if (cluster.role === 'workload') {
    const metrics = metricsTarget(env, cluster.name);
    const alerts = alertsTarget(env, cluster.name);
    spec.remoteWrite = [
      {
        name: 'management-thanos',
        url: metrics.url,
        headers: { 'THANOS-TENANT': metrics.tenant },
        basicAuth: { username: { name: metrics.senderSecret, key: 'username' }, password: { name: metrics.senderSecret, key: 'password' } },
      },
    ];
    spec.secrets = [alerts.senderSecret];
    Object.assign(spec, namespaceEnforcement(platformNamespaces));
    spec.additionalAlertManagerConfigs = [
      {
        alert_relabel_configs: operatorAlertRelabeling(platformNamespaces) as unknown as JsonObject[],
        scheme: 'https',
        api_version: 'v2',
        basic_auth: { username_file: secretFile(alerts.senderSecret, 'username'), password_file: secretFile(alerts.senderSecret, 'password') },
        static_configs: [{ targets: [`${endpoints(env).alertmanager}:443`] }],
      },
    ];
  }
  return spec;
}
