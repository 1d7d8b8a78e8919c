import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { diffMarkdown, diffRendered, treeAtRef } from './diff';

const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: monitoring\ndata:\n  a: "${data}"\n`;
const secret = (enc: string, keys = ['password']) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: monitoring\nstringData:\n${keys.map((k) => `  ${k}: ENC[AES256_GCM,data:${enc},iv:x,tag:y,type:str]`).join('\n')}\nsops:\n  mac: ENC[AES256_GCM,data:${enc},iv:x,tag:y,type:str]\n`;

describe('object-level diff of rendered output', () => {
  const base = new Map([
    ['clusters/e/apps/components/kps/objects.yaml', cm('1')],
    ['clusters/e/apps/components/kps/values.yaml', 'replicas: 1\n'],
    ['clusters/e/apps/components/kps/secrets/creds.sops.yaml', secret('old')],
    ['clusters/e/apps/components/gone/objects.yaml', cm('x').replace('cfg', 'old-cfg')],
  ]);
  const head = new Map([
    ['clusters/e/apps/components/kps/objects.yaml', cm('2')],
    ['clusters/e/apps/components/kps/values.yaml', 'replicas: 2\n'],
    ['clusters/e/apps/components/kps/secrets/creds.sops.yaml', secret('new')],
    ['clusters/e/mgmt/components/new/objects.yaml', cm('y')],
  ]);
  const changes = diffRendered(base, head);

  it('reports added, removed and changed objects by environment, cluster and component', () => {
    expect(changes.map((c) => `${c.change} ${c.cluster}/${c.component} ${c.ref}`)).toEqual([
      'removed apps/gone ConfigMap/monitoring/old-cfg',
      'changed apps/kps ConfigMap/monitoring/cfg',
      'changed apps/kps Values/kps',
      'added mgmt/new ConfigMap/monitoring/cfg',
    ]);
    expect(changes[1].diff).toContain('-  a: "1"\n+  a: "2"');
  });

  it('ignores re-encryption of an unchanged SOPS Secret, but shows a new key', () => {
    expect(changes.some((c) => c.ref.startsWith('Secret/'))).toBe(false);
    const withKey = new Map(head).set('clusters/e/apps/components/kps/secrets/creds.sops.yaml', secret('new', ['password', 'username']));
    const secretChange = diffRendered(base, withKey).find((c) => c.ref === 'Secret/monitoring/creds');
    expect(secretChange?.diff).toContain('+  username: <encrypted>');
  });

  it('renders Markdown with a summary table and diff blocks', () => {
    const md = diffMarkdown(changes, 'PR');
    expect(md).toContain('| e | apps | kps | 0 | 2 | 0 |');
    expect(md).toContain('#### e / mgmt / new');
    expect(md).toContain('```diff');
    expect(diffMarkdown([], 'PR')).toContain('No rendered object changes.');
  });
});

describe('rendered files at a git ref', () => {
  it('reads every file of the chosen environments byte for byte, whatever its name', () => {
    const t = tempDir('ck8s-diff-git-');
    const files: Record<string, string> = {
      'clusters/a/c/values.yaml': 'name: ünïcödé ✓\n',
      'clusters/a/c/spaced name.yaml': 'x: 1\n',
      'clusters/a/c/ü.yaml': 'y: 1\n',
      'clusters/a/c/empty.yaml': '',
      'clusters/b/c/values.yaml': 'b: 2\n',
      'environments/a/config.yaml': 'version: 1\n',
    };
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: t.dir, encoding: 'utf8' });
    try {
      git('init', '-q');
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(t.dir, path, '..'), { recursive: true });
        writeFileSync(join(t.dir, path), text);
      }
      git('add', '.');
      git('commit', '-qm', 'x');
      const clusters = Object.entries(files).filter(([p]) => p.startsWith('clusters/'));
      expect(Object.fromEntries(treeAtRef(t.dir, 'HEAD'))).toEqual(Object.fromEntries(clusters));
      expect(Object.fromEntries(treeAtRef(t.dir, 'HEAD', ['a']))).toEqual(Object.fromEntries(clusters.filter(([p]) => p.startsWith('clusters/a/'))));
      expect(() => treeAtRef(t.dir, 'no-such-ref')).toThrow(/cannot read clusters\/ at git ref "no-such-ref"/);
    } finally {
      t.cleanup();
    }
  });
});
