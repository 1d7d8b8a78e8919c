import { defineAlertGroup } from '../lib/alerts/rules';

/** falcosidekick's metrics changed names between releases (`_total`, a `falcosecurity_` prefix): match every spelling. */
const sidekick = (metric: string, filter = '') => `{__name__=~"(falcosecurity_)?falcosidekick_${metric}(_total)?"${filter}}`;
const EVENTS = sidekick('falco_events');
const rate = (range: string, offset = '') => `sum by (rule, priority) (rate(${EVENTS}[${range}]${offset}))`;

const event = (rule: string, values: string) => ({ series: `falcosidekick_falco_events{rule="${rule}",priority="Warning",hostname="node-1"}`, values });

/** Falco's events as falcosidekick counts and forwards them (per cluster: every node's Falco posts to the cluster's falcosidekick). */
export const FALCO_ALERTS = defineAlertGroup<{ spikeFactor: number }>({
  name: 'falco',
  title: 'Runtime security events (Falco)',
  example: { spikeFactor: 5 },
  alerts: [
    {
      alert: 'FalcoEventRateSpike',
      severity: 'warning',
      summary: 'Falco rule "{{ $labels.rule }}" fires far more often than usual',
      description:
        'In the last 10 minutes the Falco rule "{{ $labels.rule }}" ({{ $labels.priority }}) matched more than falco.eventSpikeFactor ' +
        'times its average rate of the previous day, or fired for the first time in a day: an attack, a new workload behaving unusually, ' +
        'or a noisy rule.',
      expr: (p) =>
        `${rate('10m')} > 0.05 and ((${rate('10m')} > ${p.spikeFactor} * ${rate('1d', ' offset 10m')}) or (${rate('10m')} unless ` +
        `${rate('1d', ' offset 10m')} > 0))`,
      tests: {
        // A rule that matched once an hour all day, then ten times a minute.
        fires: {
          series: [event('Terminal shell in container', '0+0.0167x1440 24+10x20')],
          at: '1450m',
          labels: { rule: 'Terminal shell in container', priority: 'Warning' },
        },
        silent: { series: [event('Terminal shell in container', '0+10x1460')], at: '1450m' },
      },
    },
    {
      alert: 'FalcosidekickOutputErrors',
      severity: 'warning',
      summary: 'falcosidekick cannot deliver Falco events to {{ $labels.destination }}',
      description:
        'falcosidekick has failed to forward events to {{ $labels.destination }} for 10 minutes: security events do not reach Alertmanager ' +
        '(or the other outputs).',
      expr: () => `sum by (destination) (rate(${sidekick('outputs', ',status="error"')}[5m])) > 0`,
      for: '10m',
      tests: {
        fires: {
          series: [{ series: 'falcosidekick_outputs{destination="alertmanager",status="error"}', values: '0+1x30' }],
          at: '20m',
          labels: { destination: 'alertmanager' },
        },
        silent: {
          series: [
            { series: 'falcosidekick_outputs{destination="alertmanager",status="error"}', values: '0x30' },
            { series: 'falcosidekick_outputs{destination="alertmanager",status="ok"}', values: '0+5x30' },
          ],
          at: '20m',
        },
      },
    },
  ],
});
