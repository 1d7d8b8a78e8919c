import { CLUSTER, RATE, timeseries, type ComponentDashboard } from '../lib/dashboards';

/** Capsule: its controllers' reconciliations and its admission webhooks (self-service namespaces). */
export const CAPSULE_DASHBOARD: ComponentDashboard = {
  component: 'capsule',
  dashboard: {
    name: 'capsule',
    title: 'Capsule tenants',
    description: 'Reconciliations, reconcile errors and admission webhook requests of Capsule on the workload clusters',
    rows: (scope) => {
      const sel = `${CLUSTER}, namespace="${scope.component?.namespace ?? 'capsule-system'}"`;
      return [
        {
          title: 'Controllers and webhooks',
          panels: [
            timeseries(
              'Reconciliations by controller and result',
              [
                {
                  expr: `sum by (cluster, controller, result) (rate(controller_runtime_reconcile_total{${sel}}[${RATE}]))`,
                  legend: '{{cluster}} {{controller}} {{result}}',
                },
              ],
              { unit: 'short' },
            ),
            timeseries(
              'Reconcile errors by controller',
              [
                {
                  expr: `sum by (cluster, controller) (rate(controller_runtime_reconcile_errors_total{${sel}}[${RATE}]))`,
                  legend: '{{cluster}} {{controller}}',
                },
              ],
              { unit: 'short' },
            ),
            timeseries(
              'Admission webhook requests by code',
              [
                {
                  expr: `sum by (cluster, webhook, code) (rate(controller_runtime_webhook_requests_total{${sel}}[${RATE}]))`,
                  legend: '{{cluster}} {{webhook}} {{code}}',
                },
              ],
              { unit: 'reqps', width: 24 },
            ),
          ],
        },
      ];
    },
  },
};
