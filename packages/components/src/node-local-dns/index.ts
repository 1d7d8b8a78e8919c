import { z } from 'zod';
import { defineComponent } from '../lib/component';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';

/**
 * Link-local address the cache listens on. Fixed rather than configurable: the namespaces
 * component's allow-dns NetworkPolicy (netpol.allowDns) opens exactly this address.
 */
export const NODE_LOCAL_DNS_IP = '169.254.20.10';

/**
 * NodeLocal DNSCache: a caching DNS agent on every node. It binds the link-local address and,
 * in iptables mode, the kube-dns Service address too, so pods hit the node-local cache even
 * before kubelet's `clusterDNS` points at it: fewer conntrack races, no cross-node DNS hops.
 *
 * NetworkPolicy caveat: an intercepted query to the kube-dns Service address is never DNATed to
 * a CoreDNS pod, so the platform's allow-dns policy (CoreDNS pods + 169.254.20.10) does not match
 * it. Nodes should therefore set kubelet `clusterDNS` to 169.254.20.10, as Kubespray does when
 * its own nodelocaldns is on.
 */
export const nodeLocalDns = defineComponent({
  name: 'node-local-dns',
  description: 'Per-node DNS cache in front of CoreDNS',
  roles: ['management', 'workload'],
  // A hostNetwork DaemonSet with NET_ADMIN belongs with the cluster's own DNS in kube-system.
  namespace: 'kube-system',
  podSecurity: 'privileged',
  chart: 'node-local-dns',
  dependsOn: ['kube-prometheus-stack'],
  controls: ['ISO 27001 A.17.2.1'],
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe('Run the node-local DNS cache on every node'),
    clusterDnsIp: z
      .ipv4()
      .default('10.233.0.3')
      .describe('ClusterIP of the kube-dns Service the cache forwards to and intercepts (Kubespray: 10.233.0.3, kubeadm: 10.96.0.10)'),
    clusterDomain: z.string().min(1).default('cluster.local').describe('Cluster DNS domain'),
    cacheTtlSeconds: z.number().int().min(5).max(3600).default(30).describe('Upper bound on how long answers are cached'),
    logQueries: z.boolean().default(false).describe('Log every DNS query (noisy; for debugging only)'),
    serveStale: z.boolean().default(false).describe('Answer from the cache past the TTL while CoreDNS is briefly unreachable, instead of failing the lookup'),
    resources: resourceSettings('25m', '32Mi', '128Mi').describe('Requests and memory limit per node'),
  }),
  defaults: flavorPresets({ production: { serveStale: true, resources: { memory: '64Mi' } } }),
  render(ctx) {
    const { settings } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    return {
      values: {
        config: {
          dnsDomain: settings.clusterDomain,
          dnsServer: settings.clusterDnsIp,
          localDns: NODE_LOCAL_DNS_IP,
          cacheTTL: settings.cacheTtlSeconds,
          enableLogging: settings.logQueries,
          serveStale: { enabled: settings.serveStale },
        },
        resources: toResources(settings.resources),
        // With a ServiceMonitor the chart drops its scrape annotations; without one they are harmless.
        serviceMonitor: { enabled: monitored },
      },
    };
  },
});
