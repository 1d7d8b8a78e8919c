import { join, resolve } from 'node:path';
import { findKustomizer, requireTool, type Kustomizer } from '@ck8s/toolchain';
import { FluxApplier, type Rejection, type RunResult } from './apply';
import { CONTROL_PLANE_TOOL, startControlPlane, type ControlPlane } from './control-plane';
import { Kube } from './kube';
import { planCluster, type ClusterPlan } from './plan';
import type { SecretKeys } from './sops';

/** Everything one end-to-end run of a cluster needs: what to render from, where the CRDs are, which keys open SOPS. */
export interface ClusterRunOptions {
  root: string;
  env: string;
  cluster: string;
  crdsDir: string;
  fluxVersion: string;
  keys: SecretKeys;
  /** An age key to put in the sops-age Secret (the real one never enters the test cluster). */
  ageKey?: string;
  log?: (line: string) => void;
}

export interface ClusterReport {
  env: string;
  cluster: string;
  kustomizations: number;
  objects: number;
  first: RunResult;
  /** The same plan applied again: every object must come back unchanged. */
  again: RunResult;
  startupMs: number;
  wallMs: number;
}

export function defaultCrdsDir(root: string): string {
  return process.env.CK8S_SHARED_DIR ? join(process.env.CK8S_SHARED_DIR, 'crds') : resolve(root, '..', 'shared', 'crds');
}

export function requireKustomizer(): Kustomizer {
  const k = findKustomizer();
  if (!k) requireTool('kustomize', 'kustomize builds of every Flux Kustomization in the e2e apply');
  return k as Kustomizer;
}

/** A fresh API server for one cluster, stopped (with every child) whatever happens inside `use`. */
export async function withControlPlane<T>(use: (cp: ControlPlane, kube: Kube) => Promise<T>): Promise<T> {
  const cp = await startControlPlane(requireTool(CONTROL_PLANE_TOOL, 'a real kube-apiserver + etcd for the e2e apply'));
  try {
    return await use(cp, Kube.fromKubeconfigFile(cp.kubeconfig));
  } finally {
    await cp.stop();
  }
}

export function newApplier(kube: Kube, o: Pick<ClusterRunOptions, 'crdsDir' | 'fluxVersion' | 'log'>): FluxApplier {
  return new FluxApplier(kube, { crdsDir: o.crdsDir, fluxVersion: o.fluxVersion, log: o.log });
}

export async function planOf(o: ClusterRunOptions, kustomizer = requireKustomizer()): Promise<ClusterPlan> {
  return planCluster({ root: o.root, env: o.env, cluster: o.cluster, kustomizer, keys: o.keys });
}

/** Plans, starts a control plane, bootstraps Flux's part, applies every Kustomization, then applies again. */
export async function runCluster(o: ClusterRunOptions): Promise<ClusterReport> {
  const started = Date.now();
  const plan = await planOf(o);
  return withControlPlane(async (cp, kube) => {
    const applier = newApplier(kube, o);
    await applier.bootstrap(o.ageKey);
    const first = await applier.run(plan);
    const again = await applier.run(plan);
    return {
      env: o.env,
      cluster: o.cluster,
      kustomizations: plan.steps.length,
      objects: plan.steps.reduce((n, s) => n + s.objects.length, 0),
      first,
      again,
      startupMs: cp.startupMs,
      wallMs: Date.now() - started,
    };
  });
}

export function formatRejection(r: Rejection): string {
  return `${r.object} (Kustomization ${r.kustomization}, ${r.kind}): ${r.reason}`;
}

/** The per-cluster summary line and, below it, every rejection and every object a re-apply changed. */
export function formatReport(r: ClusterReport): string {
  const changedAgain = [...r.again.created, ...r.again.configured];
  const lines = [
    `${r.env}/${r.cluster}: ${r.first.applied} of ${r.objects} objects applied in ${r.kustomizations} Kustomizations, ` +
      `${r.first.rejected.length} rejected, ${r.first.pruned.length} pruned; re-apply: ${changedAgain.length} changed, ${r.again.rejected.length} rejected; ` +
      `${r.first.crdsInstalled.length} CRDs installed for controllers` +
      (r.first.standIns.length ? `, ${r.first.standIns.length} Secrets as stand-ins (no key)` : '') +
      `; ${(r.wallMs / 1000).toFixed(1)} s (API server ready in ${(r.startupMs / 1000).toFixed(1)} s)`,
    ...r.first.rejected.map((x) => `  rejected: ${formatRejection(x)}`),
    ...changedAgain.map((x) => `  changed on re-apply: ${x}`),
  ];
  return lines.join('\n');
}

export function reportFailed(r: ClusterReport): boolean {
  return r.first.rejected.length > 0 || r.again.rejected.length > 0 || r.again.created.length > 0 || r.again.configured.length > 0;
}
