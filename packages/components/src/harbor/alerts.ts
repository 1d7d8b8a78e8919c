import { defineAlertGroup } from '../lib/alerts/rules';

const HOUR = 3600;
const GC = 'type=~"(?i)garbage_collection|gc"';

export interface HarborAlertParams {
  namespace: string;
  /** The database backup CronJob. */
  backupCronJob: string;
  backupMaxAgeHours: number;
  /** Whether the database backup runs (harbor.backup.enabled). */
  backup: boolean;
  /** Whether garbage collection is scheduled (harbor.housekeeping.gc.enabled), and how old the last successful one may be. */
  gc: boolean;
  gcMaxAgeHours: number;
}

/** Harbor on the management cluster: its exporter's health checks, its job service, and the database backup CronJob. */
export const HARBOR_ALERTS = defineAlertGroup<HarborAlertParams>({
  name: 'harbor',
  title: 'Harbor registry',
  example: { namespace: 'harbor', backupCronJob: 'harbor-database-backup', backupMaxAgeHours: 26, backup: true, gc: true, gcMaxAgeHours: 6 },
  alerts: [
    {
      alert: 'HarborComponentDown',
      severity: 'critical',
      summary: 'Harbor component {{ $labels.component }} is down',
      description: "Harbor's health check has reported {{ $labels.component }} as unhealthy for 5 minutes: pushes, pulls, scans or the web UI fail.",
      expr: () => 'max by (component) (harbor_up) == 0',
      for: '5m',
      tests: {
        fires: {
          series: [
            { series: 'harbor_up{component="registry"}', values: '1 0x20' },
            { series: 'harbor_up{component="core"}', values: '1x20' },
          ],
          at: '15m',
          labels: { component: 'registry' },
        },
        silent: {
          series: [
            { series: 'harbor_up{component="registry"}', values: '1x20' },
            { series: 'harbor_up{component="core"}', values: '1x20' },
          ],
          at: '15m',
        },
      },
    },
    {
      alert: 'HarborGarbageCollectionFailed',
      severity: 'warning',
      summary: 'Harbor garbage collection failed',
      description: 'A garbage collection job of Harbor failed in the last day: deleted images still take up storage.',
      expr: () => `sum(increase(harbor_jobservice_task_total{${GC},status=~"(?i)error|fail.*"}[1d])) > 0`,
      tests: {
        fires: { series: [{ series: 'harbor_jobservice_task_total{type="GARBAGE_COLLECTION",status="Error"}', values: '0x30 1x30' }], at: '50m', labels: {} },
        silent: {
          series: [
            { series: 'harbor_jobservice_task_total{type="GARBAGE_COLLECTION",status="Error"}', values: '0x60' },
            { series: 'harbor_jobservice_task_total{type="GARBAGE_COLLECTION",status="Success"}', values: '0x30 1x30' },
          ],
          at: '50m',
        },
      },
    },
    {
      alert: 'HarborGarbageCollectionTooOld',
      when: (p) => p.gc,
      severity: 'warning',
      summary: 'No recent successful Harbor garbage collection',
      description:
        'No garbage collection of Harbor succeeded in harbor.housekeeping.gc.maxAgeDays days although it is scheduled: ' +
        'the schedule is not set in Harbor, or every run fails.',
      // Only once the job service has reported for the whole window: a new installation waits for its first scheduled run.
      expr: (p) =>
        `(sum(increase(harbor_jobservice_task_total{${GC},status=~"(?i)success"}[${p.gcMaxAgeHours}h])) or vector(0)) == 0 ` +
        `and on () (time() - min_over_time(timestamp(harbor_up{component="jobservice"})[${p.gcMaxAgeHours}h:1h]) > ${(p.gcMaxAgeHours - 2) * HOUR})`,
      for: '1h',
      tests: {
        fires: { series: [{ series: 'harbor_up{component="jobservice"}', values: '1x500' }], at: '480m', labels: {} },
        silent: {
          series: [
            { series: 'harbor_up{component="jobservice"}', values: '1x500' },
            { series: 'harbor_jobservice_task_total{type="GARBAGE_COLLECTION",status="Success"}', values: '0x300 1x200' },
          ],
          at: '480m',
        },
      },
    },
    {
      alert: 'HarborDatabaseBackupFailed',
      when: (p) => p.backup,
      severity: 'warning',
      summary: "The last backup of Harbor's database failed",
      description: "The backup Job {{ $labels.job_name }} of Harbor's database failed: see its pod's logs; the next scheduled run retries.",
      expr: (p) => `max by (job_name) (kube_job_status_failed{namespace="${p.namespace}",job_name=~"${p.backupCronJob}-.*"}) > 0`,
      tests: {
        fires: {
          series: [{ series: 'kube_job_status_failed{namespace="harbor",job_name="harbor-database-backup-29012345"}', values: '0 1x10' }],
          at: '5m',
          labels: { job_name: 'harbor-database-backup-29012345' },
        },
        silent: { series: [{ series: 'kube_job_status_failed{namespace="harbor",job_name="harbor-database-backup-29012345"}', values: '0x10' }], at: '5m' },
      },
    },
    {
      alert: 'HarborDatabaseBackupTooOld',
      when: (p) => p.backup,
      severity: 'critical',
      summary: "No recent backup of Harbor's database",
      description:
        "The newest successful backup of Harbor's database is older than harbor.backup.maxAgeHours hours (or none succeeded since the CronJob was created).",
      expr: (p) =>
        `time() - max(kube_cronjob_status_last_successful_time{namespace="${p.namespace}",cronjob="${p.backupCronJob}"}) > ${p.backupMaxAgeHours * HOUR} ` +
        `or (max(kube_cronjob_created{namespace="${p.namespace}",cronjob="${p.backupCronJob}"}) < time() - ${p.backupMaxAgeHours * HOUR} ` +
        `unless max(kube_cronjob_status_last_successful_time{namespace="${p.namespace}",cronjob="${p.backupCronJob}"}))`,
      for: '15m',
      tests: {
        fires: {
          series: [{ series: 'kube_cronjob_status_last_successful_time{namespace="harbor",cronjob="harbor-database-backup"}', values: '0x1700' }],
          at: '27h',
          labels: {},
        },
        silent: {
          series: [{ series: 'kube_cronjob_status_last_successful_time{namespace="harbor",cronjob="harbor-database-backup"}', values: '0+60x1700' }],
          at: '27h',
        },
      },
    },
  ],
});
