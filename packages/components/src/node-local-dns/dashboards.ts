import { CLUSTER, RATE, timeseries, type ComponentDashboard } from '../lib/dashboards';

const POD = 'node-local-dns-.*';
const sel = `${CLUSTER}, namespace="kube-system", pod=~"${POD}"`;
const perCluster = (counter: string) => `sum by (cluster) (rate(${counter}{${sel}}[${RATE}]))`;

/** node-local-dns: the per-node DNS cache (CoreDNS): query rate, cache hits, failures. */
export const NODE_LOCAL_DNS_DASHBOARD: ComponentDashboard = {
  component: 'node-local-dns',
  pods: POD,
  dashboard: {
    name: 'node-local-dns',
    title: 'node-local-dns',
    description: 'DNS queries, cache hit ratio and error responses of the per-node DNS cache on every cluster',
    rows: () => [
      {
        title: 'DNS',
        panels: [
          timeseries('Queries per second', [{ expr: `sum by (cluster) (rate(coredns_dns_requests_total{${sel}}[${RATE}]))`, legend: '{{cluster}}' }], {
            unit: 'reqps',
          }),
          timeseries(
            'Cache hit ratio',
            [
              {
                expr: `${perCluster('coredns_cache_hits_total')} / (${perCluster('coredns_cache_hits_total')} + ${perCluster('coredns_cache_misses_total')})`,
                legend: '{{cluster}}',
              },
            ],
            { unit: 'percentunit', min: 0, max: 1 },
          ),
          timeseries(
            'Responses by code (other than NOERROR)',
            [{ expr: `sum by (cluster, rcode) (rate(coredns_dns_responses_total{${sel}, rcode!="NOERROR"}[${RATE}]))`, legend: '{{cluster}} {{rcode}}' }],
            { unit: 'reqps', width: 24 },
          ),
        ],
      },
    ],
  },
};
