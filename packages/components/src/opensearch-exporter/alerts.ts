import { missingMembers, promRegexLiteral } from '../lib/alerts/promql';
import { defineAlertGroup } from '../lib/alerts/rules';

const HOUR = 3600;
const DAY = 86400;
/** The log indices the platform manages (write aliases `<stream>-<cluster>` and their `-00000N` indices). */
const LOG_INDICES = 'index=~"(kubernetes|kubeaudit|authlog)-.+"';
/** A cluster setting the exporter reports as a ratio, or OpenSearch's default when it is unset or given in bytes. */
const settingRatio = (metric: string, fallback: number) => `scalar(max(${metric}) > 0 or vector(${fallback}))`;
const diskUsed = 'max by (name) (1 - elasticsearch_filesystem_data_available_bytes / elasticsearch_filesystem_data_size_bytes)';

export interface OpenSearchAlertParams {
  heapPercent: number;
  shardsPercent: number;
  snapshots: boolean;
  snapshotMaxAgeHours: number;
  retentionDays: number;
  /** Bytes at which the lifecycle rolls a write index over (opensearch.rolloverSize). */
  rolloverBytes: number;
}

const node = (metric: string, values: string, extra = '') => ({ series: `${metric}{name="opensearch-cluster-master-0"${extra}}`, values });
const NODE = { name: 'opensearch-cluster-master-0' };
const disk = (availablePercent: number) => [
  node('elasticsearch_filesystem_data_size_bytes', '100x40'),
  node('elasticsearch_filesystem_data_available_bytes', `${availablePercent}x40`),
];

/** The log store's own health, from prometheus-elasticsearch-exporter (management cluster). */
export const OPENSEARCH_ALERTS = defineAlertGroup<OpenSearchAlertParams>({
  name: 'opensearch',
  title: 'OpenSearch log store',
  example: { heapPercent: 85, shardsPercent: 80, snapshots: true, snapshotMaxAgeHours: 26, retentionDays: 30, rolloverBytes: 1e9 },
  alerts: [
    {
      alert: 'OpenSearchClusterRed',
      severity: 'critical',
      summary: 'OpenSearch cluster health is red',
      description: 'At least one primary shard is unassigned: some indices cannot be written or read, and log shipping to them fails.',
      expr: () => 'max(elasticsearch_cluster_health_status{color="red"}) == 1',
      for: '5m',
      tests: {
        fires: { series: [{ series: 'elasticsearch_cluster_health_status{color="red"}', values: '0 1x20' }], at: '10m', labels: {} },
        silent: {
          series: [
            { series: 'elasticsearch_cluster_health_status{color="red"}', values: '0x20' },
            { series: 'elasticsearch_cluster_health_status{color="yellow"}', values: '1x20' },
          ],
          at: '10m',
        },
      },
    },
    {
      alert: 'OpenSearchClusterYellow',
      severity: 'warning',
      summary: 'OpenSearch cluster health is yellow',
      description: 'Replica shards have been unassigned for 30 minutes: one more node failure can lose data.',
      expr: () => 'max(elasticsearch_cluster_health_status{color="yellow"}) == 1',
      for: '30m',
      tests: {
        fires: { series: [{ series: 'elasticsearch_cluster_health_status{color="yellow"}', values: '0 1x40' }], at: '40m', labels: {} },
        silent: { series: [{ series: 'elasticsearch_cluster_health_status{color="yellow"}', values: '0 1x10 0x30' }], at: '40m' },
      },
    },
    {
      alert: 'OpenSearchJvmHeapHigh',
      severity: 'warning',
      summary: 'OpenSearch node {{ $labels.name }} is short of JVM heap',
      description:
        'The JVM heap of {{ $labels.name }} has stayed above opensearchExporter.heapWarningPercent for 15 minutes: expect long garbage ' +
        'collections, rejected requests and circuit breaker errors.',
      expr: (p) =>
        `max by (name) (elasticsearch_jvm_memory_used_bytes{area="heap"} / elasticsearch_jvm_memory_max_bytes{area="heap"}) > ${p.heapPercent / 100}`,
      for: '15m',
      tests: {
        fires: {
          series: [node('elasticsearch_jvm_memory_max_bytes', '100x30', ',area="heap"'), node('elasticsearch_jvm_memory_used_bytes', '95x30', ',area="heap"')],
          at: '20m',
          labels: NODE,
        },
        silent: {
          series: [node('elasticsearch_jvm_memory_max_bytes', '100x30', ',area="heap"'), node('elasticsearch_jvm_memory_used_bytes', '60x30', ',area="heap"')],
          at: '20m',
        },
      },
    },
    {
      alert: 'OpenSearchDiskHighWatermark',
      severity: 'warning',
      summary: 'OpenSearch node {{ $labels.name }} is above the high disk watermark',
      description:
        'The data disk of {{ $labels.name }} is fuller than cluster.routing.allocation.disk.watermark.high: OpenSearch moves shards ' +
        'away from it and allocates no new ones there.',
      expr: () => `${diskUsed} > ${settingRatio('elasticsearch_clustersettings_allocation_watermark_high_ratio', 0.9)}`,
      for: '15m',
      tests: {
        fires: { series: [...disk(8), { series: 'elasticsearch_clustersettings_allocation_watermark_high_ratio', values: '0.9x40' }], at: '20m', labels: NODE },
        silent: { series: [...disk(15), { series: 'elasticsearch_clustersettings_allocation_watermark_high_ratio', values: '0.9x40' }], at: '20m' },
      },
    },
    {
      alert: 'OpenSearchDiskFloodStage',
      severity: 'critical',
      summary: 'OpenSearch node {{ $labels.name }} reached the flood-stage disk watermark',
      description:
        'The data disk of {{ $labels.name }} is fuller than cluster.routing.allocation.disk.watermark.flood_stage: indices with a ' +
        'shard on it are read-only and log shipping into them fails.',
      expr: () => `${diskUsed} > ${settingRatio('elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio', 0.95)}`,
      for: '5m',
      tests: {
        // No setting reported: OpenSearch's default flood stage (95 %) applies.
        fires: { series: disk(3), at: '10m', labels: NODE },
        silent: { series: disk(8), at: '10m' },
      },
    },
    {
      alert: 'OpenSearchShardsNearLimit',
      severity: 'warning',
      summary: 'OpenSearch is close to its shard limit',
      description:
        'The cluster holds more than opensearchExporter.shardsWarningPercent of cluster.max_shards_per_node times its data nodes: ' +
        'at the limit, rollovers and new indices fail.',
      expr: (p) =>
        'sum(elasticsearch_cluster_health_active_shards) / (' +
        `${settingRatio('elasticsearch_clustersettings_stats_max_shards_per_node', 1000)} * max(elasticsearch_cluster_health_number_of_data_nodes)) ` +
        `> ${p.shardsPercent / 100}`,
      for: '30m',
      tests: {
        fires: {
          series: [
            { series: 'elasticsearch_cluster_health_active_shards', values: '2500x40' },
            { series: 'elasticsearch_cluster_health_number_of_data_nodes', values: '3x40' },
          ],
          at: '35m',
          labels: {},
        },
        silent: {
          series: [
            { series: 'elasticsearch_cluster_health_active_shards', values: '2500x40' },
            { series: 'elasticsearch_cluster_health_number_of_data_nodes', values: '3x40' },
            { series: 'elasticsearch_clustersettings_stats_max_shards_per_node', values: '2000x40' },
          ],
          at: '35m',
        },
      },
    },
    {
      alert: 'OpenSearchSnapshotFailed',
      when: (p) => p.snapshots,
      severity: 'warning',
      summary: 'The latest OpenSearch snapshot in {{ $labels.repository }} failed',
      description: 'The most recent snapshot in the repository {{ $labels.repository }} ended in state {{ $labels.state }}: not every log index is backed up.',
      expr: () => 'count by (repository, state) (elasticsearch_snapshot_stats_snapshot_start_time_timestamp{state=~"FAILED|PARTIAL|INCOMPATIBLE"}) > 0',
      tests: {
        fires: {
          series: [
            {
              series: 'elasticsearch_snapshot_stats_snapshot_start_time_timestamp{repository="platform-snapshots",state="PARTIAL",version="2.19.0"}',
              values: '1000x10',
            },
          ],
          at: '5m',
          labels: { repository: 'platform-snapshots', state: 'PARTIAL' },
        },
        silent: {
          series: [
            {
              series: 'elasticsearch_snapshot_stats_snapshot_start_time_timestamp{repository="platform-snapshots",state="SUCCESS",version="2.19.0"}',
              values: '1000x10',
            },
          ],
          at: '5m',
        },
      },
    },
    {
      alert: 'OpenSearchSnapshotTooOld',
      when: (p) => p.snapshots,
      severity: 'critical',
      summary: 'No recent OpenSearch snapshot in {{ $labels.repository }}',
      description:
        'The newest successful snapshot in {{ $labels.repository }} is older than opensearchExporter.snapshotMaxAgeHours (right after ' +
        'installation: until the first scheduled snapshot ran).',
      expr: (p) => `time() - max by (repository) (elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds) > ${p.snapshotMaxAgeHours * HOUR}`,
      for: '15m',
      tests: {
        fires: {
          series: [{ series: 'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{repository="platform-snapshots"}', values: '0x1700' }],
          at: '27h',
          labels: { repository: 'platform-snapshots' },
        },
        silent: {
          series: [{ series: 'elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{repository="platform-snapshots"}', values: '0+60x1700' }],
          at: '27h',
        },
      },
    },
    {
      alert: 'OpenSearchIndexNotRolledOver',
      severity: 'warning',
      summary: 'Log index {{ $labels.index }} has not been rolled over',
      description:
        'The primary shards of {{ $labels.index }} hold more than twice opensearch.rolloverSize: the index lifecycle (ISM) does not ' +
        'roll it over; check its ISM state.',
      expr: (p) => `max by (index) (elasticsearch_indices_store_size_bytes_primary{${LOG_INDICES}}) > ${2 * p.rolloverBytes}`,
      for: '1h',
      tests: {
        fires: {
          series: [{ series: 'elasticsearch_indices_store_size_bytes_primary{index="kubernetes-apps-a-000003"}', values: '3e9x90' }],
          at: '80m',
          labels: { index: 'kubernetes-apps-a-000003' },
        },
        silent: { series: [{ series: 'elasticsearch_indices_store_size_bytes_primary{index="kubernetes-apps-a-000003"}', values: '1.5e9x90' }], at: '80m' },
      },
    },
    {
      alert: 'OpenSearchIndexNotDeleted',
      severity: 'warning',
      summary: 'Log index {{ $labels.index }} outlived the retention',
      description:
        'The index {{ $labels.index }} is more than two days older than opensearch.retentionDays: the index lifecycle (ISM) does ' +
        'not delete it; check its ISM state.',
      expr: (p) => `time() - min by (index) (elasticsearch_indices_settings_creation_timestamp_seconds{${LOG_INDICES}}) > ${(p.retentionDays + 2) * DAY}`,
      for: '1h',
      tests: {
        fires: {
          series: [{ series: 'elasticsearch_indices_settings_creation_timestamp_seconds{index="kubeaudit-apps-a-000001"}', values: `${-33 * DAY}x90` }],
          at: '80m',
          labels: { index: 'kubeaudit-apps-a-000001' },
        },
        silent: {
          series: [{ series: 'elasticsearch_indices_settings_creation_timestamp_seconds{index="kubeaudit-apps-a-000001"}', values: `${-29 * DAY}x90` }],
          at: '80m',
        },
      },
    },
  ],
});

export interface LogDeliveryParams {
  /** Cluster → streams whose logs must keep arriving. */
  expected: { cluster: string; stream: string }[];
  minutes: number;
}

/** A stream's indices of one cluster: the write alias name and its `-00000N` (or dated) indices. */
const indicesOf = (stream: string, cluster: string) => `${promRegexLiteral(`${stream}-${cluster}`)}(-[0-9][0-9.]*)?`;

/** Logs reaching OpenSearch, per shipping cluster and stream (indexing operations on its indices). */
export const LOG_DELIVERY_ALERTS = defineAlertGroup<LogDeliveryParams>({
  name: 'log-delivery',
  title: 'Log delivery into OpenSearch',
  example: {
    expected: [
      { cluster: 'apps-a', stream: 'kubernetes' },
      { cluster: 'apps-b', stream: 'kubernetes' },
    ],
    minutes: 30,
  },
  alerts: [
    {
      alert: 'LogsMissingFromCluster',
      severity: 'critical',
      summary: 'No {{ $labels.stream }} logs from cluster {{ $labels.cluster }}',
      description:
        'OpenSearch has indexed no {{ $labels.stream }} logs from the cluster {{ $labels.cluster }} for opensearchExporter.logsMissingMinutes ' +
        'minutes: its Fluent Bit, its credentials or the OpenSearch endpoint fail.',
      expr: (p) =>
        missingMembers(
          p.expected.map((e) => ({ cluster: e.cluster, stream: e.stream })),
          (m) => `increase(elasticsearch_index_stats_indexing_index_total{index=~"${indicesOf(m.stream, m.cluster)}"}[${p.minutes}m]) > 0`,
        ),
      for: '5m',
      tests: {
        fires: {
          series: [
            { series: 'elasticsearch_index_stats_indexing_index_total{index="kubernetes-apps-a-000001"}', values: '0+100x90' },
            { series: 'elasticsearch_index_stats_indexing_index_total{index="kubernetes-apps-b-000001"}', values: '0+100x30 3000x60' },
          ],
          at: '80m',
          labels: { cluster: 'apps-b', stream: 'kubernetes' },
        },
        // apps-b rolled over to a new index: the old one stops growing, the new one carries on.
        silent: {
          series: [
            { series: 'elasticsearch_index_stats_indexing_index_total{index="kubernetes-apps-a-000001"}', values: '0+100x90' },
            { series: 'elasticsearch_index_stats_indexing_index_total{index="kubernetes-apps-b-000001"}', values: '0+100x30 3000x60' },
            { series: 'elasticsearch_index_stats_indexing_index_total{index="kubernetes-apps-b-000002"}', values: '_x30 0+100x60' },
          ],
          at: '80m',
        },
      },
    },
  ],
});
