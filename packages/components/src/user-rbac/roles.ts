import type { K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';

export const USER_ADMIN_ROLE = 'user-admin';
export const USER_VIEW_ROLE = 'user-view';
export const USER_NAMESPACE_VIEWER_ROLE = 'user-namespace-viewer';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Namespaced resources application teams run their workloads with, by API group. DaemonSets are
 * left out on purpose: a per-node workload is a platform concern. ResourceQuotas and LimitRanges
 * are read-only: the platform (or Capsule) sets them.
 */
const WORKLOADS: [string, string[]][] = [
  ['', ['pods', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'replicationcontrollers']],
  ['apps', ['deployments', 'statefulsets', 'replicasets', 'deployments/scale', 'statefulsets/scale', 'replicasets/scale']],
  ['batch', ['jobs', 'cronjobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
];

/** Read-only extras: status, history, quotas and events that explain what the platform did. */
const OBSERVE: [string, string[]][] = [
  ['', ['pods/log', 'pods/status', 'events', 'resourcequotas', 'limitranges']],
  ['apps', ['controllerrevisions']],
  ['discovery.k8s.io', ['endpointslices']],
  ['events.k8s.io', ['events']],
];

/** Custom resources users may manage when the component that serves them is enabled. */
const OPTIONAL: { component: string; group: string; resources: string[] }[] = [
  // alertmanagerconfigs: each team routes its own namespace's alerts on the workload cluster's Alertmanager.
  {
    component: 'kube-prometheus-stack',
    group: 'monitoring.coreos.com',
    resources: ['servicemonitors', 'podmonitors', 'prometheusrules', 'probes', 'alertmanagerconfigs'],
  },
  { component: 'cert-manager', group: 'cert-manager.io', resources: ['certificates', 'issuers'] },
];

function rules(groups: [string, string[]][], verbs: string[]): PolicyRule[] {
  return groups.map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));
}

function optional(isEnabled: (n: string) => boolean, verbs: string[]): PolicyRule[] {
  return OPTIONAL.filter((o) => isEnabled(o.component)).map((o) => ({ apiGroups: [o.group], resources: o.resources, verbs }));
}

/**
 * Administers applications inside the namespaces it is bound in (always through RoleBindings):
 * workloads, Secrets, debugging (exec, port-forward) and delegation of its own rights through
 * Roles/RoleBindings (the API server's escalation check caps what can be granted). No rule names a
 * cluster-scoped resource, so even a mistaken ClusterRoleBinding could not touch nodes,
 * namespaces or cluster RBAC.
 */
export function userAdminRules(isEnabled: (n: string) => boolean): PolicyRule[] {
  return [
    ...rules(WORKLOADS, WRITE),
    { apiGroups: [''], resources: ['secrets'], verbs: WRITE },
    { apiGroups: [''], resources: ['pods/exec', 'pods/portforward', 'pods/attach'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: WRITE },
    ...rules(OBSERVE, READ),
    ...optional(isEnabled, WRITE),
  ];
}

/** Looks, never touches: the same resources read-only, without Secrets or a shell in a pod. */
export function userViewRules(isEnabled: (n: string) => boolean): PolicyRule[] {
  return [
    ...rules(WORKLOADS, READ),
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
    ...rules(OBSERVE, READ),
    ...optional(isEnabled, READ),
  ];
}

export function clusterRole(component: string, name: string, ruleList: PolicyRule[]): K8sObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(component, name), rules: ruleList };
}

/** `kubectl get namespaces` for the teams: names only matter to them, and listing is read-only. */
export function namespaceViewerRole(component: string): K8sObject {
  return clusterRole(component, USER_NAMESPACE_VIEWER_ROLE, [{ apiGroups: [''], resources: ['namespaces'], verbs: READ }]);
}
