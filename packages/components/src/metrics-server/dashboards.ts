import { CLUSTER, stat, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** metrics-server: whether the resource metrics API (kubectl top, autoscalers) answers. */
export const METRICS_SERVER_DASHBOARD: ComponentDashboard = {
  component: 'metrics-server',
  pods: 'metrics-server-.*',
  dashboard: {
    name: 'metrics-server',
    title: 'metrics-server',
    description: 'Availability of the resource metrics API (kubectl top, HorizontalPodAutoscalers) on every cluster',
    rows: () => [
      {
        title: 'Resource metrics API',
        panels: [
          stat(
            'metrics.k8s.io unavailable',
            [{ expr: `max by (cluster) (aggregator_unavailable_apiservice{${CLUSTER}, name="v1beta1.metrics.k8s.io"})`, legend: '{{cluster}}' }],
            {
              thresholds: { base: 'green', steps: [{ value: 1, color: 'red' }] },
              description: 'The API server marks the aggregated API unavailable (1) when metrics-server does not answer',
              width: 8,
            },
          ),
          timeseries(
            'Requests to the aggregated API by code',
            [
              {
                expr: `sum by (cluster, code) (rate(apiserver_request_total{${CLUSTER}, group="metrics.k8s.io"}[$__rate_interval]))`,
                legend: '{{cluster}} {{code}}',
              },
            ],
            { unit: 'reqps', width: 16 },
          ),
        ],
      },
    ],
  },
};
