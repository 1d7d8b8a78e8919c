import type { K8sObject } from '@ck8s/manifest';

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
  defaultDeny: (component: string, namespace: string) =>
    policy(component, namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),

  /** DNS through CoreDNS and, when present, node-local-dns's link-local address. */
  allowDns: (component: string, namespace: string) =>
    policy(component, namespace, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [peers.pods('kube-system', { 'k8s-app': 'kube-dns' }), peers.cidr('169.254.20.10/32')], ports: ports([{ port: 53, protocol: 'UDP' }, { port: 53 }]) },
      ],
    }),

  allowEgress: (component: string, namespace: string, name: string, to: Peer[], p: Port[], podSelector: Record<string, unknown> = {}) =>
    policy(component, namespace, name, { podSelector, policyTypes: ['Egress'], egress: [{ to, ports: ports(p) }] }),

  allowIngress: (component: string, namespace: string, name: string, from: Peer[], p: Port[], podSelector: Record<string, unknown> = {}) =>
    policy(component, namespace, name, { podSelector, policyTypes: ['Ingress'], ingress: [{ ...(from.length ? { from } : {}), ports: ports(p) }] }),
};

/** Resource requests/limits presets: dev is small, prod leaves headroom. */
export function resources(cpu: string, memory: string, memoryLimit = memory) {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
