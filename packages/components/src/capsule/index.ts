import { z } from 'zod';
import type { Flavor } from '@ck8s/config';
import { defineComponent, renderConfigError, type SettingsProblem } from '../lib/component';
import { ingressSettings } from '../lib/ingress';
import { allow, netpol } from '../lib/objects';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { capsuleUsers, tenant, TenantSettings } from '../lib/capsule-tenants';
import { USER_ADMIN_ROLE } from '../user-rbac/roles';
import { selfServiceTenant } from '../user-rbac/settings';

export { TENANT_API } from '../lib/capsule-tenants';

const NS = 'capsule-system';
const WEBHOOK_PORT = 9443;
const METRICS_PORT = 8080;
/** Namespaces no tenant may ever create, whatever the platform runs. */
const ALWAYS_PROTECTED = ['kube-.*', 'default', 'flux-system'];

/**
 * Self-service namespaces with Capsule.
 *
 * Upstream Compliant Kubernetes used the Hierarchical Namespace Controller (HNC), whose project
 * is archived: no fixes, not even for security issues. Capsule replaces it because it is
 * maintained (regular releases, a CNCF sandbox project) and models what application teams need
 * without a namespace hierarchy: a Tenant is a group of namespaces with owners (OIDC users or
 * groups) who create and delete namespaces themselves, within a namespace quota, a tenant-wide
 * resource quota, allowed container registries, allowed ingress classes and service types, and
 * Pod Security labels they cannot change. Everything is declared by cluster-scoped Tenant
 * objects, which suits GitOps: tenants are config, namespaces are the teams' business.
 */
export const capsule = defineComponent({
  name: 'capsule',
  description: 'Self-service namespaces for application teams (Capsule tenants)',
  roles: ['workload'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'capsule',
  // cert-manager issues the webhook certificate; the chart's ServiceMonitor needs the Prometheus operator.
  dependsOn: ['cert-manager', 'kube-prometheus-stack'],
  providesApiGroups: ['capsule.clastix.io'],
  controls: ['ISO 27001 A.12.1.4', 'ISO 27001 A.14.2.5'],
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe('Let application teams create their own namespaces through Capsule tenants'),
    replicas: z.number().int().min(1).max(5).default(1).describe('Controller replicas; its admission webhooks fail closed, so production runs two'),
    forceTenantPrefix: z.boolean().default(true).describe('Require tenant namespaces to be named <tenant>-<name>, so tenants never collide'),
    tenants: z
      .array(TenantSettings)
      .default([])
      .superRefine((list, issue) => {
        const seen = new Set<string>();
        list.forEach((t, i) => {
          if (seen.has(t.name)) issue.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate tenant name "${t.name}"` });
          seen.add(t.name);
        });
      })
      .describe('Tenants of this cluster: [{name, owners: [{kind: User|Group, name}], namespaceQuota, resourceQuota, allowedRegistries, podSecurity}]'),
    resources: resourceSettings('10m', '128Mi', '256Mi').describe('Requests and memory limit of the controller'),
  }),
  defaults: flavorPresets({ production: { replicas: 2, resources: { cpu: '50m' } } }),
  checkSettings(s, env) {
    return s.enabled ? capsuleSettingsProblems(env.flavor, s) : [];
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    // With user-rbac, owners get its least-privilege user-admin role; otherwise Kubernetes' namespace admin.
    const ownerRole = ctx.isEnabled('user-rbac') ? USER_ADMIN_ROLE : 'admin';
    const ingressClass = ctx.isEnabled('ingress') ? ingressSettings(cluster).className : undefined;
    const tenantCtx = { ownerRole, ingressClass, allowLoadBalancer: cluster.settings.network.allowLoadBalancerServices };
    // user-rbac's self-service tenant: its owners are Capsule users too, and its name is one no tenant here may take.
    const selfService = ctx.isEnabled('user-rbac') ? selfServiceTenant(cluster) : undefined;
    if (selfService && s.tenants.some((t) => t.name === selfService.name)) {
      throw renderConfigError(
        ctx.env.name,
        'components.userRbac.selfService.tenant',
        `tenant "${selfService.name}" is also declared in components.capsule.tenants (cluster ${cluster.name}); rename one of them`,
      );
    }
    const owners = [...s.tenants.flatMap((t) => t.owners), ...(selfService?.owners ?? [])];
    // Tenants must never create (and so own) a namespace the platform uses or will use.
    const platformNamespaces = ctx.enabledComponents.map((c) => c.namespace).filter((n) => !n.startsWith('kube-'));
    const protectedNamespaces = [...new Set([...ALWAYS_PROTECTED, ...platformNamespaces.sort()])];
    return {
      values: {
        replicaCount: s.replicas,
        manager: {
          options: {
            users: capsuleUsers(owners),
            forceTenantPrefix: s.forceTenantPrefix,
            protectedNamespaceRegex: `^(${protectedNamespaces.join('|')})$`,
          },
          // Strict RBAC: the controller gets the permissions it needs instead of cluster-admin,
          // and may only bind the roles tenant owners receive.
          rbac: { strict: true, bindableClusterRoles: [...new Set(['admin', ownerRole])] },
          resources: toResources(s.resources),
        },
        certManager: { generateCertificates: true },
        monitoring: { serviceMonitor: { enabled: monitored } },
      },
      objects: [
        // The controller and its install/delete hook jobs talk to the API server.
        allow.apiServer('capsule', cluster, NS),
        // Admission requests come from the API server, whose source address varies by distribution.
        netpol.allowIngress('capsule', NS, 'allow-webhook', [], [{ port: WEBHOOK_PORT }]),
        ...(monitored ? [allow.fromMonitoring('capsule', NS, [{ port: METRICS_PORT }])] : []),
      ],
      config: s.tenants.map((t) => tenant('capsule', t, tenantCtx)),
    };
  },
});

/**
 * Production invariants (they depend on the flavor, which the settings schema does not see; the
 * component's `checkSettings` reports them): the webhooks fail closed, so a single replica blocks
 * every namespace and pod change while it restarts; and no tenant may run privileged pods, which
 * would own their nodes.
 */
export function capsuleSettingsProblems(flavor: Flavor, s: { replicas: number; tenants: Pick<TenantSettings, 'name' | 'podSecurity'>[] }): SettingsProblem[] {
  if (flavor === 'dev') return [];
  const problems: SettingsProblem[] = [];
  if (s.replicas < 2) problems.push({ path: ['replicas'], message: `must be at least 2 in flavor "${flavor}": Capsule's admission webhooks fail closed` });
  s.tenants.forEach((t, i) => {
    if (t.podSecurity === 'privileged')
      problems.push({
        path: ['tenants', i, 'podSecurity'],
        message: `tenant "${t.name}" enforces Pod Security "privileged", which flavor "${flavor}" does not allow`,
      });
  });
  return problems;
}
