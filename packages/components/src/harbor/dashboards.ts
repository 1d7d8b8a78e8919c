import { ageThresholds, CLUSTER, endpointRow, RATE, stat, timeseries, type ComponentDashboard } from '../lib/dashboards';
import { endpoints } from '../lib/hosts';

const HOUR = 3600;

/** Harbor: its services, traffic, replication and scan jobs, database backups and public endpoint. */
export const HARBOR_DASHBOARD: ComponentDashboard = {
  component: 'harbor',
  dashboard: {
    name: 'harbor',
    title: 'Harbor registry',
    description: 'Harbor services up, projects, API traffic, job service tasks, database backups and the public endpoint',
    rows: (scope) => {
      const ns = scope.component?.namespace ?? 'harbor';
      const sel = `${CLUSTER}, namespace="${ns}"`;
      return [
        {
          title: 'Registry',
          panels: [
            stat('Services up', [{ expr: `min by (component) (harbor_up{${sel}})`, legend: '{{component}}' }], {
              thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] },
              width: 12,
            }),
            stat('Projects', [{ expr: `max(harbor_project_total{${sel}})` }], { thresholds: { base: 'blue' } }),
            stat(
              'Time since last database backup',
              [{ expr: `time() - max by (cronjob) (kube_cronjob_status_last_successful_time{${sel}})`, legend: '{{cronjob}}' }],
              {
                unit: 's',
                thresholds: ageThresholds(26 * HOUR, 50 * HOUR),
              },
            ),
            timeseries('API requests by status code', [{ expr: `sum by (code) (rate(harbor_core_http_request_total{${sel}}[${RATE}]))`, legend: '{{code}}' }], {
              unit: 'reqps',
            }),
            timeseries(
              'Job service tasks by type and status',
              [{ expr: `sum by (type, status) (rate(harbor_jobservice_task_total{${sel}}[${RATE}]))`, legend: '{{type}} {{status}}' }],
              { unit: 'short' },
            ),
          ],
        },
        ...(scope.isEnabled('prometheus-blackbox-exporter') ? [endpointRow(endpoints(scope.env).harbor)] : []),
      ];
    },
  },
};
