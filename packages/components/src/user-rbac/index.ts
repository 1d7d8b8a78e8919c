import type { K8sObject } from '@ck8s/manifest';
import { defineComponent, renderConfigError } from '../lib/component';
import { ingressSettings } from '../lib/ingress';
import { meta } from '../lib/objects';
import { tenant } from '../lib/capsule-tenants';
import { clusterRole, namespaceViewerRole, USER_ADMIN_ROLE, USER_NAMESPACE_VIEWER_ROLE, USER_VIEW_ROLE, userAdminRules, userViewRules } from './roles';
import { subjectsOf, userNamespaces, userRbacSettings, userRbacSettingsProblems, type Subjects } from './settings';

const COMPONENT = 'user-rbac';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function subjects(s: Subjects) {
  return subjectsOf(s).map((o) => ({ apiGroup: RBAC_GROUP, kind: o.kind, name: o.name }));
}

function roleBinding(name: string, namespace: string, role: string, s: Subjects): K8sObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: meta(COMPONENT, name, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: subjects(s),
  };
}

const hasSubjects = (s: Subjects) => s.users.length + s.groups.length > 0;

/**
 * The application teams' side of the workload cluster: their namespaces (with Pod Security
 * admission labels) and what their admins and viewers may do there.
 *
 * NetworkPolicies: none are created in user namespaces, not even allow-dns. A platform policy
 * selecting every pod would isolate all their egress without the team knowing why, and would make
 * Gatekeeper's "every pod is covered by a NetworkPolicy" rule pass vacuously. Teams write their
 * own policies; Gatekeeper makes sure they do.
 *
 * With Capsule enabled, the admins also own a tenant, so they can create further namespaces
 * themselves (within its quota) without a platform change.
 */
export const userRbac = defineComponent({
  name: COMPONENT,
  description: "User namespaces with Pod Security labels, and the application teams' RBAC",
  roles: ['workload'],
  // Only namespaced RBAC and cluster-scoped objects; no workloads of its own.
  namespace: 'flux-system',
  podSecurity: 'restricted',
  // Its self-service Tenant needs Capsule's CRD and webhooks (wired only when Capsule is enabled).
  dependsOn: ['capsule'],
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 4 §',
    'ISO 27001 A.9.4.1',
    'NIST SP 800-171 3.1.2',
    'NIST SP 800-171 3.1.4',
    'NIST SP 800-171 3.1.5',
    'NIST SP 800-171 3.1.6',
    'NIST SP 800-171 3.13.3',
  ],
  settings: userRbacSettings,
  checkSettings(s, env) {
    return s.enabled ? userRbacSettingsProblems(env.flavor, s) : [];
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const platform = new Set(ctx.enabledComponents.map((c) => c.namespace));
    const clash = s.namespaces.filter((n) => platform.has(n));
    if (clash.length)
      throw renderConfigError(
        ctx.env.name,
        'components.userRbac.namespaces',
        `${clash.join(', ')} ${clash.length === 1 ? 'is a platform namespace' : 'are platform namespaces'} on cluster ${cluster.name}; choose other names`,
      );

    const objects: K8sObject[] = [
      clusterRole(COMPONENT, USER_ADMIN_ROLE, userAdminRules(ctx.isEnabled)),
      clusterRole(COMPONENT, USER_VIEW_ROLE, userViewRules(ctx.isEnabled)),
    ];
    for (const ns of userNamespaces(cluster)) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: meta(COMPONENT, ns.name, undefined, {
          'pod-security.kubernetes.io/enforce': ns.podSecurity,
          // Audit and warn at restricted even where enforcement is relaxed, so the gap stays visible.
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      });
      if (hasSubjects(s.admins)) objects.push(roleBinding(USER_ADMIN_ROLE, ns.name, USER_ADMIN_ROLE, s.admins));
      if (hasSubjects(s.viewers)) objects.push(roleBinding(USER_VIEW_ROLE, ns.name, USER_VIEW_ROLE, s.viewers));
    }
    const everyone: Subjects = { users: [...s.admins.users, ...s.viewers.users], groups: [...s.admins.groups, ...s.viewers.groups] };
    if (hasSubjects(everyone)) {
      const dedup = { users: [...new Set(everyone.users)].sort(), groups: [...new Set(everyone.groups)].sort() };
      objects.push(namespaceViewerRole(COMPONENT), {
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: meta(COMPONENT, USER_NAMESPACE_VIEWER_ROLE),
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: USER_NAMESPACE_VIEWER_ROLE },
        subjects: subjects(dedup),
      });
    }

    const selfService = ctx.isEnabled('capsule') && s.selfService.enabled && hasSubjects(s.admins);
    // A clash of its name with one of components.capsule.tenants is reported by Capsule, which sees both (selfServiceTenant).
    const config = selfService
      ? [
          tenant(
            COMPONENT,
            {
              name: s.selfService.tenant,
              owners: subjectsOf(s.admins),
              namespaceQuota: s.selfService.namespaceQuota,
              resourceQuota: {},
              allowedRegistries: [],
              podSecurity: s.podSecurity,
            },
            {
              ownerRole: USER_ADMIN_ROLE,
              ingressClass: ctx.isEnabled('ingress') ? ingressSettings(cluster).className : undefined,
              allowLoadBalancer: cluster.settings.network.allowLoadBalancerServices,
            },
          ),
        ]
      : [];
    return { objects, ...(config.length ? { config } : {}) };
  },
});
