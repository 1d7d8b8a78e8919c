import { CLUSTER, NONZERO_IS_BAD, RATE, stat, table, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** cert-manager: which certificates expire first, which are not ready, how ACME requests go. */
export const CERT_MANAGER_DASHBOARD: ComponentDashboard = {
  component: 'cert-manager',
  dashboard: {
    name: 'cert-manager',
    title: 'cert-manager',
    description: 'Certificates by time to expiry, readiness and ACME traffic on every cluster',
    rows: () => [
      {
        title: 'Certificates',
        panels: [
          stat(
            'Certificates not ready',
            [{ expr: `sum by (cluster) (certmanager_certificate_ready_status{${CLUSTER}, condition!="True"})`, legend: '{{cluster}}' }],
            {
              thresholds: NONZERO_IS_BAD,
              width: 8,
            },
          ),
          table(
            'Certificates expiring first',
            [{ expr: `bottomk(20, min by (cluster, namespace, name) (certmanager_certificate_expiration_timestamp_seconds{${CLUSTER}}) - time())` }],
            {
              unit: 's',
              width: 16,
              description: 'Seconds until each certificate expires; cert-manager renews a certificate a third of its lifetime before expiry',
            },
          ),
        ],
      },
      {
        title: 'ACME',
        panels: [
          timeseries(
            'ACME requests by status',
            [{ expr: `sum by (cluster, status) (rate(certmanager_http_acme_client_request_count{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}} {{status}}' }],
            {
              unit: 'reqps',
              width: 24,
            },
          ),
        ],
      },
    ],
  },
};
