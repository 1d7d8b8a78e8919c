import { CLUSTER, endpointRow, RATE, timeseries, type ComponentDashboard } from '../lib/dashboards';
import { endpoints } from '../lib/hosts';

/** Dex: sign-in traffic by handler and status, latency, and its public endpoint. */
export const DEX_DASHBOARD: ComponentDashboard = {
  component: 'dex',
  dashboard: {
    name: 'dex',
    title: 'Dex single sign-on',
    description: 'Requests by handler and status code, latency and the public endpoint of Dex',
    rows: (scope) => {
      const sel = `${CLUSTER}, namespace="${scope.component?.namespace ?? 'dex'}"`;
      return [
        {
          title: 'Requests',
          panels: [
            timeseries(
              'Requests by handler and code',
              [{ expr: `sum by (handler, code) (rate(http_requests_total{${sel}}[${RATE}]))`, legend: '{{handler}} {{code}}' }],
              { unit: 'reqps' },
            ),
            timeseries(
              'Request latency (95th percentile)',
              [{ expr: `histogram_quantile(0.95, sum by (handler, le) (rate(request_duration_seconds_bucket{${sel}}[${RATE}])))`, legend: '{{handler}}' }],
              { unit: 's' },
            ),
          ],
        },
        ...(scope.isEnabled('prometheus-blackbox-exporter') ? [endpointRow(endpoints(scope.env).dex)] : []),
      ];
    },
  },
};
