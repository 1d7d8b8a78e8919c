import { ageThresholds, CLUSTER, stat, table, type ComponentDashboard } from '../lib/dashboards';

const HOUR = 3600;

/** rclone-sync: how old each bucket's last off-site copy is (one CronJob per bucket). */
export const RCLONE_SYNC_DASHBOARD: ComponentDashboard = {
  component: 'rclone-sync',
  dashboard: {
    name: 'rclone-sync',
    title: 'Off-site bucket copies',
    description: 'Time since the last successful off-site copy of each bucket, and failed copy jobs',
    rows: (scope) => {
      const sel = `${CLUSTER}, namespace="${scope.component?.namespace ?? 'rclone'}"`;
      return [
        {
          title: 'Copies',
          panels: [
            stat(
              'Time since last successful copy',
              [{ expr: `time() - max by (cronjob) (kube_cronjob_status_last_successful_time{${sel}})`, legend: '{{cronjob}}' }],
              {
                unit: 's',
                thresholds: ageThresholds(26 * HOUR, 50 * HOUR),
                width: 24,
              },
            ),
            table('Failed copy jobs', [{ expr: `max by (job_name) (kube_job_status_failed{${sel}}) > 0` }], { width: 24 }),
          ],
        },
      ];
    },
  },
};
