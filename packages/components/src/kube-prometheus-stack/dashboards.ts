import {
  ageThresholds,
  CLUSTER,
  NONZERO_IS_BAD,
  RATE,
  stat,
  table,
  timeseries,
  type ComponentDashboard,
  type DashboardDefinition,
  type DashboardRow,
  type DashboardScope,
} from '../lib/dashboards';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Remaining validity: red under two weeks (cert-manager renews at a third of the lifetime left, 30 days for 90-day certificates). */
const VALIDITY = {
  base: 'red',
  steps: [
    { value: 14 * DAY, color: 'orange' },
    { value: 21 * DAY, color: 'green' },
  ],
};
const FIRING = `${CLUSTER}, alertstate="firing", alertname!="Watchdog"`;

/** Prometheus and Alertmanager themselves: targets, series, rule failures, remote write, notifications. */
export const MONITORING_DASHBOARD: ComponentDashboard = {
  component: 'kube-prometheus-stack',
  dashboard: {
    name: 'monitoring',
    title: 'Prometheus and Alertmanager',
    description: 'Scrape targets down, head series, ingestion, rule failures, remote write and alert notifications of every cluster',
    rows: () => [
      {
        title: 'Prometheus',
        panels: [
          table('Scrape targets down', [{ expr: `count by (cluster, job) (up{${CLUSTER}} == 0)` }], { width: 12 }),
          timeseries('Head series', [{ expr: `sum by (cluster) (prometheus_tsdb_head_series{${CLUSTER}})`, legend: '{{cluster}}' }], { unit: 'short' }),
          timeseries(
            'Samples appended per second',
            [{ expr: `sum by (cluster) (rate(prometheus_tsdb_head_samples_appended_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}}' }],
            { unit: 'short' },
          ),
          timeseries(
            'Rule evaluation failures',
            [
              {
                expr: `sum by (cluster, rule_group) (rate(prometheus_rule_evaluation_failures_total{${CLUSTER}}[${RATE}])) > 0`,
                legend: '{{cluster}} {{rule_group}}',
              },
            ],
            {
              unit: 'short',
            },
          ),
        ],
      },
      {
        title: 'Remote write to Thanos',
        panels: [
          timeseries(
            'Samples sent and failed',
            [
              { expr: `sum by (cluster) (rate(prometheus_remote_storage_samples_total{${CLUSTER}}[${RATE}]))`, legend: 'sent {{cluster}}' },
              { expr: `sum by (cluster) (rate(prometheus_remote_storage_samples_failed_total{${CLUSTER}}[${RATE}]))`, legend: 'failed {{cluster}}' },
            ],
            { unit: 'short' },
          ),
          timeseries(
            'Remote write lag',
            [{ expr: `max by (cluster) (time() - prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${CLUSTER}})`, legend: '{{cluster}}' }],
            { unit: 's' },
          ),
        ],
      },
      {
        title: 'Alertmanager',
        panels: [
          timeseries(
            'Notifications by integration',
            [
              {
                expr: `sum by (cluster, integration) (rate(alertmanager_notifications_total{${CLUSTER}}[${RATE}]))`,
                legend: 'sent {{cluster}} {{integration}}',
              },
              {
                expr: `sum by (cluster, integration) (rate(alertmanager_notifications_failed_total{${CLUSTER}}[${RATE}]))`,
                legend: 'failed {{cluster}} {{integration}}',
              },
            ],
            { unit: 'short' },
          ),
          stat('Alerts received (1h)', [{ expr: `sum by (cluster) (increase(alertmanager_alerts_received_total{${CLUSTER}}[1h]))`, legend: '{{cluster}}' }], {
            thresholds: { base: 'blue' },
            width: 12,
          }),
        ],
      },
    ],
  },
};

function alertsRow(): DashboardRow {
  return {
    title: 'Alerts',
    panels: [
      stat(
        'Alerts firing',
        [{ expr: `sum by (cluster) (ALERTS{${FIRING}}) or on (cluster) (0 * count by (cluster) (up{${CLUSTER}}))`, legend: '{{cluster}}' }],
        {
          thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
          width: 8,
          description: 'Alerts firing per cluster (without the Watchdog, which always fires)',
        },
      ),
      table('Firing alerts', [{ expr: `sum by (cluster, alertname, severity, namespace) (ALERTS{${FIRING}})` }], { width: 16 }),
    ],
  };
}

function fluxRow(): DashboardRow {
  const objects = `gotk_resource_info{${CLUSTER}}`;
  return {
    title: 'Flux',
    panels: [
      stat(
        'Flux objects not ready',
        [
          {
            expr: `count by (cluster) (gotk_resource_info{${CLUSTER}, ready!="True", suspended!="true"}) or on (cluster) (0 * count by (cluster) (${objects}))`,
            legend: '{{cluster}}',
          },
        ],
        {
          thresholds: NONZERO_IS_BAD,
          width: 8,
          description: 'Kustomizations, HelmReleases and sources whose Ready condition is not True (suspended ones excluded)',
        },
      ),
      stat(
        'Flux objects ready',
        [{ expr: `count by (cluster) (gotk_resource_info{${CLUSTER}, ready="True"}) / count by (cluster) (${objects})`, legend: '{{cluster}}' }],
        {
          unit: 'percentunit',
          thresholds: {
            base: 'red',
            steps: [
              { value: 0.99, color: 'orange' },
              { value: 1, color: 'green' },
            ],
          },
          width: 8,
        },
      ),
      stat('Flux objects suspended', [{ expr: `count by (cluster) (gotk_resource_info{${CLUSTER}, suspended="true"})`, legend: '{{cluster}}' }], {
        thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
        width: 8,
      }),
      table(
        'Not ready',
        [{ expr: `max by (cluster, customresource_kind, exported_namespace, name, ready) (gotk_resource_info{${CLUSTER}, ready!="True", suspended!="true"})` }],
        { width: 24 },
      ),
    ],
  };
}

/** Last successful backup per kind: Velero schedules, OpenSearch snapshots, backup CronJobs (Harbor database, off-site copies). */
function backupsRow(scope: DashboardScope): DashboardRow {
  const age = ageThresholds(26 * HOUR, 50 * HOUR);
  const ns = (name: string) => scope.components.find((c) => c.name === name)?.namespace;
  const cronJobNamespaces = ['harbor', 'rclone-sync'].flatMap((c) => (ns(c) ? [ns(c) as string] : []));
  const cronJobs = `${CLUSTER}, namespace=~"${cronJobNamespaces.join('|')}"`;
  return {
    title: 'Backups: time since the last successful one',
    panels: [
      ...(scope.isEnabled('velero')
        ? [
            stat(
              'Velero (per cluster and schedule)',
              [
                {
                  expr: `time() - max by (cluster, schedule) (velero_backup_last_successful_timestamp{${CLUSTER}, schedule!=""})`,
                  legend: '{{cluster}} {{schedule}}',
                },
              ],
              { unit: 's', thresholds: age, width: 12 },
            ),
          ]
        : []),
      ...(scope.isEnabled('opensearch-exporter')
        ? [
            stat(
              'OpenSearch snapshots (per repository)',
              [{ expr: `time() - max by (repository) (elasticsearch_snapshot_stats_latest_snapshot_timestamp_seconds{${CLUSTER}})`, legend: '{{repository}}' }],
              { unit: 's', thresholds: age, width: 6 },
            ),
          ]
        : []),
      ...(cronJobNamespaces.length
        ? [
            stat(
              'Backup CronJobs (Harbor database, off-site copies)',
              [
                {
                  expr: `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{${cronJobs}})`,
                  legend: '{{namespace}}/{{cronjob}}',
                },
              ],
              { unit: 's', thresholds: age, width: 6 },
            ),
          ]
        : []),
    ],
  };
}

function certificatesRow(scope: DashboardScope): DashboardRow {
  return {
    title: 'Certificates',
    panels: [
      ...(scope.isEnabled('cert-manager')
        ? [
            table(
              'Certificates expiring first (cert-manager)',
              [{ expr: `bottomk(10, min by (cluster, namespace, name) (certmanager_certificate_expiration_timestamp_seconds{${CLUSTER}}) - time())` }],
              {
                unit: 's',
                thresholds: VALIDITY,
              },
            ),
          ]
        : []),
      ...(scope.isEnabled('prometheus-blackbox-exporter')
        ? [
            table(
              'Endpoint certificates expiring first (as served)',
              [{ expr: `bottomk(10, min by (instance) (probe_ssl_earliest_cert_expiry{${CLUSTER}}) - time())` }],
              { unit: 's', thresholds: VALIDITY },
            ),
          ]
        : []),
    ],
  };
}

/** Logs (Fluent Bit per cluster) and metrics (each Prometheus' remote write, Thanos receive per tenant). */
function ingestionRow(scope: DashboardScope): DashboardRow {
  return {
    title: 'Ingestion',
    panels: [
      ...(scope.isEnabled('fluent-bit')
        ? [
            timeseries(
              'Logs shipped per cluster',
              [{ expr: `sum by (cluster) (rate(fluentbit_output_proc_bytes_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}}' }],
              { unit: 'Bps' },
            ),
            timeseries(
              'Log shipping failures per cluster',
              [
                { expr: `sum by (cluster) (rate(fluentbit_output_errors_total{${CLUSTER}}[${RATE}]))`, legend: 'errors {{cluster}}' },
                { expr: `sum by (cluster) (rate(fluentbit_output_retries_failed_total{${CLUSTER}}[${RATE}]))`, legend: 'retries failed {{cluster}}' },
              ],
              { unit: 'short' },
            ),
          ]
        : []),
      timeseries(
        'Metric samples sent per cluster',
        [{ expr: `sum by (cluster) (rate(prometheus_remote_storage_samples_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}}' }],
        { unit: 'short' },
      ),
      ...(scope.isEnabled('thanos')
        ? [
            timeseries(
              'Series received by Thanos per tenant',
              [{ expr: `sum by (tenant) (rate(thanos_receive_write_timeseries_sum{${CLUSTER}, code=~"2.."}[${RATE}]))`, legend: '{{tenant}}' }],
              { unit: 'short' },
            ),
          ]
        : []),
    ],
  };
}

/**
 * The operators' first stop: per cluster, alerts firing, Flux readiness, the age of the last
 * successful backup of each kind, certificates expiring first, and log and metric ingestion.
 */
export const OPS_OVERVIEW: DashboardDefinition = {
  name: 'platform-overview',
  title: 'Platform overview',
  description: 'Per cluster: alerts firing, Flux readiness, last successful backups, certificates expiring, log and metric ingestion',
  tags: ['compliant-kubernetes', 'overview'],
  variables: { cluster: true },
  rows: (scope) => [alertsRow(), fluxRow(), backupsRow(scope), certificatesRow(scope), ingestionRow(scope)],
};
