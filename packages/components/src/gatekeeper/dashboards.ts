import { CLUSTER, RATE, stat, table, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Gatekeeper: audit violations (per constraint), admission decisions and their latency. */
export const GATEKEEPER_DASHBOARD: ComponentDashboard = {
  component: 'gatekeeper',
  pods: 'gatekeeper-.*',
  dashboard: {
    name: 'gatekeeper',
    title: 'Gatekeeper policies',
    description: 'Audit violations per enforcement action and per constraint, admission requests and latency on every cluster',
    rows: () => [
      {
        title: 'Audit',
        panels: [
          stat(
            'Audit violations by enforcement action',
            [{ expr: `sum by (cluster, enforcement_action) (gatekeeper_violations{${CLUSTER}})`, legend: '{{cluster}} {{enforcement_action}}' }],
            {
              thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
              width: 12,
            },
          ),
          stat('Active constraints', [{ expr: `sum by (cluster) (gatekeeper_constraints{${CLUSTER}, status="active"})`, legend: '{{cluster}}' }], {
            thresholds: { base: 'blue' },
            width: 12,
          }),
          table(
            'Violations per constraint',
            [{ expr: `sum by (cluster, customresource_kind, name, enforcement_action) (gatekeeper_constraint_violations{${CLUSTER}}) > 0` }],
            { width: 24 },
          ),
        ],
      },
      {
        title: 'Admission',
        panels: [
          timeseries(
            'Admission requests by status',
            [
              {
                expr: `sum by (cluster, admission_status) (rate(gatekeeper_validation_request_count{${CLUSTER}}[${RATE}]))`,
                legend: '{{cluster}} {{admission_status}}',
              },
            ],
            { unit: 'reqps' },
          ),
          timeseries(
            'Admission latency (99th percentile)',
            [
              {
                expr: `histogram_quantile(0.99, sum by (cluster, le) (rate(gatekeeper_validation_request_duration_seconds_bucket{${CLUSTER}}[${RATE}])))`,
                legend: '{{cluster}}',
              },
            ],
            { unit: 's' },
          ),
        ],
      },
    ],
  },
};
