import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { diffMarkdown, diffRendered, groupChanges, nameStem, treeAtRef } from './diff';

const cm = (data: string, name = 'cfg') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: monitoring\ndata:\n  a: "${data}"\n`;
const ct = (plain: string, seed: string) => Buffer.from(`${seed}:${plain}`).toString('base64');
/** A SOPS-shaped Secret: `values` maps key → plaintext, `seed` stands for the random IV of one encryption run. */
const secret = (values: Record<string, string>, seed: string, recipient = 'age1aaa') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: monitoring\nstringData:\n${Object.entries(values)
    .map(([k, v]) => `  ${k}: ENC[AES256_GCM,data:${ct(v, seed)},iv:${seed},tag:y,type:str]`)
    .join('\n')}\nsops:\n  age:\n    - recipient: ${recipient}\n      enc: x\n  mac: ENC[AES256_GCM,data:${ct('mac', seed)},iv:x,tag:y,type:str]\n`;

describe('object-level diff of rendered output', () => {
  const base = new Map([
    ['clusters/e/apps/components/kps/objects.yaml', cm('1')],
    ['clusters/e/apps/components/kps/values.yaml', 'replicas: 1\n'],
    ['clusters/e/apps/components/kps/secrets/creds.sops.yaml', secret({ password: 'p1' }, 'aa')],
    ['clusters/e/apps/components/gone/objects.yaml', cm('x', 'old-cfg')],
  ]);
  const head = new Map([
    ['clusters/e/apps/components/kps/objects.yaml', cm('2')],
    ['clusters/e/apps/components/kps/values.yaml', 'replicas: 2\n'],
    ['clusters/e/apps/components/kps/secrets/creds.sops.yaml', secret({ password: 'p1' }, 'aa')],
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
    expect(changes[2].values).toEqual([{ path: 'replicas', before: '1', after: '2' }]);
  });

  it('says when a SOPS file was re-encrypted, a key added, a value changed or recipients changed, never showing a value', () => {
    const one = (after: string) =>
      diffRendered(base, new Map(head).set('clusters/e/apps/components/kps/secrets/creds.sops.yaml', after)).find((c) => c.ref === 'Secret/monitoring/creds');
    expect(one(secret({ password: 'p1' }, 'aa'))).toBeUndefined();
    expect(one(secret({ password: 'p2' }, 'bb'))?.sops).toEqual([expect.stringMatching(/^re-encrypted: .*`stringData.password`.*values may be unchanged/)]);
    expect(one(secret({ password: 'a-longer-password' }, 'aa'))?.sops).toEqual(['value changed (ciphertext length differs): `stringData.password`']);
    const withKey = one(secret({ password: 'p1', username: 'u' }, 'aa'));
    expect(withKey?.sops).toEqual(['key added: `stringData.username`']);
    expect(withKey?.diff).toContain('+  username: <encrypted>');
    expect(one(secret({ password: 'p1' }, 'aa', 'age1bbb'))?.sops).toEqual(['recipients changed: `+age1bbb`, `-age1aaa`']);
    const md = diffMarkdown([one(secret({ password: 'a-longer-password' }, 'aa'))!]);
    expect(md).toContain('value changed');
    expect(md).not.toContain(ct('a-longer-password', 'aa'));
    expect(md).not.toContain('a-longer-password');
  });

  it('renders Markdown with a summary table and diff blocks', () => {
    const md = diffMarkdown(changes, 'PR');
    expect(md).toContain('| e | apps | kps | 0 | 2 | 0 |');
    expect(md).toContain('#### e / mgmt / new');
    expect(md).toContain('```diff');
    expect(md).toContain('`replicas`: 1 → 2');
    expect(diffMarkdown([], 'PR')).toContain('No rendered object changes.');
  });
});

describe('objects whose names end in a content hash', () => {
  const job = (cmName: string, jobName = cmName) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${jobName}\n  namespace: opensearch\n` +
    `spec:\n  template:\n    spec:\n      volumes:\n        - name: files\n          configMap:\n            name: ${cmName}\n`;
  const policy = (days: number, name: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: opensearch\ndata:\n  ism.json: |\n` +
    `    {"policy": {"states": [{"name": "hot", "transitions": [{"conditions": {"min_index_age": "${days}d"}}]}]}}\n`;
  const file = 'clusters/e/mgmt/components/opensearch/config/objects.yaml';

  it('pairs them by the name without the hash and shows the content diff', () => {
    const changes = diffRendered(
      new Map([[file, `${policy(30, 'configurer-b5e56975')}---\n${job('configurer-b5e56975')}`]]),
      new Map([[file, `${policy(90, 'configurer-0a1b2c3d')}---\n${job('configurer-0a1b2c3d')}`]]),
    );
    expect(changes.map((c) => [c.change, c.ref, c.renamedFrom, c.pairedBy])).toEqual([
      ['changed', 'ConfigMap/opensearch/configurer-0a1b2c3d', 'ConfigMap/opensearch/configurer-b5e56975', 'hash suffix'],
      ['changed', 'Job/opensearch/configurer-0a1b2c3d', 'Job/opensearch/configurer-b5e56975', 'hash suffix'],
    ]);
    expect(changes[0].values).toEqual([{ path: 'data["ism.json"].policy.states[0].transitions[0].conditions.min_index_age', before: '30d', after: '90d' }]);
    // The Job changed only because the name it refers to follows the content.
    expect(changes[1].values).toEqual([]);
    expect(diffMarkdown(changes)).toContain(': 30d → 90d');
  });

  it('pairs them through an object that refers to the old name before and the new one after', () => {
    const cmOf = (name: string, v: string) => cm(v, name).replace('monitoring', 'opensearch');
    const changes = diffRendered(
      new Map([[file, `${cmOf('settings-v1', '1')}---\n${job('settings-v1', 'apply')}`]]),
      new Map([[file, `${cmOf('settings-v2', '2')}---\n${job('settings-v2', 'apply')}`]]),
    );
    const paired = changes.find((c) => c.kind === 'ConfigMap');
    expect(paired).toMatchObject({ change: 'changed', renamedFrom: 'ConfigMap/opensearch/settings-v1', pairedBy: 'reference' });
    expect(paired?.values).toEqual([{ path: 'data.a', before: '1', after: '2' }]);
  });

  it('leaves unrelated objects unpaired, and only strips suffixes that look like digests', () => {
    expect(nameStem('opensearch-configurer-b5e56975')).toBe('opensearch-configurer');
    expect(nameStem('app-7g9k2m4b8t')).toBe('app');
    expect(nameStem('thanos-receiver')).toBeUndefined();
    expect(nameStem('velero-deadbeef')).toBeUndefined();
    const changes = diffRendered(new Map([[file, policy(30, 'a-11111111')]]), new Map([[file, policy(30, 'b-22222222')]]));
    expect(changes.map((c) => c.change)).toEqual(['removed', 'added']);
  });
});

describe('identical changes in many places', () => {
  const ks = (name: string, interval: string) =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\n` +
    `spec:\n  interval: ${interval}\n  path: ./clusters/e/c/components/${name}\n`;
  const tree = (interval: string) =>
    new Map(['a', 'b', 'c'].flatMap((cl) => ['x', 'y', 'z'].map((n) => [`clusters/e/${cl}/flux/${n}.yaml`, ks(n, interval)] as [string, string])));

  it('are shown once with the list of places', () => {
    const changes = diffRendered(tree('10m'), tree('5m'));
    expect(changes).toHaveLength(9);
    const groups = groupChanges(changes);
    expect(groups).toHaveLength(1);
    const md = diffMarkdown(changes);
    expect(md.match(/`spec.interval`: 10m → 5m/g)).toHaveLength(1);
    expect(md).toContain('in 9 places');
    for (const cl of ['a', 'b', 'c']) expect(md).toContain(`e / ${cl} / flux wiring: \`Kustomization/flux-system/z\``);
  });

  it('but different changes stay apart', () => {
    const head = tree('5m').set('clusters/e/a/flux/x.yaml', ks('x', '1m'));
    expect(
      groupChanges(diffRendered(tree('10m'), head))
        .map((g) => g.members.length)
        .sort(),
    ).toEqual([1, 8]);
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
