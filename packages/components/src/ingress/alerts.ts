import { defineAlertGroup } from '../lib/alerts/rules';

/** Share of 5xx answers per backend above which the ingress alerts, once the backend has some traffic (over 0.1 requests/s). */
const RATIO = 0.05;
const MIN_RATE = 0.1;

/** Per backend: `service` for Traefik, `<namespace>/<ingress>` for ingress-nginx, so one summary fits both. */
function fiveXxRatio(controller: 'traefik' | 'ingress-nginx'): string {
  const [metric, code, by] =
    controller === 'traefik'
      ? ['traefik_service_requests_total', 'code', 'service']
      : ['nginx_ingress_controller_requests', 'status', 'exported_namespace, ingress'];
  const rate = (filter: string) => `sum by (${by}) (rate(${metric}${filter}[5m]))`;
  const expr = `(${rate(`{${code}=~"5.."}`)} / ${rate('')} > ${RATIO}) and ${rate('')} > ${MIN_RATE}`;
  return controller === 'traefik' ? expr : `label_join(${expr}, "service", "/", "exported_namespace", "ingress")`;
}

/** Requests through the cluster's ingress controller. */
export const INGRESS_ALERTS = defineAlertGroup<{ controller: 'traefik' | 'ingress-nginx' }>({
  name: 'ingress',
  title: 'Ingress',
  example: { controller: 'traefik' },
  alerts: [
    {
      alert: 'IngressHigh5xxRate',
      severity: 'warning',
      summary: 'Many 5xx answers for {{ $labels.service }}',
      description:
        'More than 5 % of the requests the ingress controller routed to {{ $labels.service }} were answered with a 5xx status over ' +
        'the last 5 minutes, for 10 minutes: the backend fails or is unreachable.',
      expr: (p) => fiveXxRatio(p.controller),
      for: '10m',
      tests: {
        fires: {
          series: [
            { series: 'traefik_service_requests_total{service="harbor-harbor-core-80@kubernetes",code="200"}', values: '0+60x30' },
            { series: 'traefik_service_requests_total{service="harbor-harbor-core-80@kubernetes",code="502"}', values: '0+12x30' },
          ],
          at: '25m',
          labels: { service: 'harbor-harbor-core-80@kubernetes' },
        },
        silent: {
          series: [
            { series: 'traefik_service_requests_total{service="harbor-harbor-core-80@kubernetes",code="200"}', values: '0+60x30' },
            { series: 'traefik_service_requests_total{service="harbor-harbor-core-80@kubernetes",code="502"}', values: '0+1x30' },
          ],
          at: '25m',
        },
      },
    },
  ],
});
