import { defineAlertGroup } from '../lib/alerts/rules';

const requests = (status: string, perMinute: number) => ({
  series: `gatekeeper_validation_request_count{admission_status="${status}"}`,
  values: `0+${perMinute}x40`,
});
const latency = (le: string, perMinute: number) => ({
  series: `gatekeeper_validation_request_duration_seconds_bucket{le="${le}"}`,
  values: `0+${perMinute}x40`,
});

/** Gatekeeper's admission webhook (its own metrics) and its audit (per constraint, from kube-state-metrics). */
export const GATEKEEPER_ALERTS = defineAlertGroup<Record<string, never>>({
  name: 'gatekeeper',
  title: 'Policies (Gatekeeper)',
  example: {},
  alerts: [
    {
      alert: 'GatekeeperWebhookErrors',
      severity: 'warning',
      summary: 'Gatekeeper fails to evaluate admission requests',
      description:
        'More than 5 % of the admission requests Gatekeeper received in the last 5 minutes ended in an error, for 10 minutes: with ' +
        'failurePolicy Ignore those requests were admitted unchecked, with Fail they were refused.',
      expr: () => 'sum(rate(gatekeeper_validation_request_count{admission_status="error"}[5m])) / sum(rate(gatekeeper_validation_request_count[5m])) > 0.05',
      for: '10m',
      tests: {
        fires: { series: [requests('allow', 80), requests('error', 20)], at: '30m', labels: {} },
        silent: { series: [requests('allow', 80), requests('deny', 20), requests('error', 0)], at: '30m' },
      },
    },
    {
      alert: 'GatekeeperWebhookSlow',
      severity: 'warning',
      summary: 'Gatekeeper answers admission requests slowly',
      description:
        "The 99th percentile of Gatekeeper's admission latency has been above 1 second for 15 minutes: applies are slow, and near " +
        'the webhook timeout requests fail or pass unchecked.',
      expr: () => 'histogram_quantile(0.99, sum by (le) (rate(gatekeeper_validation_request_duration_seconds_bucket[5m]))) > 1',
      for: '15m',
      tests: {
        fires: { series: [latency('0.1', 10), latency('1', 10), latency('2.5', 100), latency('+Inf', 100)], at: '30m', labels: {} },
        silent: { series: [latency('0.1', 95), latency('1', 100), latency('2.5', 100), latency('+Inf', 100)], at: '30m' },
      },
    },
    {
      alert: 'GatekeeperAuditViolations',
      severity: 'info',
      summary: 'Resources violate the {{ $labels.customresource_kind }} constraint {{ $labels.name }}',
      description:
        "Gatekeeper's audit finds existing resources that violate the constraint {{ $labels.name }} ({{ $labels.customresource_kind " +
        '}}, action {{ $labels.enforcement_action }}): they were admitted before the constraint, under warn or dryrun, or by an excluded ' +
        "path. See the constraint's status for the list.",
      expr: () => 'max by (customresource_kind, name, enforcement_action) (gatekeeper_constraint_violations) > 0',
      for: '1h',
      tests: {
        fires: {
          series: [
            {
              series: 'gatekeeper_constraint_violations{customresource_kind="Ck8sDisallowLatestTag",name="disallow-latest-tag",enforcement_action="deny"}',
              values: '3x90',
            },
          ],
          at: '80m',
          labels: { customresource_kind: 'Ck8sDisallowLatestTag', name: 'disallow-latest-tag', enforcement_action: 'deny' },
        },
        silent: {
          series: [
            {
              series: 'gatekeeper_constraint_violations{customresource_kind="Ck8sDisallowLatestTag",name="disallow-latest-tag",enforcement_action="deny"}',
              values: '0x90',
            },
          ],
          at: '80m',
        },
      },
    },
  ],
});
