import { z } from 'zod';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { enabledOn } from '../lib/cluster-settings';
import { defineComponent } from '../lib/component';
import { allow, PROMETHEUS_SELECTOR_LABELS, resources } from '../lib/objects';
import { LOG_STREAMS } from '../lib/wiring';
import { logWriters } from '../opensearch/security';
import { snapshotPlan } from '../opensearch/snapshots';
import { CA_BUNDLE_FILE, CA_BUNDLE_SECRET, METRICS_SECRET, METRICS_USER, OPENSEARCH_NS, opensearchUrl } from '../opensearch/names';
import { LOG_DELIVERY_ALERTS, OPENSEARCH_ALERTS } from './alerts';

export { LOG_DELIVERY_ALERTS, OPENSEARCH_ALERTS } from './alerts';

const C = 'opensearch-exporter';
const PORT = 9108;

const settings = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe("Export OpenSearch health, node, index and snapshot metrics to Prometheus, with the log store's alerts (needs opensearch on the cluster)"),
  heapWarningPercent: z.number().int().min(50).max(99).default(85).describe("Alert when a node's JVM heap stays above this share (OpenSearchJvmHeapHigh)"),
  shardsWarningPercent: z
    .number()
    .int()
    .min(10)
    .max(99)
    .default(80)
    .describe('Alert when the cluster holds more than this share of cluster.max_shards_per_node × data nodes (OpenSearchShardsNearLimit)'),
  snapshotMaxAgeHours: z.number().int().min(1).default(26).describe('Alert when the newest successful snapshot is older than this (OpenSearchSnapshotTooOld)'),
  logsMissingMinutes: z
    .number()
    .int()
    .min(5)
    .max(1440)
    .default(30)
    .describe("Alert when a cluster's log stream has reached no index for this long (LogsMissingFromCluster)"),
  logStreams: z
    .array(z.enum(LOG_STREAMS))
    .default(['kubernetes', 'kubeaudit'])
    .describe('Streams that must keep arriving from every shipping cluster (authlog can be silent for hours on a quiet node)'),
});

/** The opensearch settings the alerts follow (read from the same cluster: the exporter runs next to OpenSearch). */
interface OpenSearchView {
  enabled?: boolean;
  retentionDays: number;
  rolloverSize: string;
  snapshots: { enabled: boolean; s3Endpoint: string };
  httpTls: boolean;
}
const opensearchOf = (cluster: ClusterConfig) => (cluster.settings.components as Record<string, unknown>).opensearch as OpenSearchView | undefined;

/** `1gb`/`500mb` (opensearch.rolloverSize) in bytes. */
export function sizeBytes(size: string): number {
  const m = /^([0-9]+)(mb|gb)$/.exec(size);
  if (!m) throw new Error(`not a rollover size: ${size}`);
  return Number(m[1]) * (m[2] === 'gb' ? 1e9 : 1e6);
}

/** Clusters whose logs this OpenSearch receives, with the streams that must keep arriving from each (only where Fluent Bit runs). */
function expectedStreams(env: EnvironmentConfig, streams: readonly string[]) {
  return logWriters(env)
    .filter((name) =>
      enabledOn(
        env.clusters.find((c) => c.name === name),
        'fluent-bit',
      ),
    )
    .flatMap((cluster) => streams.map((stream) => ({ cluster, stream })));
}

/**
 * prometheus-elasticsearch-exporter next to OpenSearch: it reads the monitoring APIs as its own
 * internal user (`metrics`, role `metrics-reader`: no documents), and this component owns the log
 * store's alerts (health, heap, disk watermarks, shard limit, snapshots, index lifecycle) and the
 * per-cluster log delivery alert. The user and its password Secret come with the opensearch
 * component (its configurer creates the user), so they exist before the exporter starts.
 */
export const opensearchExporter = defineComponent({
  name: C,
  description: 'Prometheus exporter for OpenSearch, with the log store and log delivery alerts',
  roles: ['management'],
  namespace: OPENSEARCH_NS,
  podSecurity: 'baseline',
  chart: 'prometheus-elasticsearch-exporter',
  dependsOn: ['namespaces', 'kube-prometheus-stack', 'opensearch'],
  alerts: [OPENSEARCH_ALERTS, LOG_DELIVERY_ALERTS],
  controls: ['MSBFS 2020:7 4 kap. 16 §', 'ISO 27001 A.12.4.1', 'NIST SP 800-171 3.3.1'],
  settings,
  checkSettings(s, _env, cluster) {
    return s.enabled && !enabledOn(cluster, 'opensearch')
      ? [{ path: ['enabled'], message: 'the exporter reads the OpenSearch of its own cluster, which has opensearch.enabled false: disable it too' }]
      : [];
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const os = opensearchOf(cluster);
    const tls = os?.httpTls ?? false;
    // Snapshots run only where opensearch finds a repository for its object storage (the same plan it renders).
    const snapshots = !!os?.snapshots.enabled && snapshotPlan(env, cluster, os.snapshots.s3Endpoint) !== undefined;
    const values: JsonObject = {
      es: {
        uri: opensearchUrl(tls),
        // Verify OpenSearch's certificate against the platform CA (never sslSkipVerify); no client certificate.
        ...(tls ? { ssl: { enabled: true, useExistingSecrets: true, ca: { path: `/ssl/${CA_BUNDLE_FILE}` }, client: { enabled: false } } } : {}),
        all: true,
        indices: true,
        indices_settings: true,
        indices_mappings: false,
        shards: true,
        snapshots,
        // Watermarks and cluster.max_shards_per_node, for the disk and shard alerts.
        cluster_settings: true,
        // Elasticsearch-only APIs; OpenSearch's lifecycle is ISM, watched through index age and size instead.
        ilm: false,
        slm: false,
      },
      env: { ES_USERNAME: METRICS_USER },
      extraEnvSecrets: { ES_PASSWORD: { secret: METRICS_SECRET, key: 'password' } },
      resources: resources('10m', '32Mi', '128Mi'),
      ...(tls ? { secretMounts: [{ name: 'opensearch-ca', secretName: CA_BUNDLE_SECRET, path: '/ssl' }] } : {}),
      serviceMonitor: { enabled: monitored, labels: PROMETHEUS_SELECTOR_LABELS },
    };
    const groups = os
      ? [
          alertsWith(OPENSEARCH_ALERTS, {
            heapPercent: s.heapWarningPercent,
            shardsPercent: s.shardsWarningPercent,
            snapshots,
            snapshotMaxAgeHours: s.snapshotMaxAgeHours,
            retentionDays: os.retentionDays,
            rolloverBytes: sizeBytes(os.rolloverSize),
          }),
        ]
      : [];
    const expected = expectedStreams(env, s.logStreams);
    if (expected.length) groups.push(alertsWith(LOG_DELIVERY_ALERTS, { expected, minutes: s.logsMissingMinutes }));
    return {
      values,
      objects: [
        ...(monitored ? [allow.fromMonitoring(C, OPENSEARCH_NS, [{ port: PORT }], {}, 'allow-metrics-exporter')] : []),
        ...alertRules(ctx, C, OPENSEARCH_NS, groups),
      ],
    };
  },
});
