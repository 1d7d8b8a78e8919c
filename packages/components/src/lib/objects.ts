import { API_SERVER_KEY, EGRESS_KEY_ANNOTATION, type ClusterConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { INGRESS_NAMESPACE, MONITORING_NAMESPACE } from './platform-namespaces';

/** Labels on every object the platform renders, so operators can tell platform from user objects. */
export function platformLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'ck8s-gitops', 'app.kubernetes.io/part-of': 'compliant-kubernetes', 'ck8s.io/component': component };
}

export function meta(component: string, name: string, namespace?: string, extra: Record<string, string> = {}) {
  return { name, ...(namespace ? { namespace } : {}), labels: { ...platformLabels(component), ...extra } };
}

export type Port = { port: number; protocol?: 'TCP' | 'UDP' };
type Peer = Record<string, unknown>;

const ports = (list: Port[]) => list.map((p) => ({ protocol: p.protocol ?? 'TCP', port: p.port }));

function policy(component: string, namespace: string, name: string, spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(component, name, namespace), spec };
}

export const peers = {
  namespace: (ns: string): Peer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }),
  pods: (ns: string, labels: Record<string, string>): Peer => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    podSelector: { matchLabels: labels },
  }),
  cidr: (cidr: string): Peer => ({ ipBlock: { cidr } }),
};

/** NetworkPolicy builders: every platform namespace is default-deny, then each component opens what it needs. */
export const netpol = {
  defaultDeny: (component: string, namespace: string) => policy(component, namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),

  /** DNS through CoreDNS and, when present, node-local-dns's link-local address. */
  allowDns: (component: string, namespace: string) =>
    policy(component, namespace, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [peers.pods('kube-system', { 'k8s-app': 'kube-dns' }), peers.cidr('169.254.20.10/32')],
          ports: ports([{ port: 53, protocol: 'UDP' }, { port: 53 }]),
        },
      ],
    }),

  allowEgress: (component: string, namespace: string, name: string, to: Peer[], p: Port[], podSelector: Record<string, unknown> = {}) =>
    policy(component, namespace, name, { podSelector, policyTypes: ['Egress'], egress: [{ to, ports: ports(p) }] }),

  allowIngress: (component: string, namespace: string, name: string, from: Peer[], p: Port[], podSelector: Record<string, unknown> = {}) =>
    policy(component, namespace, name, { podSelector, policyTypes: ['Ingress'], ingress: [{ ...(from.length ? { from } : {}), ports: ports(p) }] }),
};

/** The NetworkPolicy allows components keep needing, named the same everywhere (each namespace is default-deny). */
export const allow = {
  /** Web traffic from the ingress controller. */
  fromIngress: (component: string, ns: string, ports: Port[], podSelector: Record<string, unknown> = {}, name = 'allow-from-ingress') =>
    netpol.allowIngress(component, ns, name, [peers.namespace(INGRESS_NAMESPACE)], ports, podSelector),
  /** Metrics scraping and blackbox probes from the monitoring namespace. */
  fromMonitoring: (component: string, ns: string, ports: Port[], podSelector: Record<string, unknown> = {}, name = 'allow-metrics') =>
    netpol.allowIngress(component, ns, name, [peers.namespace(MONITORING_NAMESPACE)], ports, podSelector),
  /** Pods of the namespace talk to each other (replication, gossip, internal APIs). */
  sameNamespace: (component: string, ns: string): K8sObject[] => [
    netpol.allowIngress(component, ns, 'allow-same-namespace-ingress', [{ podSelector: {} }], []),
    netpol.allowEgress(component, ns, 'allow-same-namespace-egress', [{ podSelector: {} }], []),
  ],
  /** The Kubernetes API server (controllers, leader election, CRD storage, metadata lookups). */
  apiServer: (component: string, cluster: ClusterConfig, ns: string, podSelector: Record<string, unknown> = {}): K8sObject => {
    const policy = netpol.allowEgress(
      component,
      ns,
      'allow-apiserver',
      cluster.settings.network.apiServerCidrs.map(peers.cidr),
      [{ port: 443 }, { port: 6443 }],
      podSelector,
    );
    // Named like the egress-by-destination policies, so validate knows which key allows its addresses.
    return { ...policy, metadata: { ...policy.metadata, annotations: { [EGRESS_KEY_ANNOTATION]: API_SERVER_KEY } } };
  },
  /** The ingress controller's pods, for in-cluster hairpin traffic to public endpoints (OIDC discovery). */
  toIngress: (component: string, ns: string, podSelector: Record<string, unknown> = {}, name = 'allow-to-ingress') =>
    netpol.allowEgress(component, ns, name, [peers.namespace(INGRESS_NAMESPACE)], [{ port: 80 }, { port: 443 }, { port: 8000 }, { port: 8443 }], podSelector),
};

/** Labels that make kube-prometheus-stack's Prometheus pick up a ServiceMonitor/Probe/PrometheusRule. */
export const PROMETHEUS_SELECTOR_LABELS = { release: 'kube-prometheus-stack' };

/** Pod and container security settings that satisfy the `restricted` Pod Security level. */
export const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Resource requests/limits presets: dev is small, prod leaves headroom. */
export function resources(cpu: string, memory: string, memoryLimit = memory) {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
