import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';

/**
 * The platform's ConstraintTemplates (Rego, written for this platform). Each is one rule with a
 * message that tells the user what to change. Pod rules also see the pods that Deployments,
 * StatefulSets, DaemonSets, Jobs and CronJobs would create (Gatekeeper expansion), so a bad workload
 * is rejected when it is applied, not later when its controller creates pods.
 */
export interface PolicyTemplate {
  kind: string;
  description: string;
  /** openAPIV3Schema of `spec.parameters` (also what the constraint schema check uses). */
  parameters?: JsonObject;
  rego: string;
}

/** Every container of a pod spec, by the field it is listed in. */
const CONTAINERS = `
containers[c] { c := input.review.object.spec.containers[_] }
containers[c] { c := input.review.object.spec.initContainers[_] }
containers[c] { c := input.review.object.spec.ephemeralContainers[_] }
`;

/** Ck8sAllowedRegistries' message format, named here so its Rego line stays readable. */
const UNLISTED_REGISTRY = 'container %v: image %v is not from an allowed registry (%v); push it to one of them';

export const TEMPLATES: PolicyTemplate[] = [
  {
    kind: 'Ck8sAllowedRegistries',
    description: 'Container images come from the listed registries only (image names must be fully qualified).',
    parameters: {
      type: 'object',
      properties: { registries: { type: 'array', items: { type: 'string' }, description: 'Registry hosts (optionally with a path), e.g. harbor.example.com' } },
    },
    rego: `package ck8sallowedregistries
${CONTAINERS}
allowed(image) {
  r := input.parameters.registries[_]
  startswith(image, concat("", [trim_suffix(r, "/"), "/"]))
}

violation[{"msg": msg}] {
  c := containers[_]
  not allowed(c.image)
  msg := sprintf("${UNLISTED_REGISTRY}", [c.name, c.image, concat(", ", input.parameters.registries)])
}
`,
  },
  {
    kind: 'Ck8sDisallowLatestTag',
    description: 'Container images name a version tag or a digest; `latest` and untagged images are rejected.',
    rego: `package ck8sdisallowlatesttag
${CONTAINERS}
# The tag is what follows the last ":" of the last path segment (a registry port is in an earlier segment).
tag(image) = t {
  parts := split(image, "/")
  last := parts[count(parts) - 1]
  contains(last, ":")
  segments := split(last, ":")
  t := segments[count(segments) - 1]
}

pinned(image) { contains(image, "@") }
pinned(image) {
  not contains(image, "@")
  tag(image) != "latest"
}

violation[{"msg": msg}] {
  c := containers[_]
  not pinned(c.image)
  msg := sprintf("container %v: image %v must name a version tag or digest, not latest or nothing", [c.name, c.image])
}
`,
  },
  {
    kind: 'Ck8sRequireResourceRequests',
    description:
      'Containers request the listed resources (or limit them, which sets the request), so the scheduler can place them and capacity can be planned.',
    parameters: {
      type: 'object',
      properties: { resources: { type: 'array', items: { type: 'string' }, description: 'Resource names every container must request, e.g. cpu, memory' } },
    },
    rego: `package ck8srequireresourcerequests

# Ephemeral (debug) containers cannot declare resources.
containers[c] { c := input.review.object.spec.containers[_] }
containers[c] { c := input.review.object.spec.initContainers[_] }

requested(c, r) { _ = c.resources.requests[r] }
# The API server sets a missing request to the limit, but only on Pods: a Deployment's pod template
# reaches this rule (through expansion) undefaulted, so a limit has to count as the request here too.
requested(c, r) { _ = c.resources.limits[r] }

violation[{"msg": msg}] {
  c := containers[_]
  r := input.parameters.resources[_]
  not requested(c, r)
  msg := sprintf("container %v: set resources.requests.%v", [c.name, r])
}
`,
  },
  {
    kind: 'Ck8sRequireNetworkPolicy',
    description: 'Every pod is selected by at least one NetworkPolicy in its namespace (needs NetworkPolicies synced into Gatekeeper).',
    rego: `package ck8srequirenetworkpolicy

namespace = ns { ns := input.review.object.metadata.namespace }
namespace = ns {
  not input.review.object.metadata.namespace
  ns := input.review.namespace
}

labels = l { l := input.review.object.metadata.labels }
labels = {} { not input.review.object.metadata.labels }

has_key(obj, k) { _ = obj[k] }
listed(v, list) { v == list[_] }

labels_match(sel) { not sel.matchLabels }
labels_match(sel) {
  wanted := sel.matchLabels
  count({k | wanted[k] == labels[k]}) == count(wanted)
}

expression_holds(e) { e.operator == "In"; listed(labels[e.key], e.values) }
expression_holds(e) { e.operator == "NotIn"; not has_key(labels, e.key) }
expression_holds(e) { e.operator == "NotIn"; not listed(labels[e.key], e.values) }
expression_holds(e) { e.operator == "Exists"; has_key(labels, e.key) }
expression_holds(e) { e.operator == "DoesNotExist"; not has_key(labels, e.key) }

expressions_match(sel) { not sel.matchExpressions }
expressions_match(sel) {
  exprs := sel.matchExpressions
  count({i | exprs[i]; expression_holds(exprs[i])}) == count(exprs)
}

selected {
  policy := data.inventory.namespace[namespace]["networking.k8s.io/v1"]["NetworkPolicy"][_]
  labels_match(policy.spec.podSelector)
  expressions_match(policy.spec.podSelector)
}

violation[{"msg": msg}] {
  not input.review.object.spec.hostNetwork
  not selected
  msg := sprintf("no NetworkPolicy in namespace %v selects this pod; add one that allows the traffic it needs", [namespace])
}
`,
  },
  {
    kind: 'Ck8sDisallowLoadBalancer',
    description: 'Services of type LoadBalancer are rejected where the cluster does not offer them; expose services through the ingress controller.',
    rego: `package ck8sdisallowloadbalancer

violation[{"msg": msg}] {
  input.review.object.spec.type == "LoadBalancer"
  msg := sprintf("service %v: type LoadBalancer is not available on this cluster; use an Ingress", [input.review.object.metadata.name])
}
`,
  },
  {
    kind: 'Ck8sDisallowPrivileged',
    description: 'Containers do not run privileged.',
    rego: `package ck8sdisallowprivileged
${CONTAINERS}
violation[{"msg": msg}] {
  c := containers[_]
  c.securityContext.privileged
  msg := sprintf("container %v: privileged mode is not allowed", [c.name])
}
`,
  },
  {
    kind: 'Ck8sDisallowHostNamespaces',
    description: "Pods do not share the node's network, PID or IPC namespace and do not bind host ports.",
    rego: `package ck8sdisallowhostnamespaces
${CONTAINERS}
shared[field] {
  field := ["hostNetwork", "hostPID", "hostIPC"][_]
  input.review.object.spec[field]
}

violation[{"msg": msg}] {
  field := shared[_]
  msg := sprintf("%v is not allowed", [field])
}

violation[{"msg": msg}] {
  c := containers[_]
  p := c.ports[_]
  p.hostPort
  msg := sprintf("container %v: hostPort %v is not allowed", [c.name, p.hostPort])
}
`,
  },
  {
    kind: 'Ck8sDisallowHostPath',
    description: 'Pods do not mount directories of the node (hostPath volumes).',
    rego: `package ck8sdisallowhostpath

violation[{"msg": msg}] {
  v := input.review.object.spec.volumes[_]
  v.hostPath
  msg := sprintf("volume %v: hostPath volumes are not allowed; use a PersistentVolumeClaim", [v.name])
}
`,
  },
];

export function constraintTemplate(t: PolicyTemplate): K8sObject {
  const name = t.kind.toLowerCase();
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { ...meta('gatekeeper', name), annotations: { description: t.description } },
    spec: {
      crd: { spec: { names: { kind: t.kind }, ...(t.parameters ? { validation: { openAPIV3Schema: t.parameters } } : {}) } },
      targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: t.rego }],
    },
  };
}

/** Pod-producing workloads, checked as the pods they would create. */
export function expansionTemplates(): K8sObject[] {
  const pod = { group: '', version: 'v1', kind: 'Pod' };
  return [
    {
      apiVersion: 'expansion.gatekeeper.sh/v1beta1',
      kind: 'ExpansionTemplate',
      metadata: meta('gatekeeper', 'expand-workloads'),
      spec: {
        applyTo: [
          { groups: ['apps'], kinds: ['DaemonSet', 'Deployment', 'StatefulSet'], versions: ['v1'] },
          { groups: ['batch'], kinds: ['Job'], versions: ['v1'] },
        ],
        templateSource: 'spec.template',
        generatedGVK: pod,
      },
    },
    {
      apiVersion: 'expansion.gatekeeper.sh/v1beta1',
      kind: 'ExpansionTemplate',
      metadata: meta('gatekeeper', 'expand-cronjobs'),
      spec: { applyTo: [{ groups: ['batch'], kinds: ['CronJob'], versions: ['v1'] }], templateSource: 'spec.jobTemplate.spec.template', generatedGVK: pod },
    },
  ];
}
