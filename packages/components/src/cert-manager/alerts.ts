import { defineAlertGroup } from '../lib/alerts/rules';

const DAY = 86400;

/** Certificates cert-manager manages on this cluster (platform endpoints, internal CAs, users' certificates). */
export const CERT_MANAGER_ALERTS = defineAlertGroup<{ expiryWarningDays: number }>({
  name: 'cert-manager',
  title: 'Certificates (cert-manager)',
  example: { expiryWarningDays: 14 },
  alerts: [
    {
      alert: 'CertificateNotReady',
      severity: 'warning',
      summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready',
      description:
        'cert-manager reports the certificate {{ $labels.namespace }}/{{ $labels.name }} as not ready for 15 minutes: issuing or ' +
        'renewing it fails, and the Secret may hold an old or no certificate.',
      expr: () => 'max by (namespace, name) (certmanager_certificate_ready_status{condition!="True"}) == 1',
      for: '15m',
      tests: {
        fires: {
          series: [
            { series: 'certmanager_certificate_ready_status{namespace="dex",name="dex-tls",condition="True"}', values: '1 1 0x30' },
            { series: 'certmanager_certificate_ready_status{namespace="dex",name="dex-tls",condition="False"}', values: '0 0 1x30' },
          ],
          at: '25m',
          labels: { namespace: 'dex', name: 'dex-tls' },
        },
        silent: {
          series: [
            { series: 'certmanager_certificate_ready_status{namespace="dex",name="dex-tls",condition="True"}', values: '1x30' },
            { series: 'certmanager_certificate_ready_status{namespace="dex",name="dex-tls",condition="False"}', values: '0x30' },
          ],
          at: '25m',
        },
      },
    },
    {
      alert: 'CertificateExpiringSoon',
      severity: 'warning',
      summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires soon',
      description:
        'The certificate {{ $labels.namespace }}/{{ $labels.name }} expires within certManager.expiryWarningDays days and has not ' +
        'been renewed (renewal normally happens a third of the lifetime before expiry).',
      expr: (p) => `min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds) - time() < ${p.expiryWarningDays * DAY}`,
      for: '1h',
      tests: {
        fires: {
          series: [{ series: 'certmanager_certificate_expiration_timestamp_seconds{namespace="dex",name="dex-tls"}', values: `${10 * DAY}x90` }],
          at: '80m',
          labels: { namespace: 'dex', name: 'dex-tls' },
        },
        silent: {
          series: [{ series: 'certmanager_certificate_expiration_timestamp_seconds{namespace="dex",name="dex-tls"}', values: `${30 * DAY}x90` }],
          at: '80m',
        },
      },
    },
  ],
});
