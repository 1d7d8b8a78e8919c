import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, realTool, repoRoot, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
import { sharedSchemaLocations } from '../locations/template';
import { describeDisagreement } from './compare';
import { buildAll, clusterRoots, fluxPaths, kustomizationFiles } from './environments';
import { runDifferential } from './run';

/**
 * Every document of every committed environment, as Flux applies it (each cluster root and each Flux
 * Kustomization path, built with the pinned kustomize), plus the kustomization.yaml files validate also
 * checks: validated by the builtin engine and by the real kubeconform with the flags and schema locations
 * `validate` uses. Verdicts and error paths must be the same, up to the documented intended differences.
 */
const kubeconform = realTool('kubeconform', 'the differential test on the committed environments');
const kustomize = realTool('kustomize', 'building every Flux path for the differential test');
const SHARED = hasShared('schemas');
if (!SHARED) console.log(skipMessage('schemas'));
const roots = clusterRoots(repoRoot);
if (roots.length === 0) console.log(`skipped: no clusters/<env>/<cluster>/flux under ${repoRoot}`);

describe.skipIf(!kubeconform || !kustomize || !SHARED || roots.length === 0)('builtin engine and kubeconform on every environment', () => {
  const { dir, cleanup } = tempDir('kcw-differential-');
  afterAll(cleanup);

  it('agree on every document', async () => {
    const inputs: string[] = [];
    for (const root of roots) {
      for (const build of await buildAll(kustomize as string, repoRoot, fluxPaths(repoRoot, root), 2)) {
        const file = join(dir, `${build.path.replace(/\//g, '__')}.yaml`);
        writeFileSync(file, build.output);
        inputs.push(file);
      }
      inputs.push(...kustomizationFiles(repoRoot, root).map((f) => join(repoRoot, f)));
    }
    // The flags of packages/checks/src/schema.ts: strict, Kubernetes 1.36.0, the shared schema locations.
    const schemaLocations = sharedSchemaLocations(sharedDir());
    const run = runDifferential({ binary: kubeconform as string, inputs, schemaLocations, strict: true, kubernetesVersion: '1.36.0' });
    const count = (key: (c: (typeof run.comparisons)[number]) => string[]) => {
      const out: Record<string, number> = {};
      for (const c of run.comparisons) for (const k of key(c)) out[k] = (out[k] ?? 0) + 1;
      return out;
    };
    console.log(
      `differential: ${run.comparisons.length} documents compared (${roots.length} clusters, ${inputs.length} files); ` +
        `kubeconform verdicts ${JSON.stringify(count((c) => [c.kubeconform.verdict]))}; intended differences ${JSON.stringify(count((c) => c.intended))}; ` +
        `disagreements ${run.disagreements.length}`,
    );
    expect(run.problems).toEqual([]);
    expect(run.disagreements.map(describeDisagreement)).toEqual([]);
    // Hundreds of documents per cluster: a build that silently produced nothing would show here.
    expect(run.comparisons.length).toBeGreaterThan(100 * roots.length);
  }, 600_000);
});
