import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFromWorkspace, writeEnvironment } from '@ck8s/render';
import { repoRoot, tempDir } from '@ck8s/testing';
import { main } from './diff-cli';

/** The pull-request diff in a scratch repository: the shipped example-prod committed, then a change rendered on top. */
describe('compliance status changes in the diff', () => {
  const t = tempDir('ck8s-compliance-diff-');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: t.dir, encoding: 'utf8' });
  const render = () => writeEnvironment(t.dir, 'example-prod', renderFromWorkspace(t.dir, 'example-prod'));
  const diff = () => {
    const out: string[] = [];
    const code = main(
      ['--base', 'HEAD', '--env', 'example-prod', '--root', t.dir],
      (s) => out.push(s),
      () => undefined,
    );
    return { code, out: out.join('') };
  };

  beforeAll(async () => {
    cpSync(join(repoRoot, 'environments/example-prod'), join(t.dir, 'environments/example-prod'), { recursive: true });
    await render();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
  }, 60_000);
  afterAll(() => t.cleanup());

  it('has no compliance section when no status changes', () => {
    const r = diff();
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('Compliance status changes');
  }, 60_000);

  it('lists each control whose status changes, with the setting that changed it', async () => {
    appendFileSync(join(t.dir, 'environments/example-prod/apps-b.yaml'), '  falco:\n    enabled: false\n');
    await render();
    const r = diff();
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf('### Compliance status changes'));
    const line = '- example-prod: **MSBFS 2020:7 4 kap. 18 §** Detection of intrusion and malicious code: met → not met';
    expect(section).toContain(`${line} because components.falco.enabled=false on apps-b (required: validate fails)`);
    expect(section).toContain(
      '**NIST SP 800-171 3.14.6** Monitor systems and traffic to detect attacks: met → not met because components.falco.enabled=false on apps-b\n',
    );
    // The object-level part still shows the removed Falco objects above it.
    expect(r.out.indexOf('### Rendered changes')).toBeLessThan(r.out.indexOf('### Compliance status changes'));
  }, 60_000);
});
