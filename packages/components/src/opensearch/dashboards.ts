import { ageThresholds, CLUSTER, RATE, stat, timeseries, type ComponentDashboard, type DashboardRow } from '../lib/dashboards';

const HOUR = 3600;
const heap = (kind: 'used' | 'max') => `elasticsearch_jvm_memory_${kind}_bytes{${CLUSTER}, area="heap"}`;

/** Panels over the exporter's metrics: only when opensearch-exporter runs. */
function exporterRows(): DashboardRow[] {
  return [
    {
      title: 'Cluster',
      panels: [
        stat('Health', [{ expr: `max by (color) (elasticsearch_cluster_health_status{${CLUSTER}})`, legend: '{{color}}' }], {
          description: '1 marks the current colour of the cluster health',
          thresholds: { base: 'blue' },
        }),
        stat('Nodes', [{ expr: `max(elasticsearch_cluster_health_number_of_nodes{${CLUSTER}})` }], { thresholds: { base: 'blue' } }),
        stat('Unassigned shards', [{ expr: `max(elasticsearch_cluster_health_unassigned_shards{${CLUSTER}})` }], {
          thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
        }),
        stat(
          'Time since last snapshot',
          [{ expr: `time() - max by (repository) (elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${CLUSTER}})`, legend: '{{repository}}' }],
          {
            unit: 's',
            thresholds: ageThresholds(26 * HOUR, 50 * HOUR),
          },
        ),
      ],
    },
    {
      title: 'Nodes',
      panels: [
        timeseries(
          'JVM heap used',
          [
            {
              expr: `max by (name) (${heap('used')} / ${heap('max')})`,
              legend: '{{name}}',
            },
          ],
          { unit: 'percentunit', min: 0, max: 1 },
        ),
        timeseries(
          'Data disk free',
          [
            {
              expr: `min by (name) (elasticsearch_filesystem_data_available_bytes{${CLUSTER}} / elasticsearch_filesystem_data_size_bytes{${CLUSTER}})`,
              legend: '{{name}}',
            },
          ],
          { unit: 'percentunit', min: 0, max: 1 },
        ),
      ],
    },
    {
      title: 'Indexing',
      panels: [
        timeseries(
          'Documents indexed per second',
          [{ expr: `sum(rate(elasticsearch_indices_indexing_index_total{${CLUSTER}}[${RATE}]))`, legend: 'all nodes' }],
          { unit: 'short' },
        ),
        timeseries(
          'Primary store size by index',
          [{ expr: `topk(15, max by (index) (elasticsearch_indices_store_size_bytes_primary{${CLUSTER}}))`, legend: '{{index}}' }],
          { unit: 'bytes' },
        ),
      ],
    },
  ];
}

/** OpenSearch: the log store's health, nodes, indexing and snapshots (through opensearch-exporter). */
export const OPENSEARCH_DASHBOARD: ComponentDashboard = {
  component: 'opensearch',
  pods: 'opensearch-cluster-.*',
  dashboard: {
    name: 'opensearch',
    title: 'OpenSearch log store',
    description: 'Cluster health, nodes, JVM heap, disk, indexing rate, index sizes and snapshots of the log store',
    rows: (scope) => (scope.isEnabled('opensearch-exporter') ? exporterRows() : []),
  },
};

/** opensearch-exporter: whether it can read the log store's monitoring APIs. */
export const OPENSEARCH_EXPORTER_DASHBOARD: ComponentDashboard = {
  component: 'opensearch-exporter',
  pods: 'prometheus-elasticsearch-exporter-.*',
  dashboard: {
    name: 'opensearch-exporter',
    title: 'OpenSearch metrics exporter',
    description: 'Whether the exporter reads cluster health and node statistics from OpenSearch, and how long a scrape takes',
    rows: () => [
      {
        title: 'Exporter',
        panels: [
          stat('Cluster health read', [{ expr: `min(elasticsearch_cluster_health_up{${CLUSTER}})` }], {
            thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] },
            width: 8,
          }),
          stat('Node statistics read', [{ expr: `min(elasticsearch_node_stats_up{${CLUSTER}})` }], {
            thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] },
            width: 8,
          }),
          timeseries(
            'Scrape duration',
            [{ expr: `max by (job) (scrape_duration_seconds{${CLUSTER}, job=~".*elasticsearch-exporter.*"})`, legend: '{{job}}' }],
            { unit: 's', width: 8 },
          ),
        ],
      },
    ],
  },
};
