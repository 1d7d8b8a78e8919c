import { defineAlertGroup } from '../lib/alerts/rules';

const DAY = 86400;
/** The job name of the platform's Probes (every endpoint the cluster probes). */
export const PROBE_JOB = 'platform-endpoints';

/** The platform's public endpoints as seen from outside, through the ingress (blackbox probes). */
export const ENDPOINT_ALERTS = defineAlertGroup<{ expiryWarningDays: number }>({
  name: 'endpoints',
  title: 'Public endpoints (blackbox probes)',
  example: { expiryWarningDays: 14 },
  alerts: [
    {
      alert: 'EndpointDown',
      severity: 'critical',
      summary: 'Endpoint {{ $labels.instance }} does not answer as expected',
      description: 'The probe of {{ $labels.instance }} has failed for 5 minutes (no connection, TLS error, or an unexpected HTTP status).',
      expr: () => `max by (instance) (probe_success{job="${PROBE_JOB}"}) == 0`,
      for: '5m',
      tests: {
        fires: {
          series: [{ series: `probe_success{job="${PROBE_JOB}",instance="https://grafana.example.com/api/health"}`, values: '1 1 0x20' }],
          at: '15m',
          labels: { instance: 'https://grafana.example.com/api/health' },
        },
        silent: {
          series: [{ series: `probe_success{job="${PROBE_JOB}",instance="https://grafana.example.com/api/health"}`, values: '1 1 0 1x20' }],
          at: '15m',
        },
      },
    },
    {
      alert: 'EndpointCertificateExpiringSoon',
      severity: 'warning',
      summary: 'The TLS certificate of {{ $labels.instance }} expires soon',
      description:
        'The certificate served at {{ $labels.instance }} expires within prometheusBlackboxExporter.certificateExpiryWarningDays ' +
        'days: renewal failed, or the ingress serves an old certificate.',
      expr: (p) => `min by (instance) (probe_ssl_earliest_cert_expiry{job="${PROBE_JOB}"}) - time() < ${p.expiryWarningDays * DAY}`,
      for: '1h',
      tests: {
        fires: {
          series: [{ series: `probe_ssl_earliest_cert_expiry{job="${PROBE_JOB}",instance="https://dex.example.com/"}`, values: `${5 * DAY}x90` }],
          at: '80m',
          labels: { instance: 'https://dex.example.com/' },
        },
        silent: {
          series: [{ series: `probe_ssl_earliest_cert_expiry{job="${PROBE_JOB}",instance="https://dex.example.com/"}`, values: `${60 * DAY}x90` }],
          at: '80m',
        },
      },
    },
  ],
});
