import { defineAlertGroup } from '../lib/alerts/rules';

/** Velero's alerts: they watch the scheduled backups only (a manual backup failing is its author's business). */
export const VELERO_ALERTS = defineAlertGroup<{ maxBackupAgeHours: number }>({
  name: 'velero',
  title: 'Velero backups',
  example: { maxBackupAgeHours: 26 },
  alerts: [
    {
      alert: 'VeleroBackupFailed',
      severity: 'warning',
      summary: 'Velero backup of schedule {{ $labels.schedule }} failed',
      description: 'A backup of the schedule {{ $labels.schedule }} failed or partially failed in the last hour.',
      expr: () => 'increase(velero_backup_failure_total{schedule!=""}[1h]) > 0 or increase(velero_backup_partial_failure_total{schedule!=""}[1h]) > 0',
      tests: {
        fires: {
          series: [{ series: 'velero_backup_failure_total{schedule="daily"}', values: '0x10 1x10' }],
          at: '15m',
          labels: { schedule: 'daily' },
        },
        silent: {
          series: [
            { series: 'velero_backup_failure_total{schedule="daily"}', values: '0x20' },
            { series: 'velero_backup_partial_failure_total{schedule="daily"}', values: '0x20' },
          ],
          at: '15m',
        },
      },
    },
    {
      alert: 'VeleroBackupTooOld',
      severity: 'critical',
      summary: 'No recent successful backup of schedule {{ $labels.schedule }}',
      description: 'The newest successful backup of the schedule {{ $labels.schedule }} is older than the configured maximum age (velero.maxBackupAgeHours).',
      expr: (p) => `time() - velero_backup_last_successful_timestamp{schedule!=""} > ${p.maxBackupAgeHours * 3600}`,
      for: '15m',
      tests: {
        // The last success at t=0 and never again: 26 h later, plus `for`, it fires.
        fires: {
          series: [{ series: 'velero_backup_last_successful_timestamp{schedule="daily"}', values: '0x1700' }],
          at: '27h',
          labels: { schedule: 'daily' },
        },
        // A backup every minute (the timestamp keeps up with time()).
        silent: { series: [{ series: 'velero_backup_last_successful_timestamp{schedule="daily"}', values: '0+60x1700' }], at: '27h' },
      },
    },
  ],
});
