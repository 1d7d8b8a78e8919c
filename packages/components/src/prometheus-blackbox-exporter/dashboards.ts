import { CLUSTER, table, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Blackbox exporter: every probed endpoint, from the management cluster and from each workload cluster. */
export const BLACKBOX_EXPORTER_DASHBOARD: ComponentDashboard = {
  component: 'prometheus-blackbox-exporter',
  pods: 'prometheus-blackbox-exporter-.*',
  dashboard: {
    name: 'prometheus-blackbox-exporter',
    title: 'Endpoint probes',
    description: 'Success, duration and certificate validity of every platform endpoint as each cluster probes it',
    rows: () => [
      {
        title: 'Probes',
        panels: [
          table('Probes failing', [{ expr: `min by (cluster, instance) (probe_success{${CLUSTER}}) == 0` }], { width: 12 }),
          table('Certificates expiring first', [{ expr: `bottomk(10, min by (instance) (probe_ssl_earliest_cert_expiry{${CLUSTER}}) - time())` }], {
            unit: 's',
            width: 12,
          }),
          timeseries('Probe duration', [{ expr: `max by (cluster, instance) (probe_duration_seconds{${CLUSTER}})`, legend: '{{cluster}} {{instance}}' }], {
            unit: 's',
            width: 24,
          }),
        ],
      },
    ],
  },
};
