import { apiGroup, objectRef, type K8sObject } from '@ck8s/manifest';
import { PROVIDES_API_GROUPS, SOPS_KEY_SECRET } from '@ck8s/render';
import type { Finding } from './finding';
import { isClusterScoped, objectsOfKustomization, type PlacedObject, type Tree } from './tree';

/** API groups every cluster serves before any platform Kustomization runs (Kubernetes + Flux itself). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
]);
/** Namespaces that exist in every cluster (flux-system from the bootstrap). */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/**
 * Secrets the bootstrap creates in flux-system: the age key, and the Git credentials the bootstrap
 * GitRepository (`flux-system`, applied by the root sync) names.
 */
function bootstrapSecrets(root: PlacedObject[]): Set<string> {
  const git = root.find((p) => p.object.kind === 'GitRepository' && p.object.metadata.name === 'flux-system' && p.object.metadata.namespace === 'flux-system');
  const gitSecret = (git?.object as { spec?: { secretRef?: { name?: string } } } | undefined)?.spec?.secretRef?.name;
  return new Set([`flux-system/${SOPS_KEY_SECRET}`, ...(gitSecret ? [`flux-system/${gitSecret}`] : [])]);
}

interface Node {
  name: string;
  file: string;
  dependsOn: string[];
  provides: Set<string>;
  objects: PlacedObject[];
}

function fluxKustomizations(tree: Tree, clusterRoot: string): { nodes: Map<string, Node>; root: PlacedObject[] } {
  const nodes = new Map<string, Node>();
  // The root sync applies the cluster path itself: flux-system/ and flux/ (Kustomizations, notifications).
  const root = objectsOfKustomization(tree, clusterRoot);
  for (const p of root) {
    const o = p.object as K8sObject & { spec?: { path?: string; dependsOn?: { name: string }[] } };
    if (o.kind !== 'Kustomization' || !o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') || o.metadata.name === 'flux-system') continue;
    const path = String(o.spec?.path ?? '').replace(/^\.\//, '');
    nodes.set(o.metadata.name, {
      name: o.metadata.name,
      file: p.file,
      dependsOn: (o.spec?.dependsOn ?? []).map((d) => d.name),
      provides: new Set((o.metadata.annotations?.[PROVIDES_API_GROUPS] ?? '').split(',').filter(Boolean)),
      objects: objectsOfKustomization(tree, path),
    });
  }
  return { nodes, root };
}

function findCycles(nodes: Map<string, Node>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of nodes.get(n)?.dependsOn ?? []) {
      if (!nodes.has(d)) continue;
      if (state.get(d) === 'visiting') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...nodes.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

function ancestors(nodes: Map<string, Node>, name: string): Set<string> {
  const out = new Set<string>();
  const todo = [...(nodes.get(name)?.dependsOn ?? [])];
  while (todo.length) {
    const n = todo.pop() as string;
    if (out.has(n) || !nodes.has(n)) continue;
    out.add(n);
    todo.push(...(nodes.get(n)?.dependsOn ?? []));
  }
  return out;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/** References an object makes to Secrets/ConfigMaps that must exist when it is applied. */
function references(o: K8sObject): { kind: 'Secret' | 'ConfigMap'; name: string; via: string }[] {
  const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
  const refs: { kind: 'Secret' | 'ConfigMap'; name: string; via: string }[] = [];
  if (o.kind === 'HelmRelease') {
    for (const v of (spec.valuesFrom as { kind: 'Secret' | 'ConfigMap'; name: string; optional?: boolean }[] | undefined) ?? []) {
      if (!v.optional) refs.push({ kind: v.kind, name: v.name, via: 'spec.valuesFrom' });
    }
  }
  const secretRef = spec.secretRef as { name?: string } | undefined;
  if (secretRef?.name) refs.push({ kind: 'Secret', name: secretRef.name, via: 'spec.secretRef' });
  const decryption = spec.decryption as { secretRef?: { name?: string } } | undefined;
  if (decryption?.secretRef?.name) refs.push({ kind: 'Secret', name: decryption.secretRef.name, via: 'spec.decryption.secretRef' });
  return refs;
}

/**
 * Graph checks of one cluster's rendered output: no dependsOn cycles or dangling dependsOn; every
 * custom resource's CRD comes from a Kustomization it (transitively) depends on or from the cluster
 * itself; every namespace exists before use; every valuesFrom/secretRef resolves.
 */
export function checkGraph(tree: Tree, clusterRoot: string, cluster: string): Finding[] {
  const findings: Finding[] = [];
  const err = (file: string, object: string | undefined, message: string) =>
    findings.push({ check: 'graph', severity: 'error', cluster, file, object, message });
  const { nodes, root } = fluxKustomizations(tree, clusterRoot);
  const bootstrap = bootstrapSecrets(root);

  for (const n of nodes.values()) {
    for (const d of n.dependsOn)
      if (!nodes.has(d)) err(n.file, `Kustomization/flux-system/${n.name}`, `dependsOn "${d}", which is not rendered for this cluster`);
  }
  for (const cycle of findCycles(nodes)) err(nodes.get(cycle[0])?.file ?? clusterRoot, undefined, `dependsOn cycle: ${cycle.join(' → ')}`);

  const rootNamespaces = new Set(root.filter((p) => p.object.kind === 'Namespace').map((p) => p.object.metadata.name));
  const rootObjects = new Set(root.map((p) => key(p.object.kind, p.object.metadata.namespace, p.object.metadata.name)));
  for (const n of nodes.values()) {
    const before = [...ancestors(nodes, n.name)].map((a) => nodes.get(a) as Node);
    const visible = [n, ...before];
    const groups = new Set(before.flatMap((a) => [...a.provides]));
    const templates = new Set(
      visible.flatMap((a) =>
        a.objects
          .filter((p) => p.object.kind === 'ConstraintTemplate')
          .map((p) => (p.object as { spec?: { crd?: { spec?: { names?: { kind?: string } } } } }).spec?.crd?.spec?.names?.kind),
      ),
    );
    const crds = new Set(
      before.flatMap((a) =>
        a.objects.filter((p) => p.object.kind === 'CustomResourceDefinition').map((p) => (p.object as { spec?: { group?: string } }).spec?.group),
      ),
    );
    const namespaces = new Set([
      ...BUILT_IN_NAMESPACES,
      ...rootNamespaces,
      ...visible.flatMap((a) => a.objects.filter((p) => p.object.kind === 'Namespace').map((p) => p.object.metadata.name)),
    ]);
    const available = new Set([
      ...rootObjects,
      ...visible.flatMap((a) => a.objects.map((p) => key(p.object.kind, p.object.metadata.namespace, p.object.metadata.name))),
    ]);

    for (const { object: o, file } of n.objects) {
      const ref = objectRef(o);
      const group = apiGroup(o.apiVersion);
      if (group === 'constraints.gatekeeper.sh') {
        if (!templates.has(o.kind))
          err(
            file,
            ref,
            `no ConstraintTemplate for kind ${o.kind} in this Kustomization's dependencies (${n.name} must depend on the one applying the template)`,
          );
      } else if (!BUILT_IN_GROUPS.has(group) && !groups.has(group) && !crds.has(group) && group !== 'kustomize.config.k8s.io') {
        err(file, ref, `uses API group ${group}, but no Kustomization that ${n.name} depends on provides its CRDs; add the providing component to dependsOn`);
      }
      const ns = o.metadata.namespace;
      if (ns && !isClusterScoped(o) && !namespaces.has(ns)) err(file, ref, `namespace "${ns}" is not created by ${n.name} or anything it depends on`);
      for (const r of references(o)) {
        const refNs = o.kind === 'Kustomization' ? 'flux-system' : ns;
        const fromBootstrap = r.kind === 'Secret' && bootstrap.has(`${refNs}/${r.name}`);
        if (!fromBootstrap && !available.has(key(r.kind, refNs, r.name)))
          err(
            file,
            ref,
            `${r.via} refers to ${r.kind} "${r.name}", which is not rendered in ${n.name} or its dependencies ` +
              '(missing secret file under environments/<env>/secrets/?)',
          );
      }
    }
  }
  // Objects the root sync applies itself (notifications, sources): their secrets must be rendered too.
  for (const { object: o, file } of root) {
    for (const r of references(o)) {
      const ns = o.metadata.namespace ?? 'flux-system';
      if (r.kind === 'Secret' && bootstrap.has(`${ns}/${r.name}`)) continue;
      if (!rootObjects.has(key(r.kind, ns, r.name)))
        err(
          file,
          objectRef(o),
          `${r.via} refers to ${r.kind} "${r.name}", which is not rendered (add environments/<env>/secrets/${r.name}.sops.yaml with namespace ${ns})`,
        );
    }
  }
  return findings;
}
