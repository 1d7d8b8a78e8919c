import { isPlainObject } from '@ck8s/config';
import { asBoolean, asInteger, asStringList, different, fixedAs, mapped, none, replaced, resources, type Converted, type Rule } from './types';
import type { Area } from './area';

/** ck8s `user.constraints` (`<namespace>: {psaLevel: baseline|privileged, ...}`) → our per-namespace Pod Security levels. */
function namespacePodSecurity(v: unknown): Converted {
  if (!isPlainObject(v)) return { skip: 'expected a map of namespaces' };
  const out: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [ns, c] of Object.entries(v)) {
    const level = isPlainObject(c) ? c.psaLevel : undefined;
    if (level === 'baseline' || level === 'privileged' || level === 'restricted') out[ns] = level;
    if (isPlainObject(c) && Object.keys(c).some((k) => k !== 'psaLevel')) dropped.push(ns);
  }
  if (dropped.length && !Object.keys(out).length)
    return { skip: `the per-service exceptions of ${dropped.join(', ')} have no equivalent: our Pod Security levels apply per namespace` };
  return { value: out };
}

const subdomain = (name: string) => fixedAs(name, `our endpoint is ${name}.<domain>`, `move DNS records and clients to ${name}.<domain>`);

const CAPSULE =
  'Capsule replaces HNC: application teams create namespaces in their own tenant (components.capsule, components.userRbac.selfService); no namespace ' +
  'hierarchy or object propagation';

const rules: Rule[] = [
  // ---- Dex ----
  different('dex.subdomain', 'fixed endpoint name', { convert: subdomain('dex') }),
  mapped('dex.replicaCount', 'components.dex.replicas', { clusters: 'sc', convert: asInteger }),
  mapped('dex.enableStaticLogin', 'components.dex.staticPasswords', {
    clusters: 'sc',
    convert: asBoolean,
    note:
      'static passwords are for the dev flavor only: outside dev the value is refused and connectors must be configured (Dex connectors come from ' +
      'secrets.yaml)',
  }),
  ...resources('dex.resources', 'components.dex.resources', { clusters: 'sc' }),
  none('dex.additionalKubeloginRedirects', 'kubelogin redirects are the standard localhost ones'),
  none('dex.contentSecurityPolicy.**', "Dex's default content security policy"),
  different('dex.serviceMonitor.**', 'Dex is always monitored by the platform Prometheus'),
  none('dex.expiry.**', "token and key lifetimes are Dex's defaults"),
  none('dex.google.**', 'no Google group support (service account key); use an OIDC connector to Google Workspace'),

  // ---- user namespaces and RBAC (workload clusters) ----
  different('user.createNamespaces', 'user namespaces are always created (with Pod Security labels and default-deny NetworkPolicies)', {
    clusters: 'wc',
    convert: fixedAs(
      true,
      'always created',
      'RBAC without the namespaces has no equivalent: create them elsewhere and leave components.userRbac.namespaces empty',
    ),
  }),
  mapped('user.namespaces', 'components.userRbac.namespaces', { clusters: 'wc', convert: asStringList }),
  mapped('user.constraints', 'components.userRbac.namespacePodSecurity', {
    clusters: 'wc',
    whole: true,
    convert: namespacePodSecurity,
    note: 'psaLevel per namespace; per-service exceptions have no equivalent',
  }),
  mapped('user.adminUsers', 'components.userRbac.admins.users', { clusters: 'wc', convert: asStringList }),
  mapped('user.adminGroups', 'components.userRbac.admins.groups', { clusters: 'wc', convert: asStringList }),
  none('user.serviceAccounts', 'no service accounts with user-admin: bind them in the namespace'),
  none(
    'user.*.enabled',
    'operator CRDs (sealed secrets, MongoDB, Flux, Kafka, Jaeger) are not pre-installed: a cluster administrator installs them as applications',
  ),
  none('user.extraRoles', 'no extra roles from config: add them as objects of your own'),
  none('user.extraRoleBindings', 'no extra role bindings from config: add them as objects of your own'),
  none('user.extraClusterRoles', 'no extra cluster roles from config: add them as objects of your own'),
  none('user.extraClusterRoleBindings', 'no extra cluster role bindings from config: add them as objects of your own'),
  mapped('clusterAdmin.users', 'components.clusterAdminRbac.admins.users', { convert: asStringList }),
  mapped('clusterAdmin.groups', 'components.clusterAdminRbac.admins.groups', { convert: asStringList }),

  // ---- HNC → Capsule ----
  replaced('hnc.enabled', 'capsule', CAPSULE, { clusters: 'wc', target: 'components.userRbac.selfService.enabled', convert: asBoolean }),
  replaced('hnc.webhook.replicaCount', 'capsule', "Capsule's webhooks run with the controller (components.capsule.replicas)", {
    clusters: 'wc',
    target: 'components.capsule.replicas',
    convert: asInteger,
  }),
  replaced('hnc.**', 'capsule', CAPSULE),
];

export const identity: Area = {
  title: 'Identity and access: Dex, user namespaces and RBAC, HNC → Capsule',
  roots: ['dex', 'user', 'clusterAdmin', 'hnc'],
  rules,
};
