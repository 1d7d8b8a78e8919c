import { z } from 'zod';
import type { K8sObject } from '@ck8s/manifest';
import { capsule } from '../capsule';
import { certManager } from '../cert-manager';
import { gatekeeper } from '../gatekeeper';
import { ingress } from '../ingress';
import { kubePrometheusStack } from '../kube-prometheus-stack';
import { defineComponent, type Component } from '../lib/component';
import { trivyOperator } from '../trivy-operator';
import { velero } from '../velero';
import { meta } from '../lib/objects';
import type { PolicyRule } from '../user-rbac/roles';
import { Subjects, subjectsOf } from '../user-rbac/settings';

const COMPONENT = 'cluster-admin-rbac';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const PLATFORM_VIEWER_ROLE = 'platform-viewer';
/** Label that aggregates cluster-wide read rules into platform-viewer. */
const AGGREGATE_LABEL = 'ck8s.io/aggregate-to-platform-viewer';
const READ = ['get', 'list', 'watch'];

/**
 * Cluster-scoped objects and platform custom resources an auditor must see to review the
 * platform: nodes, RBAC, admission webhooks, CRDs, Flux state. Secrets are never among them.
 */
const CLUSTER_READ: PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes', 'namespaces', 'persistentvolumes', 'events'], verbs: READ },
  { apiGroups: [RBAC_GROUP], resources: ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'csidrivers', 'volumeattachments'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: READ },
  { apiGroups: ['scheduling.k8s.io'], resources: ['priorityclasses'], verbs: READ },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
    verbs: READ,
  },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['apiregistration.k8s.io'], resources: ['apiservices'], verbs: READ },
  {
    apiGroups: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io'],
    resources: ['*'],
    verbs: READ,
  },
];

/**
 * Components whose custom resources an auditor reviews, exposed when the component runs on the
 * cluster. Their API groups come from the components' own `providesApiGroups`, so a group a chart
 * adds (Gatekeeper's expansion templates, say) is readable without a second list to keep in step.
 */
const AUDITABLE: readonly Component[] = [certManager, ingress, kubePrometheusStack, gatekeeper, trivyOperator, velero, capsule];

function binding(name: string, role: string, s: z.output<typeof Subjects>): K8sObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(COMPONENT, name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: subjectsOf(s).map((o) => ({ apiGroup: RBAC_GROUP, kind: o.kind, name: o.name })),
  };
}

const isEmpty = (s: z.output<typeof Subjects>) => s.users.length + s.groups.length === 0;

/**
 * Who operates and who audits the cluster: platform administrators get cluster-admin, auditors get
 * platform-viewer, which reads everything except Secrets. Nothing is rendered for empty lists, so
 * access is always granted by name in the config, never by default.
 */
export const clusterAdminRbac = defineComponent({
  name: COMPONENT,
  description: 'cluster-admin for platform administrators and read-only platform-viewer for auditors',
  roles: ['management', 'workload'],
  // Cluster-scoped RBAC only; no workloads of its own.
  namespace: 'flux-system',
  podSecurity: 'restricted',
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 4 §',
    'ISO 27001 A.9.4.1',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.2',
    'NIST SP 800-171 3.1.4',
    'NIST SP 800-171 3.1.15',
  ],
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe('Bind the platform administrators and auditors'),
    admins: Subjects.describe('Platform administrators (ClusterRole cluster-admin)'),
    viewers: Subjects.describe('Auditors: read-only access to everything except Secrets (ClusterRole platform-viewer)'),
  }),
  render(ctx) {
    const { admins, viewers } = ctx.settings;
    const objects: K8sObject[] = [];
    if (!isEmpty(admins)) objects.push(binding('platform-admins', 'cluster-admin', admins));
    if (!isEmpty(viewers)) {
      const groups = AUDITABLE.filter((c) => ctx.isEnabled(c.name)).flatMap((c) => c.providesApiGroups ?? []);
      const rules: PolicyRule[] = [...CLUSTER_READ, ...(groups.length ? [{ apiGroups: groups, resources: ['*'], verbs: READ }] : [])];
      objects.push(
        // Aggregation keeps the namespaced part in step with Kubernetes' own `view` role as APIs evolve.
        {
          apiVersion: `${RBAC_GROUP}/v1`,
          kind: 'ClusterRole',
          metadata: meta(COMPONENT, PLATFORM_VIEWER_ROLE),
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, { matchLabels: { [AGGREGATE_LABEL]: 'true' } }],
          },
          // No `rules`: the aggregation controller owns that field; setting it here would make Flux fight it.
        },
        {
          apiVersion: `${RBAC_GROUP}/v1`,
          kind: 'ClusterRole',
          metadata: meta(COMPONENT, `${PLATFORM_VIEWER_ROLE}-cluster`, undefined, { [AGGREGATE_LABEL]: 'true' }),
          rules,
        },
        binding('platform-viewers', PLATFORM_VIEWER_ROLE, viewers),
      );
    }
    return { objects };
  },
});
