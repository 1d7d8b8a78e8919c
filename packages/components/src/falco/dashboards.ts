import { CLUSTER, RATE, table, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Falco: which rules match where, whether events are dropped, whether alerts leave the cluster. */
export const FALCO_DASHBOARD: ComponentDashboard = {
  component: 'falco',
  dashboard: {
    name: 'falco',
    title: 'Falco runtime security',
    description: 'Rule matches by priority and rule, dropped kernel events and falcosidekick deliveries on every cluster',
    rows: () => [
      {
        title: 'Detections',
        panels: [
          timeseries(
            'Rule matches by priority',
            [{ expr: `sum by (cluster, priority) (rate(falcosecurity_falco_rules_matches_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}} {{priority}}' }],
            { unit: 'short' },
          ),
          table('Rules matched most (24h)', [
            { expr: `topk(20, sum by (cluster, rule_name) (increase(falcosecurity_falco_rules_matches_total{${CLUSTER}}[24h])) > 0)` },
          ]),
        ],
      },
      {
        title: 'Health',
        panels: [
          timeseries(
            'Kernel events dropped',
            [{ expr: `sum by (cluster) (rate(falcosecurity_scap_n_drops_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}}' }],
            { unit: 'short' },
          ),
          timeseries(
            'falcosidekick deliveries by destination and status',
            [
              {
                expr: `sum by (cluster, destination, status) (rate(falcosidekick_outputs{${CLUSTER}}[${RATE}]))`,
                legend: '{{cluster}} {{destination}} {{status}}',
              },
            ],
            { unit: 'short' },
          ),
        ],
      },
    ],
  },
};
