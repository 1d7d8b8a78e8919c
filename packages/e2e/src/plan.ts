import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { kustomizeBuildAll } from '@ck8s/checks';
import type { K8sObject } from '@ck8s/manifest';
import type { Kustomizer } from '@ck8s/toolchain';
import { decryptSecrets, findSopsSources, type SecretKeys } from './sops';

/**
 * What Flux would apply to one cluster, worked out from the rendered output alone: the root sync
 * Kustomization from flux-system/gotk-sync.yaml, every Flux Kustomization it (transitively) creates, each
 * one's kustomize build with its SOPS Secrets decrypted, and an apply order that respects dependsOn.
 */

export const FLUX_NAMESPACE = 'flux-system';

export interface FluxKustomization {
  name: string;
  namespace: string;
  /** spec.path, relative to the Git source's root (the workspace). */
  path: string;
  /** Names of the Kustomizations this one waits for (same namespace unless given). */
  dependsOn: string[];
  prune: boolean;
  decrypt: boolean;
  /** The Kustomization whose objects include this one (undefined for the root sync). */
  parent?: string;
  object: K8sObject;
}

export interface Step {
  ks: FluxKustomization;
  objects: K8sObject[];
  /** Secrets whose ciphertext no test key opens, applied as same-shaped stand-ins (see sops.ts). */
  standIns: string[];
}

export interface ClusterPlan {
  env: string;
  cluster: string;
  /** The root sync first, then every other Kustomization after all it depends on. */
  steps: Step[];
  /** Per Kustomization, every Kustomization it waits for, directly or not (the root sync included). */
  ancestors: Map<string, Set<string>>;
}

/** A problem in the rendered Flux wiring itself: no server can be asked about objects that cannot be built. */
export class PlanError extends Error {}

/** Spec fields that change what a Kustomization applies; none is rendered today, so none is emulated. */
const NOT_EMULATED = ['postBuild', 'patches', 'images', 'targetNamespace', 'namePrefix', 'nameSuffix', 'components', 'commonMetadata', 'kubeConfig'];

const isFluxKustomization = (o: K8sObject) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');

function toKustomization(o: K8sObject, parent: string | undefined): FluxKustomization {
  const spec = (o.spec ?? {}) as {
    path?: string;
    dependsOn?: { name: string; namespace?: string }[];
    prune?: boolean;
    decryption?: { provider?: string };
    sourceRef?: { kind?: string; name?: string };
  } & Record<string, unknown>;
  const id = `Kustomization/${o.metadata.namespace}/${o.metadata.name}`;
  const unsupported = NOT_EMULATED.filter((f) => spec[f] !== undefined);
  if (unsupported.length)
    throw new PlanError(`${id}: spec.${unsupported.join(', spec.')} is not emulated by the e2e apply; add it to packages/e2e/src/plan.ts`);
  if (spec.sourceRef?.kind !== 'GitRepository' || spec.sourceRef.name !== 'flux-system') {
    throw new PlanError(`${id}: sourceRef ${spec.sourceRef?.kind}/${spec.sourceRef?.name} is not the cluster's Git source (GitRepository/flux-system)`);
  }
  const namespace = o.metadata.namespace ?? FLUX_NAMESPACE;
  const foreign = (spec.dependsOn ?? []).filter((d) => (d.namespace ?? namespace) !== namespace);
  if (foreign.length) throw new PlanError(`${id}: dependsOn across namespaces (${foreign.map((d) => `${d.namespace}/${d.name}`).join(', ')}) is not emulated`);
  if (spec.decryption && spec.decryption.provider !== 'sops') throw new PlanError(`${id}: decryption provider ${spec.decryption.provider} is not sops`);
  return {
    name: o.metadata.name,
    namespace,
    path: String(spec.path ?? '').replace(/^\.\//, ''),
    dependsOn: (spec.dependsOn ?? []).map((d) => d.name),
    prune: spec.prune === true,
    decrypt: spec.decryption !== undefined,
    parent,
    object: o,
  };
}

/** kustomize output → objects, read as YAML 1.1 like the API server and kustomize-controller read it. */
export function parseBuild(text: string): YAML.Document.Parsed[] {
  return YAML.parseAllDocuments(text, { version: '1.1' }).filter((d) => d.contents !== null);
}

/** The root sync Kustomization the bootstrap applies, from the committed gotk-sync.yaml. */
export function rootKustomization(root: string, env: string, cluster: string): FluxKustomization {
  const file = join(root, 'clusters', env, cluster, 'flux-system', 'gotk-sync.yaml');
  if (!existsSync(file)) throw new PlanError(`${file} is missing: render the environment first`);
  const docs = YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as K8sObject);
  const sync = docs.find((d) => isFluxKustomization(d) && d.metadata.name === FLUX_NAMESPACE);
  if (!sync) throw new PlanError(`${file}: no Kustomization ${FLUX_NAMESPACE}`);
  return toKustomization(sync, undefined);
}

/** Kahn's algorithm, ready nodes taken in name order, so the order is the same every run. */
export function applyOrder(nodes: Map<string, FluxKustomization>): string[] {
  for (const n of nodes.values()) {
    const dangling = n.dependsOn.filter((d) => !nodes.has(d));
    if (dangling.length) throw new PlanError(`Kustomization/${n.namespace}/${n.name}: dependsOn ${dangling.join(', ')}, which this cluster does not render`);
  }
  // A Kustomization is created by its parent's apply, so it also waits for its parent.
  const waiting = new Map([...nodes.values()].map((n) => [n.name, new Set([...n.dependsOn, ...(n.parent ? [n.parent] : [])])]));
  const order: string[] = [];
  while (waiting.size) {
    const ready = [...waiting]
      .filter(([, deps]) => deps.size === 0)
      .map(([name]) => name)
      .sort();
    if (!ready.length) throw new PlanError(`dependsOn cycle among: ${[...waiting.keys()].sort().join(', ')}`);
    const next = ready[0];
    order.push(next);
    waiting.delete(next);
    for (const deps of waiting.values()) deps.delete(next);
  }
  return order;
}

function ancestorsOf(nodes: Map<string, FluxKustomization>, rootName: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (name: string): Set<string> => {
    const known = out.get(name);
    if (known) return known;
    const n = nodes.get(name);
    const set = new Set<string>();
    out.set(name, set);
    // The Kustomization that creates another one ran before it, and with it everything that one waited for.
    for (const d of [...(n?.dependsOn ?? []), ...(n?.parent ? [n.parent] : [])]) {
      set.add(d);
      for (const a of visit(d)) set.add(a);
    }
    if (name !== rootName) set.add(rootName);
    return set;
  };
  for (const name of nodes.keys()) visit(name);
  return out;
}

export interface PlanOptions {
  /** The workspace (the Git source root). */
  root: string;
  env: string;
  cluster: string;
  kustomizer: Kustomizer;
  /** Age identities that decrypt the environment's SOPS files. */
  keys: SecretKeys;
}

/** Builds every Kustomization of the cluster; throws PlanError when the Flux wiring cannot be followed. */
export async function planCluster(o: PlanOptions): Promise<ClusterPlan> {
  const root = rootKustomization(o.root, o.env, o.cluster);
  const nodes = new Map<string, FluxKustomization>([[root.name, root]]);
  const built = new Map<string, Step>();
  const sources = findSopsSources(join(o.root, 'clusters', o.env));
  let todo = [root];
  while (todo.length) {
    const results = await kustomizeBuildAll(
      o.kustomizer,
      o.root,
      todo.map((k) => k.path),
      o.cluster,
    );
    const next: FluxKustomization[] = [];
    for (const [i, ks] of todo.entries()) {
      const r = results[i];
      if (r.finding || r.output === undefined) throw new PlanError(`Kustomization/${ks.namespace}/${ks.name}: ${r.finding?.message ?? 'no build output'}`);
      const { objects, standIns } = await decryptSecrets(parseBuild(r.output), ks, o.keys, sources);
      built.set(ks.name, { ks, objects, standIns });
      for (const obj of objects.filter(isFluxKustomization)) {
        if (obj.metadata.name === ks.name) continue; // the root sync applies itself
        if (nodes.has(obj.metadata.name))
          throw new PlanError(
            `Kustomization/${obj.metadata.namespace}/${obj.metadata.name} is rendered twice (in ${nodes.get(obj.metadata.name)?.parent} and ${ks.name})`,
          );
        const child = toKustomization(obj, ks.name);
        nodes.set(child.name, child);
        next.push(child);
      }
    }
    todo = next;
  }
  const steps = applyOrder(nodes).map((n) => built.get(n) as Step);
  return { env: o.env, cluster: o.cluster, steps, ancestors: ancestorsOf(nodes, root.name) };
}

/**
 * The named Kustomizations with everything they wait for, in the plan's order: a smaller apply that is
 * still a valid Flux order (used by the tests that break output on purpose).
 */
export function subPlan(plan: ClusterPlan, names: string[]): ClusterPlan {
  const keep = new Set(names.flatMap((n) => [n, ...(plan.ancestors.get(n) ?? [])]));
  const missing = names.filter((n) => !plan.ancestors.has(n));
  if (missing.length) throw new PlanError(`no Kustomization ${missing.join(', ')} in ${plan.env}/${plan.cluster}`);
  return { ...plan, steps: plan.steps.filter((s) => keep.has(s.ks.name)) };
}
