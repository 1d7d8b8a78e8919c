import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { minimatch } from 'minimatch';
import { join } from 'node:path';
import { binVariable } from '@ck8s/toolchain';
import { describe, expect, it } from 'vitest';
import type { CreateNodesContextV2, TargetConfiguration } from '@nx/devkit';
import { createNodesV2 } from './plugin';

const ROOT = join(__dirname, '..');

async function targetsOf(env: string): Promise<Record<string, TargetConfiguration>> {
  const [, create] = createNodesV2;
  const results = await create([`environments/${env}/config.yaml`], undefined, { workspaceRoot: ROOT, nxJsonConfiguration: {} } as CreateNodesContextV2);
  const project = results[0][1].projects![`environments/${env}`];
  expect(project.name).toBe(env);
  return project.targets!;
}

/** Non-test TypeScript sources of a package. */
function sources(pkg: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
    );
  return walk(join(ROOT, 'packages', pkg, 'src')).map((f) => readFileSync(f, 'utf8'));
}

const envInputs = (t: TargetConfiguration) => (t.inputs ?? []).flatMap((i) => (typeof i === 'object' && 'env' in i ? [i.env] : []));
const externalDependencies = (t: TargetConfiguration) =>
  (t.inputs ?? []).flatMap((i) => (typeof i === 'object' && 'externalDependencies' in i ? i.externalDependencies : []));

describe('inferred environment targets', () => {
  it('render, drift and validate are cached on the environment, the platform sources and (drift, validate) the rendered output', async () => {
    const t = await targetsOf('acme-prod');
    expect(Object.keys(t).sort()).toEqual(['diff', 'drift', 'e2e', 'render', 'validate']);
    expect(t.render.outputs).toEqual(['{workspaceRoot}/clusters/acme-prod']);
    for (const name of ['render', 'drift', 'validate']) {
      expect(t[name].cache, name).toBe(true);
      expect(t[name].options).toEqual({ environment: 'acme-prod' });
      expect(t[name].inputs, name).toEqual(expect.arrayContaining(['{projectRoot}/**/*', 'platformSources']));
    }
    for (const name of ['drift', 'validate']) expect(t[name].inputs, name).toContain('{workspaceRoot}/clusters/acme-prod/**/*');
    expect(t.render.inputs).not.toContain('{workspaceRoot}/clusters/acme-prod/**/*');
    expect(t.diff.cache).toBe(false);
    // The e2e apply depends on a binary and ../shared/crds outside the workspace: never served from the cache.
    expect(t.e2e.cache).toBe(false);
    expect(t.e2e.command).toBe('npx tsx packages/e2e/src/cli.ts --env acme-prod');
  });

  it('every npm package the rendering and checking code imports is an input (a version bump re-renders)', async () => {
    const t = await targetsOf('acme-prod');
    const imported = new Set<string>();
    // bootstrap (Pulumi) and testing are not reached by render, drift or validate; age-encryption is only loaded to decrypt.
    for (const pkg of ['config', 'components', 'render', 'manifest', 'docs', 'checks', 'kubeconform-wrapper', 'secrets']) {
      for (const text of sources(pkg))
        for (const m of text.matchAll(/from '([^.@'][^']*)'/g)) if (!m[1].startsWith('node:') && m[1] !== 'vitest') imported.add(m[1]);
    }
    expect(imported.size).toBeGreaterThan(0);
    for (const name of ['render', 'drift', 'validate'])
      expect(externalDependencies(t[name]).sort(), name).toEqual(expect.arrayContaining([...imported].sort()));
  });

  it('validate is cached on every environment variable the checks read (a cache location aside)', async () => {
    const t = await targetsOf('acme-prod');
    const read = new Set<string>();
    for (const text of sources('checks')) for (const m of text.matchAll(/process\.env\.([A-Z0-9_]+)/g)) read.add(m[1]);
    for (const text of sources('kubeconform-wrapper')) for (const m of text.matchAll(/env\.(KUBECONFORM_[A-Z0-9_]+)/g)) read.add(m[1]);
    // Where caches live does not change a finding: schemas and parsed chart defaults are keyed by content.
    read.delete('CK8S_SCHEMA_CACHE');
    read.delete('CK8S_CHART_DEFAULTS_CACHE');
    // @ck8s/toolchain reads these for the checks: CI makes a missing tool an error, <NAME>_BIN picks a binary.
    read.add('CI');
    for (const tool of ['kubeconform', 'kustomize', 'kubectl']) read.add(binVariable(tool));
    expect(read.size).toBeGreaterThan(3);
    expect(envInputs(t.validate).sort()).toEqual([...read].sort());
  });
});

describe('inferred test targets', () => {
  it('every package with a vitest config gets a cached `vitest run` in its own folder', async () => {
    const [glob, create] = createNodesV2;
    const configs = readdirSync(join(ROOT, 'packages')).flatMap((p) =>
      existsSync(join(ROOT, 'packages', p, 'vitest.config.mts')) ? [`packages/${p}/vitest.config.mts`] : [],
    );
    expect(configs.length).toBeGreaterThan(5);
    for (const file of [...configs, 'tools/vitest.config.mts']) expect(minimatch(file, glob, { dot: true }), file).toBe(true);
    const results = await create(['packages/checks/vitest.config.mts'], undefined, { workspaceRoot: ROOT, nxJsonConfiguration: {} } as CreateNodesContextV2);
    const test = results[0][1].projects!['packages/checks'].targets!.test;
    expect(test).toMatchObject({ command: 'vitest run', options: { cwd: 'packages/checks' }, cache: true });
    // A change in a package the tests import must re-run them (^default), so must a vitest upgrade.
    expect(test.inputs).toEqual(expect.arrayContaining(['default', '^default', { externalDependencies: ['vitest'] }, { env: 'CI' }]));
  });
});
