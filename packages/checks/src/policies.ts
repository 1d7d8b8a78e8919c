import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectRef, toYamlDocuments, type K8sObject } from '@ck8s/manifest';
import type { PolicyViolation } from '@ck8s/components';
import { objectsOfKustomization, type Tree } from './tree';

/**
 * Everything Flux applies on one cluster, read from the rendered files: the cluster path itself and the
 * path of every Flux Kustomization it declares (each object once). Helm charts contribute their
 * HelmRelease and values, not the workloads the chart will create.
 */
export function clusterObjects(tree: Tree, clusterRoot: string): K8sObject[] {
  const root = objectsOfKustomization(tree, clusterRoot).map((p) => p.object);
  const paths = root
    .filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
    .map((o) => String((o as { spec?: { path?: string } }).spec?.path ?? '').replace(/^\.\//, ''))
    .filter((p) => p && p !== clusterRoot);
  const all = [...root, ...[...new Set(paths)].sort().flatMap((p) => objectsOfKustomization(tree, p).map((x) => x.object))];
  const seen = new Set<string>();
  return all.filter((o) => {
    const key = `${o.apiVersion} ${objectRef(o)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const isConstraint = (o: K8sObject) => o.apiVersion.startsWith('constraints.gatekeeper.sh/');

/** The constraints among `objects`. */
export function constraintsIn(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter(isConstraint);
}

/**
 * The same objects with every constraint also matching the platform's own namespaces: what the
 * platform's objects would face if Gatekeeper looked at them too.
 */
export function withPlatformNamespacesIncluded(objects: readonly K8sObject[]): K8sObject[] {
  return objects.map((o) => {
    if (!isConstraint(o)) return o;
    const spec = o.spec as { match?: Record<string, unknown> };
    const { excludedNamespaces: _, ...match } = spec.match ?? {};
    return { ...o, spec: { ...spec, match } };
  });
}

export interface GatorFinding extends PolicyViolation {
  enforcementAction: string;
}

interface GatorResult {
  msg: string;
  enforcementAction: string;
  constraint: { metadata: { name: string } };
  violatingObject: { kind: string; metadata: { name: string; namespace?: string } };
}

/**
 * Runs `gator test` on the objects (templates, constraints, ExpansionTemplates and everything else
 * together, as Gatekeeper would see them: every object is also synced data, so NetworkPolicies count)
 * and returns every violation. A workload's pods are reported against the workload.
 */
export function gatorTest(gator: string, objects: readonly K8sObject[], workDir: string): GatorFinding[] {
  const file = join(workDir, 'objects.yaml');
  writeFileSync(file, toYamlDocuments([...objects]));
  const r = spawnSync(gator, ['test', '-f', file, '-o', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // Exit 1 means "a deny constraint is violated"; anything else, or no JSON, is gator failing.
  if (r.status !== 0 && r.status !== 1) throw new Error(`gator test failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  let results: GatorResult[] | null;
  try {
    results = JSON.parse(r.stdout) as GatorResult[] | null;
  } catch {
    throw new Error(`gator test printed no JSON: ${(r.stderr || r.stdout).trim().slice(0, 500)}`);
  }
  return (results ?? []).map((x) => ({
    constraint: x.constraint.metadata.name,
    object: { kind: x.violatingObject.kind, namespace: x.violatingObject.metadata.namespace, name: x.violatingObject.metadata.name },
    message: x.msg,
    enforcementAction: x.enforcementAction,
  }));
}
