import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { resolveEnvironment } from '@ck8s/config';
import { z } from 'zod';
import { configExtensions, defineComponent, ownObjectStorage, ownStoreHint } from '@ck8s/components';
import { bcryptVerify, decryptSopsYaml, generateAgeIdentity, sopsCreationRules } from '@ck8s/secrets';
import { newEnvironment, SECRETS_PATH_REGEX } from '../new-environment/generator';
import type { NewEnvironmentSchema } from '../new-environment/schema';
import { OptionErrors } from '../lib/options';
import { leakedValues, NEW_ENV_OPTIONS, recordingDeps, TEST_CATALOG, TEST_SETTINGS, testIdentity, writtenFiles } from '../lib/testing';
import { recipientsFromSopsConfig } from '../lib/sops-access';
import { addWorkloadCluster, appendCluster } from './generator';

const REPO = join(__dirname, '..', '..', '..');
const DIR = 'environments/acme-prod/secrets';
let recipient: string;
let identity: string;
beforeAll(async () => {
  ({ recipient, identity } = await testIdentity());
});

/** An environment made by new-environment with one workload cluster, as the starting point. */
async function baseTree(catalog = TEST_CATALOG): Promise<{ tree: Tree; values: string[] }> {
  const tree = createTreeWithEmptyWorkspace();
  const deps = recordingDeps({ catalog });
  await newEnvironment(
    tree,
    { ...NEW_ENV_OPTIONS, workloadClusters: 'apps-1', ageRecipient: recipient, settings: TEST_SETTINGS } as NewEnvironmentSchema,
    deps,
  );
  return { tree, values: deps.values };
}

const plain = async (tree: Tree, path: string) =>
  (await decryptSopsYaml(tree.read(path, 'utf-8')!, [identity], { filename: path })).stringData as Record<string, string>;

describe('add-workload-cluster: config.yaml', () => {
  it('appends the cluster and keeps every comment and the layout of the rest of the file', () => {
    for (const env of ['example-dev', 'example-prod']) {
      const text = readFileSync(join(REPO, 'environments', env, 'config.yaml'), 'utf8');
      const out = appendCluster(text, 'apps-9');
      const entry = '  - name: apps-9\n    role: workload\n';
      // right after the last cluster entry (comments between the list and the next key stay below it)
      expect(out, env).toMatch(new RegExp(`\\n  - name: [a-z0-9-]+\\n    role: workload\\n${entry}(\\n|#[^\\n]*\\n)*certificates:`));
      expect(out.replace(entry, ''), env).toBe(text);
    }
  });

  it('follows a flow-style cluster list and keeps trailing comments', () => {
    const text =
      'version: 1 # v\nclusters:\n  - { name: management, role: management }\n  - { name: apps-a, role: workload } # first\n' +
      '# after the list\ncertificates:\n  email: a@example.com\n';
    expect(appendCluster(text, 'apps-b')).toBe(
      'version: 1 # v\nclusters:\n  - { name: management, role: management }\n  - { name: apps-a, role: workload } # first\n' +
        '  - { name: apps-b, role: workload }\n# after the list\ncertificates:\n  email: a@example.com\n',
    );
  });

  it('reads the recipients of the creation rule for secrets/', () => {
    expect(recipientsFromSopsConfig('creation_rules:\n  - path_regex: (^|/)secrets/.+\\.sops\\.yaml$\n    age: age1a,age1b\n')).toEqual(['age1a', 'age1b']);
    expect(recipientsFromSopsConfig('creation_rules:\n  - path_regex: ^other/\n    age: age1a\n')).toBeUndefined();
    expect(recipientsFromSopsConfig(null)).toBeUndefined();
  });

  it('refuses, writing nothing, when config.yaml and .sops.yaml list different recipients (a half-done rotation)', async () => {
    const { tree } = await baseTree();
    const other = (await generateAgeIdentity()).recipient;
    tree.write('environments/acme-prod/.sops.yaml', sopsCreationRules({ pathRegex: SECRETS_PATH_REGEX, recipients: [other] }));
    const before = JSON.stringify(tree.listChanges().map((c) => [c.path, c.content?.toString()]));
    const err = await addWorkloadCluster(
      tree,
      { environment: 'acme-prod', name: 'apps-2' },
      { ...recordingDeps({ catalog: TEST_CATALOG }), identities: [identity] },
    ).catch((e: Error) => e);
    expect(String(err)).toContain('config.yaml (sops.ageRecipients) and .sops.yaml list different age recipients; nothing was written');
    expect(String(err)).toContain(`.sops.yaml:  ${other}`);
    expect(JSON.stringify(tree.listChanges().map((c) => [c.path, c.content?.toString()]))).toBe(before);
  });
});

describe('add-workload-cluster: options', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing environment', { environment: 'nope', name: 'apps-2' }, '--environment: no environment "nope" (environments/nope/config.yaml does not exist)'],
    ['path as environment', { environment: '../x', name: 'apps-2' }, '--environment: "../x" must be a plain name, not a path'],
    ['existing cluster', { environment: 'acme-prod', name: 'apps-1' }, '--name: environment "acme-prod" already has a cluster "apps-1"'],
    ['management name', { environment: 'acme-prod', name: 'management' }, 'already has a cluster "management"'],
    ['reserved name', { environment: 'acme-prod', name: 'config' }, '--name: cluster name "config" is reserved'],
    ['bad name', { environment: 'acme-prod', name: 'Apps 2' }, '--name: "Apps 2" is not a valid cluster name'],
    ['bad provider', { environment: 'acme-prod', name: 'apps-2', provider: 'gcp' }, '--provider: "gcp" is not one of exoscale'],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    const { tree } = await baseTree();
    const before = tree.listChanges().length;
    const err = await addWorkloadCluster(tree, options as never, recordingDeps({ catalog: TEST_CATALOG })).catch((e) => e);
    expect(err).toBeInstanceOf(OptionErrors);
    expect(err.message).toContain(message);
    expect(tree.listChanges().length).toBe(before);
  });
});

describe('add-workload-cluster: secrets', () => {
  let keyDir: string;
  let keyFile: string;
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'ck8s-age-'));
    keyFile = join(keyDir, 'age.agekey');
    writeFileSync(keyFile, `# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

  it('without the age key, stops before writing when existing Secrets must gain content for the new cluster', async () => {
    const { tree } = await baseTree();
    const before = JSON.stringify(tree.listChanges().map((c) => [c.path, c.content?.toString()]));
    const saved = { file: process.env.SOPS_AGE_KEY_FILE, key: process.env.SOPS_AGE_KEY };
    delete process.env.SOPS_AGE_KEY_FILE;
    delete process.env.SOPS_AGE_KEY;
    try {
      const err = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-2' }, recordingDeps({ catalog: TEST_CATALOG })).catch((e: Error) => e);
      if (!(err instanceof Error)) throw new Error('expected an error');
      expect(err.message).toContain('add-workload-cluster: cluster "apps-2" needs values from existing encrypted files; nothing was written');
      expect(err.message).toContain('--ageKeyFile');
      expect(err.message).toContain(`${DIR}/receive-auth.sops.yaml: gains content: key(s) auth, needed by component receiver on management`);
      expect(err.message).toContain(`${DIR}/receive-users.sops.yaml: lacks key(s) writer-apps-2, needed by component receiver on management`);
    } finally {
      if (saved.file !== undefined) process.env.SOPS_AGE_KEY_FILE = saved.file;
      if (saved.key !== undefined) process.env.SOPS_AGE_KEY = saved.key;
    }
    expect(JSON.stringify(tree.listChanges().map((c) => [c.path, c.content?.toString()]))).toBe(before);
  });

  it('with the age key, adds the cluster, generates its own Secrets and extends the shared ones, keeping existing values', async () => {
    const { tree, values: firstValues } = await baseTree();
    const w1 = await plain(tree, `${DIR}/apps-1/remote-write.sops.yaml`);
    const authBefore = (await plain(tree, `${DIR}/receive-auth.sops.yaml`)).auth;
    const untouched = [
      'grafana-oidc.sops.yaml',
      'oidc-clients.sops.yaml',
      'grafana-admin.sops.yaml',
      'ops-auth.sops.yaml',
      'apps-1/remote-write.sops.yaml',
    ].map((f) => [f, tree.read(`${DIR}/${f}`, 'utf-8')]);

    const deps = recordingDeps({ catalog: TEST_CATALOG });
    const result = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-2', ageKeyFile: keyFile }, deps);
    expect(result.secrets.files.map((f) => `${f.action} ${f.path.slice(DIR.length + 1)}`).sort()).toEqual(
      [
        'create apps-2/local-token.sops.yaml',
        'create apps-2/notify.sops.yaml',
        'create apps-2/remote-write.sops.yaml',
        'update receive-auth.sops.yaml',
        'update receive-users.sops.yaml',
      ].sort(),
    );
    for (const [f, text] of untouched) expect(tree.read(`${DIR}/${f}`, 'utf-8'), f!).toBe(text);

    const config = tree.read('environments/acme-prod/config.yaml', 'utf-8')!;
    expect(config).toContain('  - name: apps-2\n    role: workload\n');
    expect(config).toContain('# yaml-language-server: $schema=');
    const env = resolveEnvironment('acme-prod', { 'config.yaml': config }, configExtensions(TEST_CATALOG)).environment!;
    expect(env.clusters.map((c) => c.name)).toEqual(['management', 'apps-1', 'apps-2']);
    expect(tree.exists('environments/acme-prod/apps-2.yaml')).toBe(false);

    const w2 = await plain(tree, `${DIR}/apps-2/remote-write.sops.yaml`);
    const users = await plain(tree, `${DIR}/receive-users.sops.yaml`);
    expect(users['writer-apps-1']).toBe(w1.password);
    expect(users['writer-apps-2']).toBe(w2.password);
    expect(w2.password).not.toBe(w1.password);
    const auth = (await plain(tree, `${DIR}/receive-auth.sops.yaml`)).auth.trimEnd().split('\n');
    expect(auth[0]).toBe(authBefore.trimEnd()); // the existing writer's line is kept byte for byte
    expect(auth[1].startsWith('writer-apps-2:')).toBe(true);
    expect(bcryptVerify(w2.password, auth[1].slice('writer-apps-2:'.length))).toBe(true);
    expect((await plain(tree, `${DIR}/apps-2/notify.sops.yaml`)).url).toBe('REPLACE-ME: shoutrrr URL');
    expect(result.secrets.placeholders.map((p) => `${p.path.slice(DIR.length + 1)}:${p.key}`).sort()).toEqual(['apps-2/notify.sops.yaml:url']);

    const all = [...firstValues, ...deps.values, w1.password];
    expect(leakedValues(writtenFiles(tree), all)).toEqual([]);
    expect(leakedValues([['log', deps.logs.join('\n')]], all)).toEqual([]);
  });

  it('needs no key when the new cluster shares nothing with existing Secrets, and writes a provider override only when it differs', async () => {
    const catalog = TEST_CATALOG.filter((c) => ['sender', 'local', 'dashboards'].includes(c.name));
    const { tree } = await baseTree(catalog);
    const deps = recordingDeps({ catalog });
    const result = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-2', provider: 'aws' }, deps);
    expect(result.files.sort()).toEqual(
      [
        'environments/acme-prod/config.yaml',
        'environments/acme-prod/apps-2.yaml',
        `${DIR}/apps-2/local-token.sops.yaml`,
        `${DIR}/apps-2/notify.sops.yaml`,
        `${DIR}/apps-2/remote-write.sops.yaml`,
      ].sort(),
    );
    const overrides = tree.read('environments/acme-prod/apps-2.yaml', 'utf-8')!;
    expect(overrides).toContain('# yaml-language-server: $schema=../../packages/config/schema/cluster.schema.json');
    const env = resolveEnvironment(
      'acme-prod',
      { 'config.yaml': tree.read('environments/acme-prod/config.yaml', 'utf-8')!, 'apps-2.yaml': overrides },
      configExtensions(catalog),
    ).environment!;
    expect(env.clusters.find((c) => c.name === 'apps-2')!.provider).toBe('aws');
    expect(leakedValues(writtenFiles(tree), deps.values)).toEqual([]);

    const { tree: t2 } = await baseTree(catalog);
    const r2 = await addWorkloadCluster(t2, { environment: 'acme-prod', name: 'apps-2', provider: 'exoscale' }, recordingDeps({ catalog }));
    expect(r2.files).not.toContain('environments/acme-prod/apps-2.yaml');
  });

  it("never hands the new cluster another cluster's credentials from a top-level file: its copy gets values of its own", async () => {
    const catalog = TEST_CATALOG.filter((c) => c.name === 'sender');
    const { tree } = await baseTree(catalog);
    // An operator moved apps-1's credentials to the top level: apps-1 reads them there, and so would apps-2.
    tree.rename(`${DIR}/apps-1/remote-write.sops.yaml`, `${DIR}/remote-write.sops.yaml`);
    const top = tree.read(`${DIR}/remote-write.sops.yaml`, 'utf-8');
    const w1 = await plain(tree, `${DIR}/remote-write.sops.yaml`);

    const err = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-2' }, { ...recordingDeps({ catalog }), environ: {} }).catch(
      (e: Error) => e,
    );
    expect(String(err)).toContain(`${DIR}/remote-write.sops.yaml: copied for cluster apps-2 with key(s) password, username of its own`);

    const deps = recordingDeps({ catalog });
    const result = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-2', ageKeyFile: keyFile }, deps);
    expect(result.secrets.files.map((f) => `${f.action} ${f.path.slice(DIR.length + 1)}`).sort()).toEqual([
      'create apps-2/notify.sops.yaml',
      'create apps-2/remote-write.sops.yaml',
    ]);
    expect(tree.read(`${DIR}/remote-write.sops.yaml`, 'utf-8')).toBe(top);
    const w2 = await plain(tree, `${DIR}/apps-2/remote-write.sops.yaml`);
    expect(w2.username).toBe('writer-apps-2');
    expect(w2.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(w2.password).not.toBe(w1.password);
    expect(leakedValues(writtenFiles(tree), [...deps.values, w1.password])).toEqual([]);
  });

  it('reuses a top-level Secret that already serves every workload cluster identically', async () => {
    const catalog = TEST_CATALOG.filter((c) => c.name === 'sender');
    const tree = createTreeWithEmptyWorkspace();
    await newEnvironment(tree, { ...NEW_ENV_OPTIONS, ageRecipient: recipient, settings: TEST_SETTINGS } as NewEnvironmentSchema, recordingDeps({ catalog }));
    expect(tree.exists(`${DIR}/notify.sops.yaml`)).toBe(true); // apps-1 and apps-2 need the same content: one file
    const result = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-3' }, recordingDeps({ catalog }));
    expect(result.secrets.files.map((f) => f.path)).toEqual([`${DIR}/apps-3/remote-write.sops.yaml`]);
  });

  it('gives a cluster on another provider object storage credentials of its own, as a placeholder naming its store', async () => {
    // Like velero: one object storage Secret per cluster, cluster-scoped when the cluster's store is not the environment's.
    const backup = defineComponent({
      name: 'backup',
      description: 'test backups to object storage',
      roles: ['management', 'workload'],
      namespace: 'backup',
      podSecurity: 'restricted',
      settings: z.strictObject({ enabled: z.boolean().default(true) }),
      render: () => ({}),
      secrets: (ctx) => [
        {
          name: 'object-storage',
          namespace: 'backup',
          keys: ['cloud'],
          description: 'object storage credentials',
          generate: { cloud: { type: 'user', hint: ownStoreHint(ctx.env, ctx.cluster, 'credentials file') } },
          clusterScoped: ownObjectStorage(ctx.env, ctx.cluster),
        },
      ],
    });
    const tree = createTreeWithEmptyWorkspace();
    await newEnvironment(
      tree,
      { ...NEW_ENV_OPTIONS, ageRecipient: recipient, settings: TEST_SETTINGS } as NewEnvironmentSchema,
      recordingDeps({ catalog: [backup] }),
    );
    expect(tree.exists(`${DIR}/object-storage.sops.yaml`)).toBe(true); // the environment's store: one file for all three clusters
    const top = tree.read(`${DIR}/object-storage.sops.yaml`, 'utf-8');

    const same = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-3' }, recordingDeps({ catalog: [backup] }));
    expect(same.secrets.files).toEqual([]);
    const other = await addWorkloadCluster(tree, { environment: 'acme-prod', name: 'apps-4', provider: 'aws' }, recordingDeps({ catalog: [backup] }));
    expect(other.secrets.files.map((f) => f.path)).toEqual([`${DIR}/apps-4/object-storage.sops.yaml`]);
    expect(other.secrets.placeholders.map((p) => `${p.key}: ${p.hint}`)).toEqual([
      `cloud: credentials file, for s3 at region eu-north-1 (cluster apps-4's own store)`,
    ]);
    expect(tree.read(`${DIR}/object-storage.sops.yaml`, 'utf-8')).toBe(top);
    expect((await plain(tree, `${DIR}/apps-4/object-storage.sops.yaml`)).cloud).toMatch(/^REPLACE-ME: credentials file, for s3 at region eu-north-1/);
  });
});
