import type { ClusterConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { egressTo } from '../lib/egress';
import { allow, netpol, peers } from '../lib/objects';

const C = 'kube-prometheus-stack';
const byName = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });
/** Ports Prometheus scrapes on nodes: node-exporter, kubelet, kube-proxy, controller-manager, scheduler, etcd. */
const NODE_PORTS = [9100, 10250, 10249, 10257, 10259, 2379, 2381].map((port) => ({ port }));

export interface NetworkInputs {
  namespace: string;
  /** Namespaces whose pods post alerts to the in-cluster Alertmanager (management only). */
  alertSenders: string[];
  ingressNamespace: string;
  /** Management: whether the ops Grafana runs, and whether its users sign in through Dex. */
  grafana: { enabled: boolean; oidc: boolean };
  /** Management with Thanos: Grafana queries it (Prometheus' remote-write is covered by its egress to all pods). */
  thanosNamespace?: string;
}

/**
 * The monitoring namespace starts default-deny. Its pods talk freely to each other (Prometheus,
 * Alertmanager, Grafana, exporters), Prometheus scrapes every namespace and the nodes, and only what
 * must leave the cluster does: remote-write and alerts to the management cluster (workload), the
 * notifications of either role's Alertmanager (the platform's receivers on management, the receivers
 * application developers configure on workload clusters), and Grafana's sign-in through Dex.
 */
export function networkPolicies(cluster: ClusterConfig, n: NetworkInputs): K8sObject[] {
  const ns = n.namespace;
  const objects: K8sObject[] = [
    netpol.allowIngress(C, ns, 'allow-same-namespace', [{ podSelector: {} }], []),
    netpol.allowEgress(C, ns, 'allow-same-namespace-egress', [{ podSelector: {} }], []),
    allow.apiServer(C, cluster, ns),
    netpol.allowEgress(C, ns, 'allow-prometheus-scrape-pods', [{ namespaceSelector: {} }], [], byName('prometheus')),
    egressTo(C, cluster, 'nodes', ns, 'allow-prometheus-scrape-nodes', NODE_PORTS, byName('prometheus')),
    // The API server calls the operator's admission webhook from addresses we cannot know in advance.
    netpol.allowIngress(C, ns, 'allow-operator-webhook', [], [{ port: 10250 }], { matchLabels: { app: `${C}-operator` } }),
    // Slack, OpsGenie, webhooks: HTTPS to wherever the receivers are.
    egressTo(C, cluster, 'notifications', ns, 'allow-alert-receivers', [{ port: 443 }], byName('alertmanager')),
  ];
  if (cluster.role === 'workload') {
    objects.push(egressTo(C, cluster, 'managementEndpoints', ns, 'allow-management-push', [{ port: 443 }], byName('prometheus')));
  } else {
    objects.push(netpol.allowIngress(C, ns, 'allow-ingress-alertmanager', [peers.namespace(n.ingressNamespace)], [{ port: 9093 }], byName('alertmanager')));
    if (n.grafana.enabled)
      objects.push(netpol.allowIngress(C, ns, 'allow-ingress-grafana', [peers.namespace(n.ingressNamespace)], [{ port: 3000 }], byName('grafana')));
    if (n.grafana.enabled && n.grafana.oidc) {
      objects.push(
        // OIDC discovery and token exchange with Dex go through its public endpoint, which may
        // resolve to this cluster's own ingress controller (hairpin).
        egressTo(C, cluster, 'platformEndpoints', ns, 'allow-grafana-oidc', [{ port: 443 }], byName('grafana')),
        allow.toIngress(C, ns, byName('grafana'), 'allow-grafana-to-ingress'),
      );
    }
    if (n.grafana.enabled && n.thanosNamespace) {
      objects.push(netpol.allowEgress(C, ns, 'allow-grafana-thanos', [peers.namespace(n.thanosNamespace)], [{ port: 9090 }], byName('grafana')));
    }
    if (n.alertSenders.length) {
      objects.push(netpol.allowIngress(C, ns, 'allow-alert-senders', n.alertSenders.map(peers.namespace), [{ port: 9093 }], byName('alertmanager')));
    }
  }
  return objects;
}
