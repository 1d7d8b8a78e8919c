import { missingMembers } from '../lib/alerts/promql';
import { defineAlertGroup } from '../lib/alerts/rules';

/** Share of failed requests above which a Thanos component alerts (5 %, over 5 minutes, for 10 minutes). */
const ERROR_RATIO = 0.05;
const errorRatio = (job: string, handler = '') =>
  `sum by (job) (rate(http_requests_total{job=~"${job}"${handler},code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job=~"${job}"${handler}}[5m])) ` +
  `> ${ERROR_RATIO}`;

/** Five minutes of requests at one per second, `bad` of them failing. */
const requests = (job: string, bad: number, handler = 'receive') => [
  { series: `http_requests_total{job="${job}",handler="${handler}",code="200"}`, values: `0+${60 - bad}x30` },
  { series: `http_requests_total{job="${job}",handler="${handler}",code="500"}`, values: `0+${bad}x30` },
];

/** Thanos' own health, from the metrics the management cluster's Prometheus scrapes off each Thanos component. */
export const THANOS_ALERTS = defineAlertGroup<{ replicated: boolean; objectStorage: boolean }>({
  name: 'thanos',
  title: 'Thanos components',
  example: { replicated: true, objectStorage: true },
  alerts: [
    {
      alert: 'ThanosReceiveErrors',
      severity: 'critical',
      summary: 'Thanos receive refuses remote writes',
      description:
        'More than 5 % of remote-write requests to {{ $labels.job }} failed over the last 5 minutes: workload clusters are losing metrics or retrying.',
      expr: () => errorRatio('.*thanos-receive.*', ',handler="receive"'),
      for: '10m',
      tests: {
        fires: { series: requests('thanos-receive', 6), at: '20m', labels: { job: 'thanos-receive' } },
        silent: { series: requests('thanos-receive', 1), at: '20m' },
      },
    },
    {
      alert: 'ThanosReceiveReplicationFailing',
      when: (p) => p.replicated,
      severity: 'warning',
      summary: 'Thanos receive cannot replicate samples to its peers',
      description:
        'More than 5 % of replication requests of {{ $labels.job }} failed over the last 5 minutes: samples are stored with fewer ' +
        'copies than receive.replicationFactor, or refused.',
      expr: () =>
        'sum by (job) (rate(thanos_receive_replications_total{job=~".*thanos-receive.*",result="error"}[5m])) / ' +
        `sum by (job) (rate(thanos_receive_replications_total{job=~".*thanos-receive.*"}[5m])) > ${ERROR_RATIO}`,
      for: '10m',
      tests: {
        fires: {
          series: [
            { series: 'thanos_receive_replications_total{job="thanos-receive",result="success"}', values: '0+50x30' },
            { series: 'thanos_receive_replications_total{job="thanos-receive",result="error"}', values: '0+10x30' },
          ],
          at: '20m',
          labels: { job: 'thanos-receive' },
        },
        silent: {
          series: [
            { series: 'thanos_receive_replications_total{job="thanos-receive",result="success"}', values: '0+60x30' },
            { series: 'thanos_receive_replications_total{job="thanos-receive",result="error"}', values: '0x30' },
          ],
          at: '20m',
        },
      },
    },
    {
      alert: 'ThanosCompactorHalted',
      when: (p) => p.objectStorage,
      severity: 'critical',
      summary: 'The Thanos compactor halted',
      description:
        'The compactor {{ $labels.pod }} stopped after an error it cannot retry: no compaction, downsampling or retention runs until ' +
        'it is fixed, and object storage keeps growing.',
      expr: () => 'max by (pod) (thanos_compact_halted{job=~".*thanos-compactor.*"}) == 1',
      for: '5m',
      tests: {
        fires: {
          series: [{ series: 'thanos_compact_halted{job="thanos-compactor",pod="thanos-compactor-0"}', values: '0 0 1x20' }],
          at: '15m',
          labels: { pod: 'thanos-compactor-0' },
        },
        silent: { series: [{ series: 'thanos_compact_halted{job="thanos-compactor",pod="thanos-compactor-0"}', values: '0x20' }], at: '15m' },
      },
    },
    {
      alert: 'ThanosStoreErrors',
      when: (p) => p.objectStorage,
      severity: 'warning',
      summary: 'Thanos cannot read or write object storage',
      description:
        'More than 5 % of the object storage operations of {{ $labels.job }} failed over the last 5 minutes: older metrics may be ' +
        'missing from queries, or blocks are not uploaded or compacted.',
      expr: () =>
        'sum by (job) (rate(thanos_objstore_bucket_operation_failures_total{job=~".*thanos.*"}[5m])) / ' +
        `sum by (job) (rate(thanos_objstore_bucket_operations_total{job=~".*thanos.*"}[5m])) > ${ERROR_RATIO}`,
      for: '15m',
      tests: {
        fires: {
          series: [
            { series: 'thanos_objstore_bucket_operations_total{job="thanos-storegateway",operation="get"}', values: '0+100x40' },
            { series: 'thanos_objstore_bucket_operation_failures_total{job="thanos-storegateway",operation="get"}', values: '0+20x40' },
          ],
          at: '30m',
          labels: { job: 'thanos-storegateway' },
        },
        silent: {
          series: [
            { series: 'thanos_objstore_bucket_operations_total{job="thanos-storegateway",operation="get"}', values: '0+100x40' },
            { series: 'thanos_objstore_bucket_operation_failures_total{job="thanos-storegateway",operation="get"}', values: '0+1x40' },
          ],
          at: '30m',
        },
      },
    },
    {
      alert: 'ThanosQueryErrors',
      severity: 'warning',
      summary: 'Thanos queries fail',
      description:
        'More than 5 % of the queries answered by {{ $labels.job }} failed over the last 5 minutes: dashboards and the ruler see errors or partial data.',
      expr: () => errorRatio('.*thanos-query.*'),
      for: '10m',
      tests: {
        fires: { series: requests('thanos-query-frontend', 10, 'query_range'), at: '20m', labels: { job: 'thanos-query-frontend' } },
        silent: { series: requests('thanos-query-frontend', 0, 'query_range'), at: '20m' },
      },
    },
  ],
});

export interface TenantParams {
  /** Workload cluster name → its Thanos tenant. */
  tenants: { cluster: string; tenant: string }[];
  tenantLabel: string;
}

/**
 * Every expected tenant (labelled with its cluster) minus those with any sample in the window: what is
 * left is a cluster whose metrics stopped arriving, or never arrived. One rule covers every cluster.
 */
function missingTenants(p: TenantParams): string {
  const byCluster = new Map(p.tenants.map((t) => [t.cluster, t.tenant]));
  return missingMembers(
    p.tenants.map((t) => ({ cluster: t.cluster })),
    (m) => `present_over_time(up{${p.tenantLabel}="${byCluster.get(m.cluster)}"}[15m])`,
  );
}

/** Evaluated by the Thanos ruler over every tenant: the management Prometheus never sees the workload clusters' series. */
export const THANOS_TENANT_ALERTS = defineAlertGroup<TenantParams>({
  name: 'thanos-tenants',
  title: 'Metrics from workload clusters',
  example: {
    tenants: [
      { cluster: 'apps-a', tenant: 'apps-a' },
      { cluster: 'apps-b', tenant: 'apps-b' },
    ],
    tenantLabel: 'tenant_id',
  },
  alerts: [
    {
      alert: 'WorkloadClusterMetricsMissing',
      severity: 'critical',
      summary: 'No metrics from workload cluster {{ $labels.cluster }}',
      description:
        'Thanos has received no samples from the workload cluster {{ $labels.cluster }} (its tenant) for 15 minutes: its Prometheus, ' +
        'its remote write or the receive endpoint is down.',
      expr: missingTenants,
      for: '15m',
      tests: {
        fires: {
          series: [
            { series: 'up{tenant_id="apps-a",job="kubelet"}', values: '1x60' },
            { series: 'up{tenant_id="apps-b",job="kubelet"}', values: '1x10' },
          ],
          at: '50m',
          labels: { cluster: 'apps-b' },
        },
        silent: {
          series: [
            { series: 'up{tenant_id="apps-a",job="kubelet"}', values: '1x60' },
            { series: 'up{tenant_id="apps-b",job="kubelet"}', values: '0x60' },
          ],
          at: '50m',
        },
      },
    },
  ],
});
