import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import YAML from 'yaml';
import type { Component, SecretRequirement } from '@ck8s/components';
import { bcryptVerify, decryptSopsYaml, inspectSopsFile } from '@ck8s/secrets';
import { newEnvironment } from '../new-environment/generator';
import type { NewEnvironmentSchema } from '../new-environment/schema';
import { OptionErrors } from '../lib/options';
import { requiredSecrets } from '@ck8s/render';
import { AIR_GAPPED_SETTINGS, leakedValues, NEW_ENV_OPTIONS, recordingDeps, TEST_CATALOG, testIdentity, writtenFiles } from '../lib/testing';
import { loadEnvironmentFiles, locateSecret, readEnvironmentFilesFromTree, readExistingSecrets } from '../lib/tree';
import syncSecretsGenerator, { syncSecrets, type SyncSecretsDeps } from './generator';

const REPO = join(__dirname, '..', '..', '..');
const ENV = 'environments/acme-prod';
const DIR = `${ENV}/secrets`;
/** No age key from the test runner's environment: each test says whether it has one. */
const NO_KEY = { environ: {} as NodeJS.ProcessEnv };

let recipient: string;
let identity: string;
let keyDir: string;
let keyFile: string;
beforeAll(async () => {
  ({ recipient, identity } = await testIdentity());
  keyDir = mkdtempSync(join(tmpdir(), 'ck8s-sync-age-'));
  keyFile = join(keyDir, 'age.agekey');
  writeFileSync(keyFile, `# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
});
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

const deps = (catalog: readonly Component[] = TEST_CATALOG, extra: Partial<SyncSecretsDeps> = {}) => ({ ...recordingDeps({ catalog }), ...NO_KEY, ...extra });
/** The real catalog (the default of every generator). */
const realDeps = (extra: Partial<SyncSecretsDeps> = {}) => ({ ...recordingDeps(), ...NO_KEY, ...extra });

/** An environment made by new-environment (TEST_CATALOG, two workload clusters), optionally with components disabled. */
async function baseTree(disabled: string[] = [], catalog: readonly Component[] = TEST_CATALOG): Promise<{ tree: Tree; values: string[] }> {
  const tree = createTreeWithEmptyWorkspace();
  const d = recordingDeps({ catalog });
  const components = Object.fromEntries(disabled.map((c) => [c, { enabled: false }]));
  await newEnvironment(
    tree,
    { ...NEW_ENV_OPTIONS, ageRecipient: recipient, settings: JSON.stringify({ notifications: { alertmanager: false }, components }) } as NewEnvironmentSchema,
    d,
  );
  return { tree, values: d.values };
}

/** What an operator does on day 2: flip `components.<name>.enabled` in config.yaml. */
function setEnabled(tree: Tree, component: string, enabled: boolean): void {
  const path = `${ENV}/config.yaml`;
  const doc = YAML.parseDocument(tree.read(path, 'utf-8')!);
  doc.setIn(['components', component, 'enabled'], enabled);
  tree.write(path, doc.toString({ lineWidth: 0 }));
}

/** Every change of the tree with its content, to prove a run left it as it was. */
const snapshot = (tree: Tree) => JSON.stringify(tree.listChanges().map((c) => [c.path, c.type, c.content?.toString()]));
const plain = async (tree: Tree, path: string) =>
  (await decryptSopsYaml(tree.read(path, 'utf-8')!, [identity], { filename: path })).stringData as Record<string, string>;
const rel = (path: string) => path.slice(DIR.length + 1);
const secretFiles = (tree: Tree) => Object.fromEntries(readExistingSecrets(tree, 'acme-prod').map((f) => [f.relPath, f.text]));

/** A platform upgrade: a component's Secrets change (keys added, hints given). */
function upgrade(catalog: readonly Component[], name: string, change: (s: SecretRequirement) => SecretRequirement): Component[] {
  return catalog.map((c) =>
    c.name === name ? { ...c, secrets: (ctx: Parameters<NonNullable<Component['secrets']>>[0]) => (c.secrets?.(ctx) ?? []).map(change) } : c,
  ) as Component[];
}

describe('sync-secrets: options', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing environment', { environment: 'nope' }, '--environment: no environment "nope" (environments/nope/config.yaml does not exist)'],
    ['path as environment', { environment: '../x' }, '--environment: "../x" must be a plain name, not a path'],
    ['no environment', {}, '--environment: required'],
    ['missing key file', { environment: 'acme-prod', ageKeyFile: '/nonexistent/age.agekey' }, '--ageKeyFile: /nonexistent/age.agekey does not exist'],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    const { tree } = await baseTree();
    const before = snapshot(tree);
    const err = await syncSecrets(tree, options as never, deps()).catch((e) => e);
    expect(err).toBeInstanceOf(OptionErrors);
    expect(err.message).toContain(message);
    expect(snapshot(tree)).toBe(before);
  });
});

describe('sync-secrets', () => {
  it('changes nothing in a complete environment (no key needed)', async () => {
    const { tree } = await baseTree();
    const before = snapshot(tree);
    const d = deps();
    const result = await syncSecrets(tree, { environment: 'acme-prod' }, d);
    expect(snapshot(tree)).toBe(before);
    expect(result.files).toEqual([]);
    expect(result.created).toEqual([]);
    expect(result.extended).toEqual([]);
    expect(result.orphans).toEqual([]);
    expect(result.unchanged).toHaveLength(12);
    expect(result.pendingPlaceholders).toBeUndefined();
    const out = d.logs.join('\n');
    expect(out).toContain('Nothing to create or extend: every Secret validate requires exists with its keys.');
    expect(out).toContain('Unchanged: 12 complete Secret files.');
  });

  it('creates the Secrets of a newly enabled component, placed like new-environment, without a key when no existing share is involved', async () => {
    const { tree, values: firstValues } = await baseTree(['local']);
    expect(tree.exists(`${DIR}/management/local-token.sops.yaml`)).toBe(false);
    const before = secretFiles(tree);
    setEnabled(tree, 'local', true);

    const d = deps();
    const result = await syncSecrets(tree, { environment: 'acme-prod' }, d);
    expect(result.created.map((f) => rel(f.path))).toEqual([
      'apps-1/local-token.sops.yaml',
      'apps-2/local-token.sops.yaml',
      'management/local-token.sops.yaml',
    ]);
    expect(result.extended).toEqual([]);
    for (const [f, text] of Object.entries(before)) expect(tree.read(`${DIR}/${f}`, 'utf-8'), f).toBe(text);

    const tokens = await Promise.all(['management', 'apps-1', 'apps-2'].map(async (c) => (await plain(tree, `${DIR}/${c}/local-token.sops.yaml`)).token));
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(3);
    for (const f of result.created) {
      const inspection = inspectSopsFile(tree.read(f.path, 'utf-8')!, f.path);
      expect(inspection.problems).toEqual([]);
      expect(inspection.recipients).toEqual([recipient]);
    }
    expect(leakedValues(writtenFiles(tree), [...firstValues, ...d.values])).toEqual([]);
    expect(leakedValues([['log', d.logs.join('\n')]], d.values)).toEqual([]);
    expect(d.logs.join('\n')).toContain(`+ ${DIR}/apps-1/local-token.sops.yaml  (tools/local-token [token] for apps-1)`);
  });

  it('reuses a shared value that already exists in an encrypted Secret (decrypting with the age key), and stops without the key', async () => {
    const { tree } = await baseTree(['dashboards']);
    setEnabled(tree, 'dashboards', true);
    const before = snapshot(tree);

    // Without a key: the OIDC client secret lives in the identity provider's Secret; nothing is written.
    const err = await syncSecrets(tree, { environment: 'acme-prod' }, deps()).catch((e: Error) => e);
    if (!(err instanceof Error)) throw new Error('expected an error');
    expect(err.message).toContain('needs values from existing encrypted files; nothing was written');
    expect(err.message).toContain('--ageKeyFile');
    expect(err.message).toContain(`${DIR}/oidc-clients.sops.yaml: holds the shared value "oidc-grafana" that secrets/grafana-oidc.sops.yaml must reuse`);
    expect(err.message).toContain('With the key it would also create: secrets/grafana-admin.sops.yaml, secrets/grafana-oidc.sops.yaml');
    expect(snapshot(tree)).toBe(before);

    // With the key file: the new Secret holds the very value the existing one has.
    const oidcBefore = tree.read(`${DIR}/oidc-clients.sops.yaml`, 'utf-8');
    const d = deps();
    const result = await syncSecrets(tree, { environment: 'acme-prod', ageKeyFile: keyFile }, d);
    expect(result.created.map((f) => rel(f.path))).toEqual(['grafana-admin.sops.yaml', 'grafana-oidc.sops.yaml']);
    expect(tree.read(`${DIR}/oidc-clients.sops.yaml`, 'utf-8')).toBe(oidcBefore);
    const shared = (await plain(tree, `${DIR}/oidc-clients.sops.yaml`)).grafana;
    expect((await plain(tree, `${DIR}/grafana-oidc.sops.yaml`))['client-secret']).toBe(shared);
    expect(d.values).not.toContain(shared); // read back, not generated
    const admin = await plain(tree, `${DIR}/grafana-admin.sops.yaml`);
    expect(admin['admin-user']).toBe('REPLACE-ME: admin user name, e.g. admin');
    expect(admin['admin-password']).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(result.secrets.placeholders.map((p) => `${rel(p.path)}:${p.key}`)).toEqual(['grafana-admin.sops.yaml:admin-user']);
    // the key also shows which existing placeholders are still unfilled
    expect(result.pendingPlaceholders!.map((p) => `${rel(p.path)}:${p.key}`)).toEqual(['notify.sops.yaml:url']);
    const out = d.logs.join('\n');
    expect(out).toContain('Placeholders to fill');
    expect(out).toContain(`${DIR}/grafana-admin.sops.yaml  admin-user: admin user name, e.g. admin`);
    expect(leakedValues(writtenFiles(tree), [...d.values, shared])).toEqual([]);
    expect(leakedValues([['log', out]], [...d.values, shared])).toEqual([]);
  });

  it('reports existing Secrets that lack keys without the key (nothing written), and adds the keys with it, keeping every existing value', async () => {
    const { tree } = await baseTree();
    const catalog = upgrade(
      upgrade(TEST_CATALOG, 'local', (s) => ({ ...s, keys: [...s.keys, 'extra'] })),
      'sender',
      (s) => (s.name === 'notify' ? { ...s, keys: [...s.keys, 'channel'], generate: { ...s.generate, channel: { type: 'user', hint: 'channel name' } } } : s),
    );
    const before = snapshot(tree);
    const err = await syncSecrets(tree, { environment: 'acme-prod' }, deps(catalog)).catch((e: Error) => e);
    if (!(err instanceof Error)) throw new Error('expected an error');
    expect(err.message).toContain('nothing was written');
    for (const c of ['management', 'apps-1', 'apps-2'])
      expect(err.message).toContain(`${DIR}/${c}/local-token.sops.yaml: lacks key(s) extra, needed by component local on ${c}`);
    expect(err.message).toContain(`${DIR}/notify.sops.yaml: lacks key(s) channel, needed by component sender on apps-1, apps-2`);
    expect(err.message).not.toContain('would also create');
    expect(snapshot(tree)).toBe(before);

    const old = { token: (await plain(tree, `${DIR}/apps-1/local-token.sops.yaml`)).token, url: (await plain(tree, `${DIR}/notify.sops.yaml`)).url };
    const untouched = Object.entries(secretFiles(tree)).filter(([f]) => !f.includes('local-token') && f !== 'notify.sops.yaml');
    const d = deps(catalog, { identities: [identity] });
    const result = await syncSecrets(tree, { environment: 'acme-prod' }, d);
    expect(result.created).toEqual([]);
    expect(result.extended.map((f) => `${rel(f.path)} [${f.keys}]`)).toEqual([
      'apps-1/local-token.sops.yaml [extra]',
      'apps-2/local-token.sops.yaml [extra]',
      'management/local-token.sops.yaml [extra]',
      'notify.sops.yaml [channel]',
    ]);
    expect(result.unchanged).toHaveLength(8);
    for (const [f, text] of untouched) expect(tree.read(`${DIR}/${f}`, 'utf-8'), f).toBe(text);

    const local = await decryptSopsYaml(tree.read(`${DIR}/apps-1/local-token.sops.yaml`, 'utf-8')!, [identity]);
    expect(local.metadata).toEqual({ name: 'local-token', namespace: 'tools' });
    expect((local.stringData as Record<string, string>).token).toBe(old.token);
    expect((local.stringData as Record<string, string>).extra).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const notify = await plain(tree, `${DIR}/notify.sops.yaml`);
    expect(notify).toEqual({ url: old.url, channel: 'REPLACE-ME: channel name' });
    expect(result.secrets.placeholders.map((p) => `${rel(p.path)}:${p.key}`)).toEqual(['notify.sops.yaml:channel']);
    expect(result.pendingPlaceholders!.map((p) => `${rel(p.path)}:${p.key}`).sort()).toEqual(['grafana-admin.sops.yaml:admin-user', 'notify.sops.yaml:url']);
    expect(d.logs.join('\n')).toContain(`~ ${DIR}/notify.sops.yaml  (kured/notify +[channel] for apps-1, apps-2)`);
    expect(leakedValues(writtenFiles(tree), [...d.values, old.token])).toEqual([]);

    // A second run has nothing left to do.
    const again = await syncSecrets(tree, { environment: 'acme-prod' }, deps(catalog));
    expect(again.files).toEqual([]);
  });

  it('gives each cluster its own copy when a top-level Secret gains a key whose values differ per cluster', async () => {
    const { tree } = await baseTree();
    const catalog = upgrade(TEST_CATALOG, 'sender', (s) => (s.name === 'notify' ? { ...s, keys: [...s.keys, 'token'] } : s));
    const notifyBefore = tree.read(`${DIR}/notify.sops.yaml`, 'utf-8');
    const url = (await plain(tree, `${DIR}/notify.sops.yaml`)).url;
    const result = await syncSecrets(tree, { environment: 'acme-prod', ageKeyFile: keyFile }, deps(catalog));
    expect(result.created.map((f) => `${rel(f.path)} [${f.keys}]`)).toEqual(['apps-1/notify.sops.yaml [url,token]', 'apps-2/notify.sops.yaml [url,token]']);
    expect(tree.read(`${DIR}/notify.sops.yaml`, 'utf-8')).toBe(notifyBefore);
    const [a, b] = [await plain(tree, `${DIR}/apps-1/notify.sops.yaml`), await plain(tree, `${DIR}/apps-2/notify.sops.yaml`)];
    expect(a.url).toBe(url);
    expect(b.url).toBe(url);
    expect(a.token).not.toBe(b.token);
    expect(result.unchanged).not.toContain(`${DIR}/notify.sops.yaml`);
    expect(result.orphans).toEqual([
      {
        path: `${DIR}/notify.sops.yaml`,
        secret: 'kured/notify',
        reason: 'after this run every cluster that read it has its own copy (secrets/apps-1/notify.sops.yaml, secrets/apps-2/notify.sops.yaml)',
      },
    ]);
  });

  it('reports orphan files (no requirement reads them) and deletes nothing', async () => {
    const { tree } = await baseTree();
    setEnabled(tree, 'local', false);
    tree.write(`${DIR}/old-cluster/notify.sops.yaml`, tree.read(`${DIR}/notify.sops.yaml`, 'utf-8')!);
    tree.write(`${DIR}/apps-1/grafana-admin.sops.yaml`, tree.read(`${DIR}/grafana-admin.sops.yaml`, 'utf-8')!);
    tree.write(`${DIR}/notes.txt`, 'rotate in May\n');
    const before = snapshot(tree);
    const d = deps();
    const result = await syncSecrets(tree, { environment: 'acme-prod' }, d);
    expect(snapshot(tree)).toBe(before);
    expect(result.files).toEqual([]);
    expect(result.orphans.map((o) => `${rel(o.path)}: ${o.reason}`)).toEqual([
      'apps-1/grafana-admin.sops.yaml: cluster apps-1 does not need monitoring/grafana-admin (needed on management)',
      'apps-1/local-token.sops.yaml: no enabled component or webhook needs tools/local-token',
      'apps-2/local-token.sops.yaml: no enabled component or webhook needs tools/local-token',
      'management/local-token.sops.yaml: no enabled component or webhook needs tools/local-token',
      'notes.txt: not named *.sops.yaml: the renderer ignores it (and validate rejects plain *.yaml files here)',
      'old-cluster/notify.sops.yaml: secrets/old-cluster/ is not a cluster of the environment (clusters: management, apps-1, apps-2)',
    ]);
    const out = d.logs.join('\n');
    expect(out).toContain('Orphans (6; no requirement reads them; not deleted):');
    expect(out).toContain(`${DIR}/apps-1/local-token.sops.yaml  (tools/local-token): no enabled component`);
  });

  it('writes only through the Tree: with --dry-run nothing reaches the disk', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ck8s-sync-dry-'));
    try {
      const first = new FsTree(root, false);
      await newEnvironment(
        first,
        {
          ...NEW_ENV_OPTIONS,
          ageRecipient: recipient,
          settings: '{notifications: {alertmanager: false}, components: {local: {enabled: false}}}',
        } as NewEnvironmentSchema,
        recordingDeps({ catalog: TEST_CATALOG }),
      );
      setEnabled(first, 'local', true);
      flushChanges(root, first.listChanges());
      const onDisk = () => readdirSync(join(root, DIR), { recursive: true }).map(String).sort();
      const files = onDisk();

      const tree = new FsTree(root, false);
      const result = await syncSecrets(tree, { environment: 'acme-prod' }, deps());
      expect(result.created).toHaveLength(3);
      expect(
        tree
          .listChanges()
          .map((c) => `${c.type} ${c.path}`)
          .sort(),
      ).toEqual(result.created.map((f) => `CREATE ${f.path}`).sort());
      expect(onDisk()).toEqual(files);
      expect(existsSync(join(root, DIR, 'management', 'local-token.sops.yaml'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops when a needed share exists only as htpasswd hashes (it cannot be read back)', async () => {
    const { tree } = await baseTree();
    tree.delete(`${DIR}/receive-users.sops.yaml`);
    tree.delete(`${DIR}/apps-2/remote-write.sops.yaml`);
    const before = snapshot(tree);
    const err = await syncSecrets(tree, { environment: 'acme-prod', ageKeyFile: keyFile }, deps()).catch((e: Error) => e);
    if (!(err instanceof Error)) throw new Error('expected an error');
    expect(err.message).toContain('exist only as htpasswd hashes, so they cannot be read back; nothing was written');
    expect(err.message).toContain(
      `"writer-apps-2": hashed in ${DIR}/receive-auth.sops.yaml; ` +
        'needed in plain text by secrets/apps-2/remote-write.sops.yaml, secrets/receive-users.sops.yaml',
    );
    expect(snapshot(tree)).toBe(before);
  });
});

describe('sync-secrets: the real catalog', () => {
  it('re-creates deleted Secrets at the paths new-environment chose, from the shared values that still exist', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await newEnvironment(tree, { ...NEW_ENV_OPTIONS, ageRecipient: recipient } as NewEnvironmentSchema, recordingDeps());
    const all = secretFiles(tree);
    const gone = ['alertmanager-basic-auth.sops.yaml', 'apps-2/opensearch-writer.sops.yaml', 'grafana-oidc.sops.yaml', 'thanos-receive-auth.sops.yaml'];
    for (const f of gone) {
      expect(all[f], f).toBeDefined();
      tree.delete(`${DIR}/${f}`);
    }

    const d = realDeps({ bcryptCost: 4 });
    const result = await syncSecrets(tree, { environment: 'acme-prod', ageKeyFile: keyFile }, d);
    expect(result.created.map((f) => rel(f.path))).toEqual(gone);
    expect(result.extended).toEqual([]);
    // the htpasswd files hash the passwords the workload clusters already hold; the client secrets are the existing ones
    for (const [file, writer] of [
      ['thanos-receive-auth', 'thanos-remote-write'],
      ['alertmanager-basic-auth', 'alertmanager-writer.monitoring'],
    ]) {
      const lines = (await plain(tree, `${DIR}/${file}.sops.yaml`)).auth.trimEnd().split('\n');
      expect(lines.map((l) => l.split(':')[0])).toEqual(['writer-apps-1', 'writer-apps-2']);
      for (const [i, c] of ['apps-1', 'apps-2'].entries())
        expect(bcryptVerify((await plain(tree, `${DIR}/${c}/${writer}.sops.yaml`)).password, lines[i].slice(lines[i].indexOf(':') + 1)), `${file} ${c}`).toBe(
          true,
        );
    }
    expect((await plain(tree, `${DIR}/grafana-oidc.sops.yaml`))['client-secret']).toBe((await plain(tree, `${DIR}/dex-oidc-clients.sops.yaml`))['ops-grafana']);
    expect((await plain(tree, `${DIR}/apps-2/opensearch-writer.sops.yaml`)).password).toBe(
      (await plain(tree, `${DIR}/opensearch-users.sops.yaml`))['writer-apps-2'],
    );
    expect(leakedValues(writtenFiles(tree), d.values)).toEqual([]);
    // validate's view: every requirement finds a file with its keys
    const env = loadEnvironmentFiles('acme-prod', readEnvironmentFilesFromTree(tree, 'acme-prod'));
    const files = readExistingSecrets(tree, 'acme-prod');
    for (const r of requiredSecrets(env))
      expect(locateSecret(files, r.cluster, r.namespace, r.name)?.keys, `${r.cluster} ${r.namespace}/${r.name}`).toEqual(expect.arrayContaining(r.keys));

    // and with every file gone, the run places and names them exactly as new-environment did (no key needed: no share exists)
    for (const f of Object.keys(secretFiles(tree))) tree.delete(`${DIR}/${f}`);
    const fresh = await syncSecrets(tree, { environment: 'acme-prod' }, realDeps({ bcryptCost: 4 }));
    expect(fresh.created.map((f) => rel(f.path)).sort()).toEqual(Object.keys(all).sort());
  });

  for (const example of ['example-dev', 'example-prod']) {
    it(`reports nothing to create or extend for the shipped ${example} (a copy; the repository is not touched)`, async () => {
      const src = join(REPO, 'environments', example);
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
      const tree = createTreeWithEmptyWorkspace();
      for (const file of walk(src)) tree.write(`environments/${example}/${relative(src, file).split('\\').join('/')}`, readFileSync(file));
      const before = snapshot(tree);
      const d = realDeps();
      const result = await syncSecrets(tree, { environment: example }, d);
      expect(
        result.created.map((f) => f.path),
        d.logs.join('\n'),
      ).toEqual([]);
      expect(result.extended.map((f) => f.path)).toEqual([]);
      expect(result.files).toEqual([]);
      expect(result.unchanged.length).toBeGreaterThan(20);
      expect(snapshot(tree)).toBe(before);
      expect(d.logs.join('\n')).toContain('Nothing to create or extend');
    });
  }
});

describe('sync-secrets: the Nx entry point', () => {
  it('returns a task that prints the next steps', async () => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const saved = { file: process.env.SOPS_AGE_KEY_FILE, key: process.env.SOPS_AGE_KEY };
    process.env.SOPS_AGE_KEY_FILE = keyFile;
    delete process.env.SOPS_AGE_KEY;
    try {
      const tree = createTreeWithEmptyWorkspace();
      await newEnvironment(
        tree,
        { ...NEW_ENV_OPTIONS, ageRecipient: recipient, flavor: 'air-gapped', settings: AIR_GAPPED_SETTINGS } as NewEnvironmentSchema,
        recordingDeps(),
      );
      tree.delete(`${DIR}/custom-ca.sops.yaml`);
      const task = await syncSecretsGenerator(tree, { environment: 'acme-prod' });
      expect(tree.exists(`${DIR}/custom-ca.sops.yaml`)).toBe(true);
      info.mockClear();
      await task();
      const steps = info.mock.calls.map((c) => String(c[0])).join('\n');
      expect(steps).toContain('Next steps:');
      expect(steps).toContain(`sops ${DIR}/custom-ca.sops.yaml   # tls.crt, tls.key`);
      expect(steps).toContain('npx nx run acme-prod:render');
      expect(steps).toContain('npx nx run acme-prod:validate');
      expect(steps).toContain('Commit environments/acme-prod/ and clusters/acme-prod/ together');
    } finally {
      info.mockRestore();
      if (saved.file !== undefined) process.env.SOPS_AGE_KEY_FILE = saved.file;
      else delete process.env.SOPS_AGE_KEY_FILE;
      if (saved.key !== undefined) process.env.SOPS_AGE_KEY = saved.key;
    }
  });
});
