import { ageThresholds, CLUSTER, stat, timeseries, type ComponentDashboard } from '../lib/dashboards';

const HOUR = 3600;

/** Velero: how old each schedule's last good backup is, and how backups went. */
export const VELERO_DASHBOARD: ComponentDashboard = {
  component: 'velero',
  dashboard: {
    name: 'velero',
    title: 'Velero backups',
    description: 'Age of the last successful backup per schedule, successes, failures and durations on every cluster',
    rows: () => [
      {
        title: 'Backups',
        panels: [
          stat(
            'Time since last successful backup',
            [
              {
                expr: `time() - max by (cluster, schedule) (velero_backup_last_successful_timestamp{${CLUSTER}, schedule!=""})`,
                legend: '{{cluster}} {{schedule}}',
              },
            ],
            {
              unit: 's',
              thresholds: ageThresholds(26 * HOUR, 50 * HOUR),
              width: 24,
            },
          ),
          timeseries('Backups succeeded and failed (24h)', [
            { expr: `sum by (cluster, schedule) (increase(velero_backup_success_total{${CLUSTER}}[24h]))`, legend: 'succeeded {{cluster}} {{schedule}}' },
            { expr: `sum by (cluster, schedule) (increase(velero_backup_failure_total{${CLUSTER}}[24h]))`, legend: 'failed {{cluster}} {{schedule}}' },
            {
              expr: `sum by (cluster, schedule) (increase(velero_backup_partial_failure_total{${CLUSTER}}[24h]))`,
              legend: 'partially failed {{cluster}} {{schedule}}',
            },
          ]),
          timeseries(
            'Backup duration (95th percentile, 6h)',
            [
              {
                expr: `histogram_quantile(0.95, sum by (cluster, schedule, le) (rate(velero_backup_duration_seconds_bucket{${CLUSTER}}[6h])))`,
                legend: '{{cluster}} {{schedule}}',
              },
            ],
            { unit: 's' },
          ),
        ],
      },
    ],
  },
};
