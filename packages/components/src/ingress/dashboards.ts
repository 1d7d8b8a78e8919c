import { CLUSTER, RATE, timeseries, type ComponentDashboard, type DashboardRow } from '../lib/dashboards';
import { ingressSettings } from './settings';

const traefik: DashboardRow = {
  title: 'Traefik',
  panels: [
    timeseries(
      'Requests by status code',
      [{ expr: `sum by (cluster, code) (rate(traefik_entrypoint_requests_total{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}} {{code}}' }],
      { unit: 'reqps' },
    ),
    timeseries(
      'Request latency (95th percentile)',
      [
        {
          expr: `histogram_quantile(0.95, sum by (cluster, le) (rate(traefik_entrypoint_request_duration_seconds_bucket{${CLUSTER}}[${RATE}])))`,
          legend: '{{cluster}}',
        },
      ],
      { unit: 's' },
    ),
    timeseries(
      'Server errors (5xx) by service',
      [{ expr: `sum by (cluster, service) (rate(traefik_service_requests_total{${CLUSTER}, code=~"5.."}[${RATE}]))`, legend: '{{cluster}} {{service}}' }],
      { unit: 'reqps', width: 24 },
    ),
  ],
};

const nginx: DashboardRow = {
  title: 'ingress-nginx',
  panels: [
    timeseries(
      'Requests by status',
      [{ expr: `sum by (cluster, status) (rate(nginx_ingress_controller_requests{${CLUSTER}}[${RATE}]))`, legend: '{{cluster}} {{status}}' }],
      { unit: 'reqps' },
    ),
    timeseries(
      'Request latency (95th percentile)',
      [
        {
          expr: `histogram_quantile(0.95, sum by (cluster, le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{${CLUSTER}}[${RATE}])))`,
          legend: '{{cluster}}',
        },
      ],
      { unit: 's' },
    ),
    timeseries(
      'Server errors (5xx) by Ingress',
      [
        {
          expr: `sum by (cluster, exported_namespace, ingress) (rate(nginx_ingress_controller_requests{${CLUSTER}, status=~"5.."}[${RATE}]))`,
          legend: '{{cluster}} {{exported_namespace}}/{{ingress}}',
        },
      ],
      { unit: 'reqps', width: 24 },
    ),
  ],
};

/** The ingress controllers: a row for each implementation some cluster of the environment runs. */
export const INGRESS_DASHBOARD: ComponentDashboard = {
  component: 'ingress',
  dashboard: {
    name: 'ingress',
    title: 'Ingress',
    description: 'Requests, latency and server errors of the ingress controllers on every cluster',
    rows: (scope) => {
      const used = new Set(scope.env.clusters.filter((c) => scope.component?.clusters.includes(c.name)).map((c) => ingressSettings(c).controller));
      return [...(used.has('traefik') ? [traefik] : []), ...(used.has('ingress-nginx') ? [nginx] : [])];
    },
  },
};
