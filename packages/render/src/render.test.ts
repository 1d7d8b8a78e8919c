import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot, snapshot, tempDir } from '@ck8s/testing';
import { findKustomizer, missingToolMessage, toolsRequired } from '@ck8s/toolchain';
import { compareRendered } from './drift';
import { listEnvironments, readRenderedEnvironment, renderFromWorkspace, writeEnvironment } from './workspace';

const CLI = join(repoRoot, 'packages/render/src/cli.ts');
const TSX = join(repoRoot, 'node_modules/.bin/tsx');

function run(root: string, ...args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args, '--root', root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A scratch workspace: the shipped environments and their committed output. */
function scratch() {
  const t = tempDir('ck8s-render-');
  cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
  mkdirSync(join(t.dir, 'clusters'));
  return t;
}

describe('rendering the shipped environments', () => {
  const envs = listEnvironments(repoRoot);
  const renders = new Map(envs.map((e) => [e, renderFromWorkspace(repoRoot, e)]));

  it('ships example-dev and example-prod', () => {
    expect(envs).toEqual(expect.arrayContaining(['example-dev', 'example-prod']));
  });

  it('is deterministic: two renders are byte-identical', () => {
    for (const env of envs) expect([...renderFromWorkspace(repoRoot, env)]).toEqual([...renders.get(env)!]);
  });

  it('writes LF-only YAML that ends in one newline and carries no timestamps', () => {
    for (const files of renders.values()) {
      for (const [path, text] of files) {
        expect(text.endsWith('\n') && !text.endsWith('\n\n'), path).toBe(true);
        expect(text.includes('\r'), path).toBe(false);
        // SOPS files are the operator's ciphertext, copied verbatim (their own lastmodified included).
        if (!path.endsWith('.sops.yaml')) expect(text, path).not.toMatch(/creationTimestamp|lastmodified|generatedAt/);
      }
    }
  });

  const docs = () =>
    [...renders.values()].flatMap((files) => [...files].flatMap(([path, text]) => YAML.parseAllDocuments(text).map((d) => ({ path, doc: d.toJS() }))));

  it('uses only current Flux APIs', () => {
    const versions = new Set(
      docs()
        .map(({ doc }) => doc?.apiVersion)
        .filter((v: string) => v?.includes('fluxcd.io')),
    );
    expect([...versions].sort()).toEqual([
      'helm.toolkit.fluxcd.io/v2',
      'kustomize.toolkit.fluxcd.io/v1',
      'notification.toolkit.fluxcd.io/v1beta3',
      'source.toolkit.fluxcd.io/v1',
    ]);
  });

  it('sets driftDetection, remediation and a pinned version on every HelmRelease', () => {
    const releases = docs().filter(({ doc }) => doc?.kind === 'HelmRelease' && doc.spec?.chart);
    expect(releases.length).toBeGreaterThan(3);
    for (const { path, doc } of releases) {
      expect(doc.spec.driftDetection?.mode, path).toBe('enabled');
      expect(doc.spec.install.remediation.retries, path).toBeGreaterThan(0);
      expect(doc.spec.chart.spec.version, path).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
    const patches = docs().filter(({ path, doc }) => doc?.kind === 'HelmRelease' && path.includes('/example-dev/') && path.endsWith('release-patch.yaml'));
    expect(patches.length).toBeGreaterThan(0);
    for (const { doc } of patches) expect(doc.spec.driftDetection.mode).toBe('warn');
  });

  it('gives every Flux Kustomization prune, a timeout and a path that exists, and every component one wait', () => {
    for (const [env, files] of renders) {
      const ks = [...files]
        .flatMap(([, t]) => YAML.parseAllDocuments(t).map((d) => d.toJS()))
        .filter((d) => d?.kind === 'Kustomization' && d.apiVersion.startsWith('kustomize.toolkit'));
      expect(ks.length).toBeGreaterThan(4);
      for (const k of ks) {
        expect(k.spec.prune).toBe(true);
        if (k.metadata.name !== 'flux-system') expect(k.spec.wait, k.metadata.name).toBe(true);
        expect(k.spec.timeout).toMatch(/^\d+m$/);
        const path = k.spec.path.replace(/^\.\//, '');
        expect(files.has(`${path}/kustomization.yaml`), `${env}: ${k.metadata.name} → ${path}`).toBe(true);
      }
    }
  });

  it('orders dependencies: namespaces first, configs after their release', () => {
    const files = renders.get('example-prod')!;
    const cm = YAML.parseAllDocuments(files.get('clusters/example-prod/apps-a/flux/cert-manager.yaml')!).map((d) => d.toJS());
    expect(cm[0].spec.dependsOn).toContainEqual({ name: 'namespaces' });
    expect(cm[1].metadata.name).toBe('cert-manager-config');
    expect(cm[1].spec.dependsOn).toEqual([{ name: 'cert-manager' }]);
  });

  it("points each cluster's sync at its own path and branch", () => {
    const sync = YAML.parseAllDocuments(renders.get('example-prod')!.get('clusters/example-prod/apps-b/flux-system/gotk-sync.yaml')!).map((d) => d.toJS());
    expect(sync[0].spec.ref).toEqual({ branch: 'main' });
    expect(sync[1].spec.path).toBe('./clusters/example-prod/apps-b');
  });

  it('equals the committed clusters/ output (the drift gate)', () => {
    for (const [env, files] of renders) expect(compareRendered(files, readRenderedEnvironment(repoRoot, env)).map((d) => d.path)).toEqual([]);
  });
});

describe('kustomize', () => {
  const kustomizer = findKustomizer();
  if (!kustomizer && toolsRequired()) throw new Error(`${missingToolMessage('kustomize', 'building every rendered path')} (kubectl is absent too)`);
  it.skipIf(!kustomizer)('builds every cluster path and every path a Flux Kustomization points at', { timeout: 120_000 }, () => {
    if (!kustomizer) return;
    const dirs = new Set<string>();
    for (const env of listEnvironments(repoRoot)) {
      for (const path of renderFromWorkspace(repoRoot, env).keys())
        if (path.endsWith('/kustomization.yaml') && !path.includes('/bases/')) dirs.add(path.slice(0, -'/kustomization.yaml'.length));
    }
    for (const dir of dirs) {
      const r = spawnSync(kustomizer.command, kustomizer.args(join(repoRoot, dir)), { encoding: 'utf8' });
      expect(r.status, `${dir}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('the render CLI', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = scratch();
    expect(run(t.dir, 'render').code).toBe(0);
  });
  afterAll(() => t.cleanup());

  it('leaves clusters/ untouched and exits 1 on bad config, naming file, line and key', () => {
    const before = snapshot(join(t.dir, 'clusters'));
    const cfg = join(t.dir, 'environments/example-dev/config.yaml');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, good.replace('flavor: dev', 'flavor: dev\nflavour: prod'));
    try {
      const r = run(t.dir, 'render', '--env', 'example-dev');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/environments\/example-dev\/config\.yaml:\d+:1: flavour: unknown key \(did you mean "flavor"\?\)/);
      expect(r.err).toContain('clusters/example-dev/ was left unchanged');
      expect(snapshot(join(t.dir, 'clusters'))).toEqual(before);
    } finally {
      writeFileSync(cfg, good);
    }
  });

  it('fails drift with a diff naming a hand-edited file', () => {
    const file = join(t.dir, 'clusters/example-dev/workload/components/ingress/values.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('replicas: 1', 'replicas: 7'));
    try {
      const r = run(t.dir, 'drift', '--env', 'example-dev');
      expect(r.code).toBe(1);
      expect(r.err).toContain('clusters/example-dev/workload/components/ingress/values.yaml differs from a fresh render');
      expect(r.err).toMatch(/^-\s+replicas: 7$/m);
      expect(r.err).toMatch(/^\+\s+replicas: 1$/m);
    } finally {
      writeFileSync(file, original);
    }
    expect(run(t.dir, 'drift', '--env', 'example-dev').code).toBe(0);
  });

  it('reports orphan and missing files as drift', () => {
    const orphan = join(t.dir, 'clusters/example-dev/workload/stray.yaml');
    writeFileSync(orphan, 'a: 1\n');
    const r = run(t.dir, 'drift', '--env', 'example-dev');
    expect(r.code).toBe(1);
    expect(r.err).toContain('clusters/example-dev/workload/stray.yaml is committed but no longer rendered');
    // A re-render removes it: output is replaced as a whole.
    expect(run(t.dir, 'render', '--env', 'example-dev').code).toBe(0);
    expect(existsSync(orphan)).toBe(false);
  });

  it("removes a disabled component's files and every reference to it", async () => {
    const files = renderFromWorkspace(t.dir, 'example-dev');
    await writeEnvironment(t.dir, 'example-dev', files);
    expect(Object.keys(snapshot(join(t.dir, 'clusters/example-dev'))).some((p) => p.includes('metrics-server'))).toBe(true);
    const cfg = join(t.dir, 'environments/example-dev/config.yaml');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, `${good}components:\n  metricsServer:\n    enabled: false\n`);
    try {
      expect(run(t.dir, 'render', '--env', 'example-dev').code).toBe(0);
      const after = snapshot(join(t.dir, 'clusters/example-dev'));
      expect(Object.keys(after).filter((p) => p.includes('metrics-server'))).toEqual([]);
      // Only the README names it, on purpose: as switched off.
      // The README and the compliance report name what is off on purpose (the compliance gap and the key that closes it).
      const named = new Set(['README.md', 'COMPLIANCE.md', 'compliance.json']);
      expect(Object.entries(after).filter(([p, text]) => !named.has(p) && text.includes('metrics-server'))).toEqual([]);
      expect(after['README.md']).toContain('| **metrics-server** (off): ');
    } finally {
      writeFileSync(cfg, good);
      run(t.dir, 'render', '--env', 'example-dev');
    }
  });

  it('removes the output of a deleted environment on a full render', () => {
    cpSync(join(t.dir, 'environments/example-dev'), join(t.dir, 'environments/tmp-env'), { recursive: true });
    expect(run(t.dir, 'render').code).toBe(0);
    expect(existsSync(join(t.dir, 'clusters/tmp-env/management/kustomization.yaml'))).toBe(true);
    spawnSync('rm', ['-rf', join(t.dir, 'environments/tmp-env')]);
    const r = run(t.dir, 'render');
    expect(r.out).toContain('removed clusters/tmp-env/');
    expect(existsSync(join(t.dir, 'clusters/tmp-env'))).toBe(false);
  });
});
