import { CLUSTER, NONZERO_IS_BAD, RATE, stat, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Thanos: what each tenant writes, whether writes and replication succeed, compaction, queries, storage. */
export const THANOS_DASHBOARD: ComponentDashboard = {
  component: 'thanos',
  dashboard: {
    name: 'thanos',
    title: 'Thanos long-term metrics',
    description: 'Series received per tenant, write and replication errors, compactor state, object storage and query latency',
    rows: (scope) => {
      const sel = `${CLUSTER}, namespace="${scope.component?.namespace ?? 'thanos'}"`;
      const queries = `${sel}, handler=~"query|query_range"`;
      return [
        {
          title: 'Receive',
          panels: [
            timeseries(
              'Series received per tenant',
              [{ expr: `sum by (tenant) (rate(thanos_receive_write_timeseries_sum{${sel}, code=~"2.."}[${RATE}]))`, legend: '{{tenant}}' }],
              { unit: 'short' },
            ),
            timeseries(
              'Remote-write requests by status code',
              [{ expr: `sum by (code) (rate(http_requests_total{${sel}, handler="receive"}[${RATE}]))`, legend: '{{code}}' }],
              { unit: 'reqps' },
            ),
            timeseries(
              'Replication errors',
              [{ expr: `sum by (job) (rate(thanos_receive_replications_total{${sel}, result="error"}[${RATE}]))`, legend: '{{job}}' }],
              { unit: 'short' },
            ),
            timeseries(
              'Samples received per tenant',
              [{ expr: `sum by (tenant) (rate(thanos_receive_write_samples_sum{${sel}, code=~"2.."}[${RATE}]))`, legend: '{{tenant}}' }],
              { unit: 'short' },
            ),
          ],
        },
        {
          title: 'Storage and compaction',
          panels: [
            stat('Compactor halted', [{ expr: `max(thanos_compact_halted{${sel}})` }], { thresholds: NONZERO_IS_BAD, width: 6 }),
            stat('Blocks loaded by the store gateway', [{ expr: `sum(thanos_blocks_meta_synced{${sel}, state="loaded", job=~".*storegateway.*"})` }], {
              thresholds: { base: 'blue' },
              width: 6,
            }),
            timeseries(
              'Object storage operation failures',
              [{ expr: `sum by (job, operation) (rate(thanos_objstore_bucket_operation_failures_total{${sel}}[${RATE}]))`, legend: '{{job}} {{operation}}' }],
              { unit: 'short' },
            ),
          ],
        },
        {
          title: 'Query',
          panels: [
            timeseries(
              'Query latency (95th percentile)',
              [
                {
                  expr: `histogram_quantile(0.95, sum by (handler, le) (rate(http_request_duration_seconds_bucket{${queries}}[${RATE}])))`,
                  legend: '{{handler}}',
                },
              ],
              { unit: 's', width: 24 },
            ),
          ],
        },
      ];
    },
  },
};
