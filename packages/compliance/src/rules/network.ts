import type { K8sObject } from '@ck8s/manifest';
import { clustersWith, filesOf, Findings, key, managementOf, objectsOf, planned, requireComponent } from '../input';
import type { EvidenceRule } from '../types';

/** Issuers whose certificates clients trust; Let's Encrypt's staging CA is for testing only. */
const TRUSTED_ISSUERS: readonly string[] = ['letsencrypt-prod', 'custom-ca'];

interface IngressSpec {
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: { host?: string }[];
}

/**
 * Every endpoint is served over TLS, with a certificate from an issuer clients trust: every rendered
 * Ingress covers all its hosts with a TLS block and cert-manager's issuer annotation, and Harbor's
 * chart-made Ingress has TLS on.
 */
export const tlsOnEveryEndpoint: EvidenceRule = {
  id: 'tls-on-every-endpoint',
  components: ['cert-manager', 'ingress', 'harbor'],
  title: 'every endpoint is served over TLS with a certificate from a trusted issuer',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const name = c.cluster.name;
      const issuer = c.cluster.settings.certificates.issuer;
      const ingresses = c.components.flatMap((p) =>
        objectsOf(input, c, p.component.name)
          .filter((o) => o.object.kind === 'Ingress')
          .map((o) => ({ ...o, component: p.component.name })),
      );
      if (!ingresses.length && !planned(c, 'harbor')) continue;
      if (!TRUSTED_ISSUERS.includes(issuer))
        f.gap(`Certificates come from "${issuer}", which clients do not trust`, 'certificates.issuer', issuer, 'letsencrypt-prod', name);
      const files = new Set<string>();
      let hosts = 0;
      for (const { object, file, component } of ingresses) {
        const spec = (object as K8sObject & { spec?: IngressSpec }).spec ?? {};
        const covered = new Set((spec.tls ?? []).flatMap((t) => (t.secretName ? (t.hosts ?? []) : [])));
        const plain = (spec.rules ?? []).map((r) => r.host).filter((h): h is string => !!h && !covered.has(h));
        const annotated = !!object.metadata.annotations?.['cert-manager.io/cluster-issuer'];
        if (plain.length || !annotated)
          f.gap(
            `Ingress ${object.metadata.namespace}/${object.metadata.name} serves ${plain.join(', ') || 'its hosts'} ` +
              `without a managed certificate (a defect of component ${component})`,
            '',
            'no TLS',
            'TLS',
            name,
          );
        else hosts += (spec.rules ?? []).length;
        if (file) files.add(file);
      }
      if (hosts)
        f.saw(`${name}: ${hosts} Ingress host(s) terminate TLS with certificates from ClusterIssuer ${issuer}`, [...files].sort(), ['certificates.issuer']);
      if (planned(c, 'harbor')) {
        const expose = (planned(c, 'harbor')?.output.values as { expose?: { tls?: { enabled?: boolean } } } | undefined)?.expose;
        if (expose?.tls?.enabled === true) f.saw(`${name}: Harbor's Ingress has TLS on`, filesOf(input, name, 'harbor', 'values.yaml'));
        else f.gap('Harbor is exposed without TLS (a defect of component harbor)', '', 'no TLS', 'TLS', name);
      }
    }
    return f.outcome();
  },
};

const isDefaultDeny = (o: K8sObject) => {
  const spec = (o as K8sObject & { spec?: { podSelector?: Record<string, unknown>; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] } }).spec;
  return (
    o.kind === 'NetworkPolicy' &&
    !!spec &&
    Object.keys(spec.podSelector ?? { x: 1 }).length === 0 &&
    ['Ingress', 'Egress'].every((t) => spec.policyTypes?.includes(t)) &&
    !spec.ingress?.length &&
    !spec.egress?.length
  );
};

/** Every platform namespace denies all traffic by default; each component allows only what it needs. */
export const defaultDenyNetworkPolicies: EvidenceRule = {
  id: 'default-deny-network-policies',
  components: ['namespaces'],
  title: 'every platform namespace has a default-deny NetworkPolicy, with allows per component',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const name = c.cluster.name;
      if (!requireComponent(f, input, c, 'namespaces', 'Platform namespaces (with default-deny NetworkPolicies)')) continue;
      const objects = objectsOf(input, c, 'namespaces').map((o) => o.object);
      const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
      const denied = new Set(objects.filter(isDefaultDeny).map((o) => o.metadata.namespace));
      const open = namespaces.filter((n) => !denied.has(n));
      if (open.length)
        f.gap(`Namespaces ${open.join(', ')} have no default-deny NetworkPolicy (a defect of component namespaces)`, '', 'allow all', 'default deny', name);
      else
        f.saw(`${name}: all ${namespaces.length} platform namespaces deny ingress and egress by default`, filesOf(input, name, 'namespaces', 'objects.yaml'), [
          key('namespaces', 'enabled'),
        ]);
    }
    return f.outcome();
  },
};

/** The management cluster, which stores logs and metrics, is a cluster of its own: workloads never run there. */
export const separateManagementCluster: EvidenceRule = {
  id: 'separate-management-cluster',
  components: [],
  title: 'logs, metrics and alerts are kept on a management cluster separate from the workload clusters',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    const workloads = clustersWith(input, ['workload']);
    if (m && workloads.length)
      f.saw(`Management cluster ${m.cluster.name} is separate from the workload clusters ${workloads.map((w) => w.cluster.name).join(', ')}`, [], ['clusters']);
    else f.gap('The environment has no separate management cluster', 'clusters', 'no management cluster', 'one management and one or more workload clusters');
    return f.outcome();
  },
};
