import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '@ck8s/testing';
import { renderFromWorkspace, writeEnvironment } from '@ck8s/render';
import { main } from './diff-cli';

/** A scratch repository with the shipped example-prod environment, rendered and committed. */
describe('ck8s-diff on real renders', () => {
  const t = tempDir('ck8s-diff-cli-');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: t.dir, encoding: 'utf8' });
  const render = () => writeEnvironment(t.dir, 'example-prod', renderFromWorkspace(t.dir, 'example-prod'));
  const config = join(t.dir, 'environments/example-prod/config.yaml');
  const run = (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(
      [...args, '--root', t.dir],
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, out: out.join(''), err: err.join('') };
  };
  /** Applies a config change on top of the committed base, renders it, runs the diff, and puts the base back. */
  const change = async (yaml: string) => {
    appendFileSync(config, yaml);
    await render();
    try {
      return run('--base', 'HEAD', '--env', 'example-prod');
    } finally {
      git('checkout', '-q', '--', '.');
      git('clean', '-qfd');
    }
  };

  beforeAll(async () => {
    cpSync(join(repoRoot, 'environments/example-prod'), join(t.dir, 'environments/example-prod'), { recursive: true });
    await render();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
  }, 60_000);
  afterAll(() => t.cleanup());

  it('shows a retention change as 30d → 90d, the hashed ConfigMap and Job paired with their old versions', async () => {
    const r = await change('components:\n  opensearch:\n    retentionDays: 90\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/min_index_age`: 30d → 90d/);
    expect(r.out).toMatch(/\*\*changed\*\* `ConfigMap\/opensearch\/opensearch-configurer-[0-9a-f]{8}` \(was `opensearch-configurer-[0-9a-f]{8}`/);
    expect(r.out).not.toMatch(/\*\*(added|removed)\*\* `ConfigMap\/opensearch\/opensearch-configurer/);
  }, 60_000);

  it('shows a flux.interval change once, with the list of places', async () => {
    const r = await change('flux:\n  interval: 5m\n');
    expect(r.code).toBe(0);
    expect(r.out.match(/`spec.interval`: 10m → 5m/g)).toHaveLength(1);
    const places = Number(/`HelmRelease`, `Kustomization` in (\d+) places/.exec(r.out)?.[1]);
    expect(places).toBeGreaterThan(40);
    expect(r.out.split('\n').length).toBeLessThan(places + 100);
  }, 60_000);

  it('refuses a config change that was not rendered yet, in one line', () => {
    appendFileSync(config, 'flux:\n  interval: 5m\n');
    try {
      const r = run('--base', 'HEAD', '--env', 'example-prod');
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        /^ck8s-diff: environments\/example-prod\/ changed but clusters\/example-prod\/ was not re-rendered .*npx nx run example-prod:render.*\n$/,
      );
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      // The same at a ref: a commit of the config without its rendered output.
      git('commit', '-qam', 'config only');
      const at = run('--base', 'HEAD~1', '--head', 'HEAD', '--env', 'example-prod');
      expect(at.code).toBe(1);
      expect(at.err).toMatch(/^ck8s-diff: at HEAD: environments\/example-prod\/ changed but clusters\/example-prod\/ was not re-rendered/);
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('refuses an unknown environment and a ref that does not exist, in one line each', () => {
    const env = run('--base', 'HEAD', '--env', 'example-prd');
    expect([env.code, env.err]).toEqual([1, 'ck8s-diff: unknown environment "example-prd" (known: example-prod)\n']);
    const base = run('--base', 'origin/nope');
    expect(base.code).toBe(1);
    expect(base.err).toMatch(/^ck8s-diff: --base origin\/nope: no such git ref .*\n$/);
    const head = run('--base', 'HEAD', '--head', 'v9.9.9');
    expect(head.code).toBe(1);
    expect(head.err).toMatch(/^ck8s-diff: --head v9.9.9: no such git ref/);
    expect(run().code).toBe(2);
    expect(run('--base', 'HEAD', '--bogus').err).toMatch(/^ck8s-diff: Unknown option '--bogus'/);
  });

  it('says there is nothing to review when nothing changed', () => {
    const r = run('--base', 'HEAD');
    expect([r.code, r.out]).toEqual([0, expect.stringContaining('No rendered object changes.')]);
  });
});
