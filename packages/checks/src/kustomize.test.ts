import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { findKustomizer, toolsRequired } from '@ck8s/toolchain';
import { buildClusterPaths, missingKustomizeFinding } from './kustomize';

const kustomizer = findKustomizer();
if (!kustomizer && toolsRequired()) throw new Error('kustomize (or kubectl) is required with CI=true: run `npm run install-tools`');

const ws = tempDir('ck8s-kustomize-test-');
afterAll(() => ws.cleanup());

function kustomization(dir: string, resources: string[], extra = ''): void {
  mkdirSync(join(ws.dir, dir), { recursive: true });
  writeFileSync(
    join(ws.dir, dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n${extra}`,
  );
}
function configMap(file: string, name: string): void {
  writeFileSync(join(ws.dir, file), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: demo\ndata:\n  k: v\n`);
}

describe.skipIf(!kustomizer)('building a cluster’s Flux paths in one kustomize run', () => {
  kustomization('base', ['shared.yaml']);
  configMap('base/shared.yaml', 'shared');
  kustomization('a', ['../base', 'a.yaml'], 'configMapGenerator:\n  - name: a-values\n    literals: [x=1]\n');
  configMap('a/a.yaml', 'only-a');
  kustomization('b', ['b.yaml']);
  configMap('b/b.yaml', 'only-b');
  kustomization('twice', ['../base']);
  kustomization('broken', ['missing.yaml']);

  it('attributes every object to the file it came from, generated ones to their kustomization', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'b'], 'c1');
    expect(r.findings).toEqual([]);
    expect(r.processes).toBe(1);
    const files = Object.fromEntries(r.documents.map((d) => [d.filename, d.content]));
    expect(Object.keys(files).sort()).toEqual([
      'a/a.yaml (kustomize build)',
      'a/kustomization.yaml (kustomize build)',
      'b/b.yaml (kustomize build)',
      'base/shared.yaml (kustomize build)',
    ]);
    expect(files['a/kustomization.yaml (kustomize build)']).toMatch(/name: a-values-\w+/);
    expect(files['b/b.yaml (kustomize build)']).toMatch(/name: only-b/);
  });

  it('reports two paths that would apply the same object', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'twice'], 'c1');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ check: 'kustomize', severity: 'error', cluster: 'c1' });
    expect(r.findings[0].message).toMatch(/every Flux path builds alone, but not together/);
    expect(r.findings[0].message).toMatch(/shared/);
  });

  it('names the path that does not build', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'broken'], 'c1');
    expect(r.findings.map((f) => f.file)).toEqual(['broken/kustomization.yaml']);
    expect(r.documents.map((d) => d.filename)).toEqual(['a (kustomize build)']);
  });
});

describe('without any kustomize', () => {
  it('is a warning for users and an error in CI', () => {
    expect(missingKustomizeFinding({}).severity).toBe('warning');
    expect(missingKustomizeFinding({ CI: 'true' }).severity).toBe('error');
    expect(missingKustomizeFinding({ CI: 'true' }).message).toMatch(/kustomize not found .*npm run install-tools/);
  });
});
