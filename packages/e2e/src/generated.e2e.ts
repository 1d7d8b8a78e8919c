import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { DEFAULT_FLUX_VERSION } from '@ck8s/bootstrap';
import { renderFromWorkspace, writeEnvironment } from '@ck8s/render';
import { generateAgeIdentity } from '@ck8s/secrets';
import { hasShared, realTool, sharedDir, tempDir } from '@ck8s/testing';
import { newEnvironment } from '@ck8s/tools/generators/new-environment/generator';
import type { NewEnvironmentSchema } from '@ck8s/tools/generators/new-environment/schema';
import { formatReport, formatRejection, newApplier, planOf, withControlPlane, type ClusterRunOptions } from './cluster-run';
import { CONTROL_PLANE_TOOL } from './control-plane';
import { describeRef, refKey, refOf, type Ref } from './kube';
import type { ClusterPlan } from './plan';

/**
 * A fresh environment, generated in the test with a throwaway age key and rendered, applied like Flux to
 * one real kube-apiserver per cluster: every object accepted (its SOPS Secrets decrypted with the key),
 * a second apply changes nothing, a person's change is taken back, and disabling a component prunes
 * exactly that component's objects.
 */

const bin = realTool(CONTROL_PLANE_TOOL, 'a real kube-apiserver + etcd for the e2e apply');
const kustomize = realTool('kustomize', 'kustomize builds of every Flux Kustomization in the e2e apply');
const shared = hasShared('crds');

const ENV = 'e2e-fresh';
const WORKLOAD = 'apps-1';
let root: string;
let cleanup: () => void;
let identity: string;

function options(cluster: string): ClusterRunOptions {
  return {
    root,
    env: ENV,
    cluster,
    crdsDir: sharedDir('crds'),
    fluxVersion: DEFAULT_FLUX_VERSION,
    keys: { identities: [identity], standIns: false },
    ageKey: identity,
  };
}

const objectRefs = (plan: ClusterPlan): Ref[] => plan.steps.flatMap((s) => s.objects.map(refOf));
const count = (plan: ClusterPlan) => plan.steps.reduce((n, s) => n + s.objects.length, 0);

describe.skipIf(!bin || !kustomize || !shared)(`a freshly generated environment (${ENV}), applied like Flux to real API servers`, () => {
  beforeAll(async () => {
    ({ dir: root, cleanup } = tempDir('ck8s-e2e-fresh-'));
    mkdirSync(join(root, 'environments'));
    mkdirSync(join(root, 'clusters'));
    const key = await generateAgeIdentity();
    identity = key.identity;
    const tree = new FsTree(root, false);
    const schema: NewEnvironmentSchema = {
      name: ENV,
      flavor: 'prod',
      provider: 'upcloud',
      domain: 'fresh.example.com',
      workloadClusters: WORKLOAD,
      ageRecipient: key.recipient,
      gitUrl: 'ssh://git@github.com/acme/platform.git',
      email: 'ops@fresh.example.com',
    };
    await newEnvironment(tree, schema, { bcryptCost: 4, log: () => {}, warn: () => {} });
    flushChanges(root, tree.listChanges());
    await writeEnvironment(root, ENV, renderFromWorkspace(root, ENV));
  }, 300_000);

  afterAll(() => cleanup?.());

  it('management: every object accepted with its Secrets decrypted; applying again changes nothing', async () => {
    const o = options('management');
    const plan = await planOf(o);
    const started = Date.now();
    await withControlPlane(async (cp, kube) => {
      const applier = newApplier(kube, o);
      await applier.bootstrap(o.ageKey);
      const first = await applier.run(plan);
      const again = await applier.run(plan);
      console.log(
        formatReport({
          env: ENV,
          cluster: 'management',
          kustomizations: plan.steps.length,
          objects: count(plan),
          first,
          again,
          startupMs: cp.startupMs,
          wallMs: Date.now() - started,
        }),
      );
      expect(first.rejected.map(formatRejection)).toEqual([]);
      expect(first.applied).toBe(count(plan));
      expect(first.created.length).toBe(count(plan));
      expect(first.standIns).toEqual([]);
      // The generated Secrets were decrypted with the test key, not replaced.
      expect(plan.steps.flatMap((s) => s.objects).filter((x) => x.kind === 'Secret').length).toBeGreaterThan(3);
      expect([...again.created, ...again.configured, ...again.rejected.map(formatRejection)]).toEqual([]);
      expect(again.applied).toBe(count(plan));
    });
  });

  it(`${WORKLOAD}: accepted; re-apply is a no-op; a person's change is taken back; disabling falco prunes exactly falco's objects`, async () => {
    const o = options(WORKLOAD);
    const plan = await planOf(o);
    const started = Date.now();
    await withControlPlane(async (cp, kube) => {
      const applier = newApplier(kube, o);
      await applier.bootstrap(o.ageKey);
      const first = await applier.run(plan);
      const again = await applier.run(plan);
      expect(first.rejected.map(formatRejection)).toEqual([]);
      expect(first.applied).toBe(count(plan));
      expect([...again.created, ...again.configured, ...again.rejected.map(formatRejection)]).toEqual([]);

      // Drift: someone edits a HelmRelease and deletes a NetworkPolicy; the next apply restores both.
      const objects = plan.steps.flatMap((s) => s.objects);
      const release = objects.find((x) => x.kind === 'HelmRelease');
      const policy = objects.find((x) => x.kind === 'NetworkPolicy');
      expect(release && policy).toBeTruthy();
      const wanted = (release!.spec as { interval: string }).interval;
      await kube.mergePatch(refOf(release!), { spec: { interval: '99m' } }, 'kubectl-edit');
      expect(((await kube.get(refOf(release!)))!.spec as { interval: string }).interval).toBe('99m');
      expect(await kube.delete(refOf(policy!))).toBe(true);
      const restored = await applier.run(plan);
      expect(restored.rejected.map(formatRejection)).toEqual([]);
      expect(restored.driftCorrected).toEqual([`${describeRef(refOf(release!))} (fields of kubectl-edit)`]);
      expect(restored.configured).toEqual([describeRef(refOf(release!))]);
      expect(restored.created).toEqual([describeRef(refOf(policy!))]);
      expect(((await kube.get(refOf(release!)))!.spec as { interval: string }).interval).toBe(wanted);
      expect(await kube.get(refOf(policy!))).toBeDefined();

      // Prune: falco disabled on this cluster, re-rendered, applied with pruning by inventory.
      writeFileSync(join(root, 'environments', ENV, `${WORKLOAD}.yaml`), 'components:\n  falco:\n    enabled: false\n');
      await writeEnvironment(root, ENV, renderFromWorkspace(root, ENV));
      const without = await planOf(o);
      const kept = new Set(objectRefs(without).map(refKey));
      const expected = objectRefs(plan).filter((r) => !kept.has(refKey(r)));
      expect(expected.map(describeRef)).toEqual(expect.arrayContaining(['Kustomization/flux-system/falco', 'HelmRelease/falco/falco', 'Namespace/falco']));
      const pruned = await applier.run(without);
      console.log(
        formatReport({
          env: ENV,
          cluster: WORKLOAD,
          kustomizations: plan.steps.length,
          objects: count(plan),
          first: { ...first, pruned: pruned.pruned },
          again,
          startupMs: cp.startupMs,
          wallMs: Date.now() - started,
        }),
      );
      expect(pruned.rejected.map(formatRejection)).toEqual([]);
      expect([...pruned.pruned].sort()).toEqual(expected.map(describeRef).sort());
      for (const r of expected) {
        const live = await kube.get(r);
        // A Namespace stays Terminating (no namespace controller runs); everything else is gone.
        expect(live === undefined || live.metadata.deletionTimestamp !== undefined, describeRef(r)).toBe(true);
      }
      for (const r of objectRefs(without)) expect(await kube.get(r), describeRef(r)).toBeDefined();
    });
  });
});
