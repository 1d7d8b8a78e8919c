import { apiGroup, type K8sObject } from '@ck8s/manifest';
import { chartCrdFolder, crdGroup, fluxCrdFolders, readCrds } from './crd-sources';
import { constraintCrd, isConstraintTemplate } from './constraint-crd';
import { describeRef, type Kube, KubeError, refKey, refOf, type Live, type Ref } from './kube';
import { FLUX_NAMESPACE, type ClusterPlan, type FluxKustomization, type Step } from './plan';

/**
 * Applies a cluster plan the way Flux's kustomize-controller does, against a real API server:
 * Kustomization after Kustomization in dependsOn order; inside one, CRDs and Namespaces first, then
 * `*Class` kinds, then the rest; server-side apply with one field manager per Kustomization and strict
 * field validation; the Kustomization's inventory kept in its status; objects that left the inventory
 * pruned. No controller runs, so what helm-controller and Gatekeeper would create is created here: a
 * HelmRelease's chart CRDs (from the pinned upstream files) and the CRD of each ConstraintTemplate.
 */

export const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
const MANAGER_PREFIX = 'kustomize-controller/';

export const managerOf = (ks: Pick<FluxKustomization, 'namespace' | 'name'>) => `${MANAGER_PREFIX}${ks.namespace}/${ks.name}`;

/** Who created a namespace or served kind before any Kustomization ran. */
const KUBERNETES = 'kubernetes';
const BOOTSTRAP = 'bootstrap';
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export type RejectionKind = 'server' | 'order' | 'ownership' | 'crds';

export interface Rejection {
  kustomization: string;
  object: string;
  kind: RejectionKind;
  reason: string;
}

export interface StepResult {
  kustomization: string;
  applied: number;
  created: string[];
  configured: string[];
  /** Fields another manager (a person) had changed, taken back by a forced apply. */
  driftCorrected: string[];
  pruned: string[];
}

export interface RunResult {
  steps: StepResult[];
  applied: number;
  created: string[];
  configured: string[];
  driftCorrected: string[];
  pruned: string[];
  rejected: Rejection[];
  /** CRDs installed on behalf of controllers (helm-controller, Gatekeeper). */
  crdsInstalled: string[];
  standIns: string[];
  wallMs: number;
}

export interface ApplierOptions {
  crdsDir: string;
  fluxVersion: string;
  log?: (line: string) => void;
}

/** Flux's apply stages: cluster definitions, then class kinds, then everything else. */
export function stageOf(o: Pick<K8sObject, 'kind' | 'apiVersion'>): 0 | 1 | 2 {
  if (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') return 0;
  if (o.kind.endsWith('Class')) return 1;
  return 2;
}

export function inventoryId(r: Ref): string {
  return `${r.namespace ?? ''}_${r.name}_${apiGroup(r.apiVersion)}_${r.kind}`;
}

function refFromInventory(entry: { id: string; v: string }): Ref {
  // <namespace>_<name>_<group>_<kind>; names cannot hold "_", groups and kinds neither.
  const [namespace, name, group, kind] = entry.id.split('_');
  return { apiVersion: group ? `${group}/${entry.v}` : entry.v, kind, namespace: namespace || undefined, name };
}

/** Managers named in an SSA conflict message: `conflict with "m": .path` / `conflicts with "m":`. */
export function conflictingManagers(message: string): string[] {
  return [...new Set([...message.matchAll(/conflicts? with "([^"]+)"/g)].map((m) => m[1]))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What applying one object came to: the live object and how it changed, or why it was rejected. */
interface Outcome {
  id: string;
  live?: Live;
  change?: 'created' | 'configured' | 'unchanged';
  /** Set when fields another manager had changed were taken back. */
  drift?: string;
  rejection?: Rejection;
}

/** Runs `fn` over `items`, a few at a time (the API server handles concurrent writes); results in input order. */
async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>, limit = 6): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Bookkeeping the server changes on every write, which says nothing about the object's content. */
function content(o: Live): unknown {
  const { resourceVersion: _rv, generation: _g, managedFields: _m, ...metadata } = o.metadata as Live['metadata'] & { generation?: number };
  return { ...o, metadata };
}

/** Deep equality of two objects' content (key order ignored). */
export function sameContent(a: Live, b: Live): boolean {
  return stableJson(content(a)) === stableJson(content(b));
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export class FluxApplier {
  /** `ns:<name>` / `kind:<group>/<Kind>` → who made it exist: a Kustomization name, BOOTSTRAP or KUBERNETES. */
  private readonly providers = new Map<string, string>();

  constructor(
    readonly kube: Kube,
    private readonly options: ApplierOptions,
  ) {
    for (const ns of BUILT_IN_NAMESPACES) this.providers.set(`ns:${ns}`, KUBERNETES);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** What `flux bootstrap` leaves: the Flux CRDs, the flux-system namespace, the Git and sops-age Secrets. */
  async bootstrap(ageKey: string | undefined): Promise<void> {
    const crds = fluxCrdFolders(this.options.crdsDir, this.options.fluxVersion).flatMap(readCrds);
    await this.installCrds(crds, 'flux-bootstrap', BOOTSTRAP);
    const ns: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLUX_NAMESPACE } };
    await this.kube.apply(ns, 'flux-bootstrap', { force: true });
    this.providers.set(`ns:${FLUX_NAMESPACE}`, BOOTSTRAP);
    const secret = (name: string, data: Record<string, string>): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: FLUX_NAMESPACE },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    // Placeholders: no controller reads them here; they exist because Kustomizations reference them.
    await this.kube.apply(secret('flux-system', { identity: 'e2e placeholder', known_hosts: 'e2e placeholder' }), 'flux-bootstrap', { force: true });
    await this.kube.apply(secret('sops-age', { 'age.agekey': ageKey ?? 'e2e placeholder: no age key' }), 'flux-bootstrap', { force: true });
  }

  /** Applies CRDs, waits until each is Established, and records who provided their kinds. */
  private async installCrds(crds: K8sObject[], manager: string, provider: string): Promise<string[]> {
    const names: string[] = [];
    await inParallel(crds, async (crd) => {
      await this.kube.createOrReplace(crd, manager);
    });
    names.push(...crds.map((c) => c.metadata.name));
    await this.waitEstablished(names);
    for (const crd of crds) {
      const kind = (crd.spec as { names: { kind: string } }).names.kind;
      const key = `kind:${crdGroup(crd)}/${kind}`;
      if (!this.providers.has(key)) this.providers.set(key, provider);
    }
    return names;
  }

  private async waitEstablished(names: string[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const name of names) {
      for (;;) {
        const crd = await this.kube.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
        const conditions = (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
        if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
        if (Date.now() > deadline) throw new Error(`CustomResourceDefinition/${name} not Established after ${timeoutMs / 1000} s`);
        await sleep(100);
      }
    }
  }

  /** Why `obj` may not be applied by `ks` yet: its Namespace or CRD comes from a Kustomization it does not wait for. */
  private async orderProblem(obj: K8sObject, ks: FluxKustomization, allowed: Set<string>): Promise<string | undefined> {
    const info = await this.kube.resource(obj.apiVersion, obj.kind).catch(() => undefined);
    const kindProvider = this.providers.get(`kind:${apiGroup(obj.apiVersion)}/${obj.kind}`);
    if (kindProvider && !allowed.has(kindProvider)) {
      return `its CRD (${obj.kind}.${apiGroup(obj.apiVersion)}) is installed by Kustomization ${kindProvider}, which ${ks.name} does not depend on`;
    }
    const ns = obj.metadata.namespace;
    if (info?.namespaced && ns) {
      const nsProvider = this.providers.get(`ns:${ns}`);
      if (nsProvider && !allowed.has(nsProvider)) return `its Namespace ${ns} is applied by Kustomization ${nsProvider}, which ${ks.name} does not depend on`;
    }
    return undefined;
  }

  private withFluxLabels(obj: K8sObject, ks: FluxKustomization): K8sObject {
    return { ...obj, metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), [NAME_LABEL]: ks.name, [NAMESPACE_LABEL]: ks.namespace } } };
  }

  /**
   * One object, the way Flux decides: a dry-run apply first; when its result has the content the live
   * object has, nothing is written ("unchanged"), else the object is applied (created or configured).
   */
  private async applyOne(obj: K8sObject, ks: FluxKustomization): Promise<Outcome> {
    const id = describeRef(refOf(obj));
    const manager = managerOf(ks);
    const body = this.withFluxLabels(obj, ks);
    const rejected = (kind: RejectionKind, e: KubeError | string): Outcome => ({
      id,
      rejection: { kustomization: ks.name, object: id, kind, reason: typeof e === 'string' ? e : `${e.reason}: ${e.message}` },
    });
    let force = false;
    let drift: string | undefined;
    let dry: Live;
    try {
      dry = await this.kube.apply(body, manager, { dryRun: true });
    } catch (e) {
      if (!(e instanceof KubeError)) throw e;
      if (e.status !== 409) return rejected('server', e);
      const managers = conflictingManagers(e.message);
      const others = managers.filter((m) => m.startsWith(MANAGER_PREFIX) && m !== manager);
      if (others.length) {
        const names = others.map((m) => m.slice(MANAGER_PREFIX.length).split('/').pop());
        return rejected('ownership', `also applied by Kustomization ${names.join(', ')} (field-manager conflict: ${e.message})`);
      }
      // Fields someone else (a person) changed: Flux applies with force and takes them back.
      force = true;
      drift = `${id} (fields of ${managers.join(', ')})`;
      try {
        dry = await this.kube.apply(body, manager, { dryRun: true, force });
      } catch (e2) {
        if (!(e2 instanceof KubeError)) throw e2;
        return rejected('server', e2);
      }
    }
    const live = await this.kube.get(refOf(obj));
    if (live && sameContent(dry, live)) return { id, live, change: 'unchanged', drift };
    try {
      return { id, live: await this.kube.apply(body, manager, { force }), change: live ? 'configured' : 'created', drift };
    } catch (e) {
      if (!(e instanceof KubeError)) throw e;
      return rejected('server', e);
    }
  }

  /**
   * What helm-controller and Gatekeeper would create after this Kustomization became ready. `changed`: the
   * objects this apply created or configured. helm-controller installs a chart's CRDs on install and
   * upgrade, i.e. when its HelmRelease changed; Gatekeeper (re)creates a template's CRD when the template
   * changed.
   */
  private async emulateControllers(ks: FluxKustomization, changed: K8sObject[], crdsInstalled: string[], rejected: Rejection[]): Promise<void> {
    for (const hr of changed.filter((o) => o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/'))) {
      const spec = hr.spec as { chart?: { spec?: { chart?: string; version?: string } }; install?: { crds?: string } };
      const chart = spec.chart?.spec?.chart;
      const version = spec.chart?.spec?.version;
      if (!chart || !version || spec.install?.crds === 'Skip') continue;
      const { folder, error } = chartCrdFolder(this.options.crdsDir, chart, version);
      if (error) {
        rejected.push({ kustomization: ks.name, object: describeRef(refOf(hr)), kind: 'crds', reason: error });
        continue;
      }
      if (folder) crdsInstalled.push(...(await this.installCrds(readCrds(folder), 'helm-controller', ks.name)));
    }
    const templates = changed.filter(isConstraintTemplate);
    if (templates.length) crdsInstalled.push(...(await this.installCrds(templates.map(constraintCrd), 'gatekeeper', ks.name)));
  }

  private async readInventory(ks: FluxKustomization): Promise<Ref[]> {
    const live = await this.kube.get(refOf(ks.object)).catch(() => undefined);
    const entries = (live?.status as { inventory?: { entries?: { id: string; v: string }[] } } | undefined)?.inventory?.entries ?? [];
    return entries.map(refFromInventory);
  }

  /** Records the inventory in the Kustomization's status, as kustomize-controller does. */
  private async writeInventory(ks: FluxKustomization, refs: Ref[]): Promise<void> {
    const entries = refs.map((r) => ({ id: inventoryId(r), v: r.apiVersion.split('/').pop() as string })).sort((a, b) => a.id.localeCompare(b.id));
    const status: K8sObject = {
      apiVersion: ks.object.apiVersion,
      kind: ks.object.kind,
      metadata: { name: ks.name, namespace: ks.namespace },
      status: { inventory: { entries } },
    };
    await this.kube.apply(status, 'kustomize-controller', { force: true, subresource: 'status' });
  }

  /** Deletes what left the inventory, unless it opts out with kustomize.toolkit.fluxcd.io/prune: disabled. */
  private async prune(refs: Ref[]): Promise<string[]> {
    const pruned: string[] = [];
    for (const r of refs) {
      const live = await this.kube.get(r).catch(() => undefined);
      if (!live || live.metadata.annotations?.[PRUNE_ANNOTATION] === 'disabled') continue;
      if (await this.kube.delete(r)) pruned.push(describeRef(r));
    }
    return pruned;
  }

  private async runStep(step: Step, plan: ClusterPlan, rejected: Rejection[], crdsInstalled: string[]): Promise<StepResult> {
    const { ks } = step;
    const result: StepResult = { kustomization: ks.name, applied: 0, created: [], configured: [], driftCorrected: [], pruned: [] };
    const allowed = new Set([ks.name, KUBERNETES, BOOTSTRAP, ...(plan.ancestors.get(ks.name) ?? [])]);
    const previous = await this.readInventory(ks);
    const applied: Live[] = [];
    const changed: Live[] = [];
    const failedBefore = rejected.length;
    for (const stage of [0, 1, 2]) {
      const objects = step.objects.filter((o) => stageOf(o) === stage);
      // Objects of one stage do not depend on each other; results are merged in file order.
      const outcomes = await inParallel(objects, async (obj) => {
        const problem = await this.orderProblem(obj, ks, allowed);
        const outcome = await this.applyOne(obj, ks);
        return { ...outcome, order: problem ? { kustomization: ks.name, object: outcome.id, kind: 'order' as const, reason: problem } : undefined };
      });
      for (const [i, o] of outcomes.entries()) {
        if (o.order) rejected.push(o.order);
        if (o.drift) result.driftCorrected.push(o.drift);
        if (o.rejection || !o.live) {
          if (o.rejection) rejected.push(o.rejection);
          continue;
        }
        result.applied++;
        applied.push(o.live);
        if (o.change === 'created') result.created.push(o.id);
        if (o.change === 'configured') result.configured.push(o.id);
        if (o.change !== 'unchanged') changed.push(o.live);
        const obj = objects[i];
        if (obj.kind === 'Namespace' && !this.providers.has(`ns:${obj.metadata.name}`)) this.providers.set(`ns:${obj.metadata.name}`, ks.name);
      }
      if (stage === 0) {
        const crds = applied.filter((o) => o.kind === 'CustomResourceDefinition');
        await this.waitEstablished(crds.map((c) => c.metadata.name));
        for (const crd of crds) {
          const key = `kind:${crdGroup(crd)}/${(crd.spec as { names: { kind: string } }).names.kind}`;
          if (!this.providers.has(key)) this.providers.set(key, ks.name);
        }
      }
    }
    await this.emulateControllers(ks, changed, crdsInstalled, rejected);
    // A Kustomization that failed keeps its last inventory and prunes nothing, as in Flux.
    if (rejected.length > failedBefore) return result;

    const current = new Map(applied.map((o) => [refKey(refOf(o)), refOf(o)]));
    // What left the inventory. When a Flux Kustomization object itself goes, its finalizer first prunes its own inventory.
    const gone = previous.filter((r) => !current.has(refKey(r)));
    if (ks.prune && gone.length) {
      for (const r of gone.filter((g) => g.kind === 'Kustomization' && apiGroup(g.apiVersion) === 'kustomize.toolkit.fluxcd.io')) {
        const live = await this.kube.get(r).catch(() => undefined);
        if (live && (live.spec as { prune?: boolean }).prune) {
          const orphaned = (live.status as { inventory?: { entries?: { id: string; v: string }[] } } | undefined)?.inventory?.entries ?? [];
          result.pruned.push(...(await this.prune(orphaned.map(refFromInventory))));
        }
      }
      result.pruned.push(...(await this.prune(gone)));
    }
    await this.writeInventory(ks, [...current.values()]);
    return result;
  }

  /** Applies every step of the plan in order (see the class comment); `rejected` lists what failed and why. */
  async run(plan: ClusterPlan): Promise<RunResult> {
    const started = Date.now();
    const rejected: Rejection[] = [];
    const crdsInstalled: string[] = [];
    const steps: StepResult[] = [];
    for (const step of plan.steps) {
      const r = await this.runStep(step, plan, rejected, crdsInstalled);
      this.log(`  ${step.ks.name}: ${r.applied}/${step.objects.length} applied${r.pruned.length ? `, ${r.pruned.length} pruned` : ''}`);
      steps.push(r);
    }
    const all = <K extends 'created' | 'configured' | 'driftCorrected' | 'pruned'>(k: K) => steps.flatMap((s) => s[k]);
    return {
      steps,
      applied: steps.reduce((n, s) => n + s.applied, 0),
      created: all('created'),
      configured: all('configured'),
      driftCorrected: all('driftCorrected'),
      pruned: all('pruned'),
      rejected,
      crdsInstalled,
      standIns: plan.steps.flatMap((s) => s.standIns),
      wallMs: Date.now() - started,
    };
  }
}
