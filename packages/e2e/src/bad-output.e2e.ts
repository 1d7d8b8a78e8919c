import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLUX_VERSION } from '@ck8s/bootstrap';
import type { K8sObject } from '@ck8s/manifest';
import { hasShared, realTool, repoRoot, sharedDir } from '@ck8s/testing';
import type { Rejection } from './apply';
import { newApplier, planOf, withControlPlane, type ClusterRunOptions } from './cluster-run';
import { CONTROL_PLANE_TOOL } from './control-plane';
import { describeRef, refOf } from './kube';
import { subPlan, type ClusterPlan, type Step } from './plan';

/**
 * Rendered output broken on purpose, applied to a real API server: the e2e apply must name the object
 * and the reason. The committed example-dev workload cluster is the base; each case changes its plan
 * (the built objects) and applies only the Kustomizations involved, with all they depend on.
 */

const bin = realTool(CONTROL_PLANE_TOOL, 'a real kube-apiserver + etcd for the e2e apply');
const kustomize = realTool('kustomize', 'kustomize builds of every Flux Kustomization in the e2e apply');
const shared = hasShared('crds');

const o: ClusterRunOptions = {
  root: repoRoot,
  env: 'example-dev',
  cluster: 'workload',
  crdsDir: sharedDir('crds'),
  fluxVersion: DEFAULT_FLUX_VERSION,
  keys: { identities: [], standIns: true },
};

let base: ClusterPlan;

const step = (plan: ClusterPlan, name: string): Step => {
  const found = plan.steps.find((s) => s.ks.name === name);
  if (!found) throw new Error(`example-dev/workload has no Kustomization ${name}`);
  return found;
};
const index = (plan: ClusterPlan, name: string) => plan.steps.findIndex((s) => s.ks.name === name);

async function apply(plan: ClusterPlan): Promise<Rejection[]> {
  return withControlPlane(async (_cp, kube) => {
    const applier = newApplier(kube, o);
    await applier.bootstrap(undefined);
    return (await applier.run(plan)).rejected;
  });
}

/**
 * A Kustomization after `namespaces` with a HelmRelease in a namespace that `namespaces` creates: the
 * victim of the namespace cases.
 */
function releaseInPlatformNamespace(plan: ClusterPlan): { ks: string; release: K8sObject; namespace: string } {
  const created = new Set(
    step(plan, 'namespaces')
      .objects.filter((x) => x.kind === 'Namespace')
      .map((x) => x.metadata.name),
  );
  for (const s of plan.steps) {
    const release = s.objects.find((x) => x.kind === 'HelmRelease' && created.has(x.metadata.namespace ?? ''));
    if (release) return { ks: s.ks.name, release, namespace: release.metadata.namespace as string };
  }
  throw new Error('example-dev/workload has no HelmRelease in a namespace the namespaces Kustomization creates');
}

function moveNamespace(plan: ClusterPlan, namespace: string, to: string): void {
  const from = step(plan, 'namespaces');
  const ns = from.objects.find((x) => x.kind === 'Namespace' && x.metadata.name === namespace) as K8sObject;
  from.objects = from.objects.filter((x) => x !== ns);
  step(plan, to).objects.push(ns);
}

describe.skipIf(!bin || !kustomize || !shared)('bad rendered output is caught by the e2e apply, naming the object and the reason', () => {
  beforeAll(async () => {
    base = await planOf(o);
  }, 300_000);

  it('a HelmRelease that violates a CEL rule of its CRD (chart and chartRef both set)', async () => {
    const plan = structuredClone(base);
    const { ks, release } = releaseInPlatformNamespace(plan);
    (release.spec as Record<string, unknown>).chartRef = { kind: 'OCIRepository', name: 'also-a-chart' };
    const rejected = await apply(subPlan(plan, [ks]));
    expect(rejected.map((r) => [r.object, r.kind])).toEqual([[describeRef(refOf(release)), 'server']]);
    expect(rejected[0].reason).toContain('either chart or chartRef must be set');
    expect(rejected[0].kustomization).toBe(ks);
  });

  it('a namespaced object whose Namespace comes later in the dependsOn order', async () => {
    const plan = structuredClone(base);
    const { ks, release, namespace } = releaseInPlatformNamespace(plan);
    // A Kustomization that waits for the victim, so it runs after it.
    const later = plan.steps.find((s) => plan.ancestors.get(s.ks.name)?.has(ks));
    expect(later, `a Kustomization that depends on ${ks}`).toBeDefined();
    moveNamespace(plan, namespace, later!.ks.name);
    const rejected = await apply(subPlan(plan, [later!.ks.name]));
    const forRelease = rejected.find((r) => r.object === describeRef(refOf(release)));
    expect(forRelease, JSON.stringify(rejected, null, 1)).toMatchObject({ kustomization: ks, kind: 'server' });
    expect(forRelease!.reason).toContain(`namespaces "${namespace}" not found`);
  });

  it('a Namespace applied earlier, but by a Kustomization the user does not depend on (order from dependsOn, not luck)', async () => {
    const plan = structuredClone(base);
    const { ks, release, namespace } = releaseInPlatformNamespace(plan);
    // Runs before the victim in this order, yet the victim does not wait for it: Flux could run it later.
    const unrelated = plan.steps.slice(1, index(plan, ks)).find((s) => s.ks.name !== 'namespaces' && !plan.ancestors.get(ks)?.has(s.ks.name));
    expect(unrelated, `a Kustomization ordered before ${ks} that ${ks} does not depend on`).toBeDefined();
    moveNamespace(plan, namespace, unrelated!.ks.name);
    const rejected = await apply(subPlan(plan, [ks, unrelated!.ks.name]));
    const forRelease = rejected.find((r) => r.object === describeRef(refOf(release)));
    expect(forRelease, JSON.stringify(rejected, null, 1)).toEqual({
      kustomization: ks,
      object: describeRef(refOf(release)),
      kind: 'order',
      reason: `its Namespace ${namespace} is applied by Kustomization ${unrelated!.ks.name}, which ${ks} does not depend on`,
    });
  });

  it('a custom resource applied before its CRD (its Kustomization does not wait for the chart that installs it)', async () => {
    const plan = structuredClone(base);
    const home = plan.steps.find((s) => s.objects.some((x) => x.apiVersion.startsWith('monitoring.coreos.com/')));
    const resource = home?.objects.find((x) => x.apiVersion.startsWith('monitoring.coreos.com/')) as K8sObject;
    // Waits only for the namespaces, so nothing has installed the Prometheus operator's CRDs before it.
    const early = plan.steps.find((s) => s.ks.dependsOn.join() === 'namespaces');
    expect(resource && early).toBeTruthy();
    home!.objects = home!.objects.filter((x) => x !== resource);
    early!.objects.push(resource);
    const rejected = await apply(subPlan(plan, [early!.ks.name]));
    expect(rejected.map((r) => [r.kustomization, r.object, r.kind])).toEqual([[early!.ks.name, describeRef(refOf(resource)), 'server']]);
    expect(rejected[0].reason).toContain(`no matches for kind "${resource.kind}" in version "${resource.apiVersion}"`);
  });

  it('an object applied by two Kustomizations', async () => {
    const plan = structuredClone(base);
    const owner = step(plan, 'namespaces');
    const policy = owner.objects.find((x) => x.kind === 'NetworkPolicy') as K8sObject;
    const second = plan.steps.find((s) => s.ks.dependsOn.includes('namespaces'));
    expect(policy && second).toBeTruthy();
    second!.objects.push(structuredClone(policy));
    const rejected = await apply(subPlan(plan, [second!.ks.name]));
    expect(rejected.map((r) => [r.kustomization, r.object, r.kind])).toEqual([[second!.ks.name, describeRef(refOf(policy)), 'ownership']]);
    const conflict = /^also applied by Kustomization namespaces \(field-manager conflict: Apply failed with \d+ conflicts?: /;
    expect(rejected[0].reason).toMatch(conflict);
    expect(rejected[0].reason).toContain('conflict with "kustomize-controller/flux-system/namespaces"');
  });
});
