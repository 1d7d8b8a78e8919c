import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { DnsLabel } from '@ck8s/config';
import { meta } from './objects';

/**
 * The Capsule Tenant model: what a tenant is (owners, quotas, registries, Pod Security) and the Tenant
 * object built from it. Capsule renders the tenants of its settings with it, user-rbac its
 * self-service tenant, so neither component imports the other for it.
 */

/** Newest Tenant API with a schema in the platform's CRD catalog (v1beta2; v1beta1 is deprecated). */
export const TENANT_API = 'capsule.clastix.io/v1beta2';
/** Capsule's own ClusterRole that lets an owner delete namespaces of its tenant. */
export const NAMESPACE_DELETER = 'capsule-namespace-deleter';

export const Owner = z.strictObject({
  kind: z.enum(['User', 'Group']).describe('OIDC user or group'),
  name: z.string().min(1).describe('User or group name as the API server sees it (OIDC claim)'),
});
export type Owner = z.infer<typeof Owner>;

const PodSecurityLevel = z.enum(['restricted', 'baseline', 'privileged']);
// Kubernetes quantity (100m, 4Gi, 10) for ResourceQuota `hard` values.
const Quantity = z
  .string()
  .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/, { message: 'a Kubernetes quantity such as "4", "500m" or "8Gi"' });

export const TenantSettings = z.strictObject({
  name: DnsLabel.describe('Tenant name; with forceTenantPrefix every namespace is called <tenant>-<name>'),
  owners: z.array(Owner).min(1).describe("Who may create and administer the tenant's namespaces"),
  namespaceQuota: z.number().int().min(1).max(1000).default(10).describe('Maximum number of namespaces in the tenant'),
  resourceQuota: z
    .record(z.string().min(1), Quantity)
    .default({})
    .describe('ResourceQuota hard limits for the whole tenant (summed over its namespaces), e.g. {"requests.cpu": "8", "requests.memory": "32Gi"}'),
  allowedRegistries: z
    .array(z.string().min(1))
    .default([])
    .describe('Registries pods may pull from (exact prefixes such as "harbor.example.com"); empty allows any'),
  podSecurity: PodSecurityLevel.default('restricted').describe("Pod Security level enforced in the tenant's namespaces (owners cannot change it)"),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

export interface TenantContext {
  /** ClusterRole owners get in each tenant namespace. */
  ownerRole: string;
  ingressClass?: string;
  allowLoadBalancer: boolean;
}

/** The tenant-wide rules every tenant gets, plus what its settings ask for. */
export function tenant(component: string, t: TenantSettings, ctx: TenantContext): K8sObject {
  const namespaceOptions: JsonObject = {
    quota: t.namespaceQuota,
    // Capsule stamps the Pod Security labels on each namespace and refuses owners' attempts to set them.
    additionalMetadataList: [
      {
        labels: {
          'pod-security.kubernetes.io/enforce': t.podSecurity,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    ],
    forbiddenLabels: { deniedRegex: '^pod-security\\.kubernetes\\.io/' },
  };
  const spec: JsonObject = {
    owners: t.owners.map((o) => ({ kind: o.kind, name: o.name, clusterRoles: [ctx.ownerRole, NAMESPACE_DELETER] })),
    namespaceOptions,
    serviceOptions: {
      // NodePorts bypass the ingress controller and its source-range filter; ExternalName
      // Services can point ingress traffic at other tenants' services.
      allowedServices: { loadBalancer: ctx.allowLoadBalancer, nodePort: false, externalName: false },
    },
  };
  if (ctx.ingressClass) spec.ingressOptions = { allowedClasses: { allowed: [ctx.ingressClass], default: ctx.ingressClass }, allowWildcardHostnames: false };
  if (t.allowedRegistries.length) spec.containerRegistries = { allowed: t.allowedRegistries };
  if (Object.keys(t.resourceQuota).length) spec.resourceQuotas = { scope: 'Tenant', items: [{ hard: t.resourceQuota }] };
  return { apiVersion: TENANT_API, kind: 'Tenant', metadata: meta(component, t.name), spec };
}

/** Capsule only acts for requests of its configured users: every owner must be one. */
export function capsuleUsers(owners: Owner[]): Owner[] {
  const seen = new Map<string, Owner>();
  for (const o of owners) seen.set(`${o.kind}/${o.name}`, o);
  return [...seen.values()].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}
