import { ageThresholds, CLUSTER, RATE, stat, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** external-dns: whether DNS records are kept in sync with the Ingresses. */
export const EXTERNAL_DNS_DASHBOARD: ComponentDashboard = {
  component: 'external-dns',
  dashboard: {
    name: 'external-dns',
    title: 'external-dns',
    description: 'Last synchronisation, managed records and errors of external-dns on every cluster',
    rows: () => [
      {
        title: 'Synchronisation',
        panels: [
          stat(
            'Time since last sync',
            [{ expr: `time() - max by (cluster) (external_dns_controller_last_sync_timestamp_seconds{${CLUSTER}})`, legend: '{{cluster}}' }],
            {
              unit: 's',
              thresholds: ageThresholds(600, 3600),
              width: 8,
            },
          ),
          stat('Records managed', [{ expr: `sum by (cluster) (external_dns_registry_endpoints_total{${CLUSTER}})`, legend: '{{cluster}}' }], {
            thresholds: { base: 'blue' },
            width: 8,
          }),
          timeseries(
            'Source and registry errors',
            [
              { expr: `sum by (cluster) (rate(external_dns_source_errors_total{${CLUSTER}}[${RATE}]))`, legend: 'source {{cluster}}' },
              { expr: `sum by (cluster) (rate(external_dns_registry_errors_total{${CLUSTER}}[${RATE}]))`, legend: 'registry {{cluster}}' },
            ],
            { unit: 'short', width: 8 },
          ),
        ],
      },
    ],
  },
};
