import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { logger } from '@nx/devkit';
import YAML from 'yaml';
import { decryptSops } from 'sops-age';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree } from 'nx/src/generators/tree';
import type { Tree } from '@nx/devkit';
import { FLAVORS, PROVIDERS, resolveEnvironment } from '@ck8s/config';
import { CATALOG, configExtensions } from '@ck8s/components';
import { bcryptVerify, decryptSopsYaml, inspectSopsFile } from '@ck8s/secrets';
import newEnvironmentGenerator, { newEnvironment, renderConfig, SECRETS_PATH_REGEX } from './generator';
import type { NewEnvironmentSchema } from './schema';
import {
  AIR_GAPPED_SETTINGS,
  leakedValues,
  NEW_ENV_OPTIONS,
  recordingDeps,
  seededRandom,
  TEST_CATALOG,
  TEST_SETTINGS,
  testIdentity,
  writtenFiles,
} from '../lib/testing';
import { OptionErrors } from '../lib/options';

let recipient: string;
let identity: string;
beforeAll(async () => {
  ({ recipient, identity } = await testIdentity());
});

/** Options for TEST_CATALOG runs (TEST_SETTINGS); `real()` for runs on the real catalog with default settings. */
const options = (over: Partial<Record<keyof NewEnvironmentSchema, unknown>> = {}): NewEnvironmentSchema =>
  ({ ...NEW_ENV_OPTIONS, ageRecipient: recipient, settings: TEST_SETTINGS, ...over }) as NewEnvironmentSchema;
const real = (over: Partial<Record<keyof NewEnvironmentSchema, unknown>> = {}) =>
  options({ settings: over.flavor === 'air-gapped' ? AIR_GAPPED_SETTINGS : undefined, ...over });

async function decryptFile(tree: Tree, path: string): Promise<Record<string, string>> {
  const obj = await decryptSopsYaml(tree.read(path, 'utf-8')!, [identity], { filename: path });
  return obj.stringData as Record<string, string>;
}

describe('new-environment: config', () => {
  it('writes a commented config.yaml that the real loader accepts, and .sops.yaml, and no overrides files', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const deps = recordingDeps({ catalog: TEST_CATALOG });
    await newEnvironment(tree, options(), deps);
    const config = tree.read('environments/acme-prod/config.yaml', 'utf-8')!;
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=../../packages/config/schema/environment.schema.json');
    for (const key of ['version', 'flavor', 'provider', 'domain', 'git', 'sops', 'clusters', 'certificates']) {
      // every top-level key has a comment right above it (possibly several lines)
      const lines = config.split('\n');
      const at = lines.findIndex((l) => l.startsWith(`${key}:`));
      expect(at, key).toBeGreaterThan(0);
      expect(lines[at - 1].startsWith('#'), `comment above ${key}`).toBe(true);
    }
    const loaded = resolveEnvironment('acme-prod', { 'config.yaml': config }, configExtensions(CATALOG));
    expect(loaded.errors).toEqual([]);
    const env = loaded.environment!;
    expect(env.flavor).toBe('prod');
    expect(env.provider).toBe('exoscale');
    expect(env.domain).toBe('acme.example.com');
    expect(env.git).toMatchObject({ url: 'ssh://git@github.com/acme/platform.git', branch: 'main' });
    expect(env.sops.ageRecipients).toEqual([recipient]);
    expect(env.clusters.map((c) => [c.name, c.role])).toEqual([
      ['management', 'management'],
      ['apps-1', 'workload'],
      ['apps-2', 'workload'],
    ]);
    expect(env.clusters[0].settings.certificates).toMatchObject({ email: 'ops@acme.example.com', issuer: 'letsencrypt-prod' });

    const sops = YAML.parse(tree.read('environments/acme-prod/.sops.yaml', 'utf-8')!);
    expect(sops.creation_rules).toEqual([{ path_regex: SECRETS_PATH_REGEX, encrypted_regex: '^(data|stringData)$', age: recipient }]);
    expect(new RegExp(SECRETS_PATH_REGEX).test('secrets/x.sops.yaml')).toBe(true);
    expect(new RegExp(SECRETS_PATH_REGEX).test('secrets/apps-1/x.sops.yaml')).toBe(true);
    expect(new RegExp(SECRETS_PATH_REGEX).test('config.yaml')).toBe(false);
    const envFiles = tree.children('environments/acme-prod').sort();
    expect(envFiles).toEqual(['.sops.yaml', 'config.yaml', 'secrets']);
  });

  it('accepts several recipients, lists of workload clusters and another management cluster name', async () => {
    const other = (await import('@ck8s/secrets')).generateAgeIdentity;
    const second = (await other()).recipient;
    const tree = createTreeWithEmptyWorkspace();
    await newEnvironment(
      tree,
      options({ ageRecipient: `${recipient}, ${second}`, workloadClusters: ['apps-a'], managementCluster: 'ops', gitBranch: 'release', flavor: 'dev' }),
      recordingDeps({ catalog: TEST_CATALOG }),
    );
    const env = resolveEnvironment(
      'acme-prod',
      { 'config.yaml': tree.read('environments/acme-prod/config.yaml', 'utf-8')! },
      configExtensions(TEST_CATALOG),
    ).environment!;
    expect(env.sops.ageRecipients).toEqual([recipient, second]);
    expect(env.clusters.map((c) => c.name)).toEqual(['ops', 'apps-a']);
    expect(env.git.branch).toBe('release');
    const sops = YAML.parse(tree.read('environments/acme-prod/.sops.yaml', 'utf-8')!);
    expect(sops.creation_rules[0].age).toBe(`${recipient},${second}`);
    const inspected = inspectSopsFile(tree.read('environments/acme-prod/secrets/grafana-oidc.sops.yaml', 'utf-8')!, 'x');
    expect(inspected.recipients.sort()).toEqual([recipient, second].sort());
  });

  it("renders every flavor and provider into a config the loader accepts, or stops with the loader's reason", async () => {
    let accepted = 0;
    for (const flavor of ['dev', 'prod', 'air-gapped'] as const) {
      for (const provider of ['exoscale', 'safespring', 'elastx', 'upcloud', 'openstack', 'aws', 'azure', 'baremetal', 'none']) {
        const text = renderConfig({
          name: 'e',
          flavor,
          provider,
          domain: 'a.example.com',
          managementCluster: 'management',
          workloadClusters: ['w'],
          recipients: [recipient],
          gitUrl: 'https://git.example.com/x/y.git',
          gitBranch: 'main',
          email: 'a@example.com',
        });
        const { errors } = resolveEnvironment('e', { 'config.yaml': text }, configExtensions(CATALOG));
        if (!errors.length) {
          accepted++;
          continue;
        }
        // e.g. prod on provider "none" (no object storage for audit logs): the generator says why and writes nothing
        const tree = createTreeWithEmptyWorkspace();
        const before = tree.listChanges().length;
        const err = await newEnvironment(tree, options({ flavor, provider }), recordingDeps()).then(
          () => new Error('expected an error'),
          (e: Error) => e,
        );
        expect(err.message, `${flavor}/${provider}`).toContain('rejected by the config loader; nothing was written');
        expect(err.message).toContain(errors[0].message);
        expect(tree.listChanges().length).toBe(before);
      }
    }
    expect(accepted).toBeGreaterThan(0);
    for (const flavor of ['dev', 'prod', 'air-gapped'])
      await expect(newEnvironment(createTreeWithEmptyWorkspace(), real({ flavor }), recordingDeps())).resolves.toBeDefined();
  });
});

describe('new-environment: --settings', () => {
  it('merges extra settings into config.yaml, comments kept, e.g. what prod on azure needs', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await newEnvironment(
      tree,
      options({
        provider: 'azure',
        settings:
          '{opsDomain: ops.acme.example.com, certificates: {issuer: custom-ca}, components: {velero: {azure: {resourceGroup: rg, storageAccount: sa}}}}',
      }),
      recordingDeps(),
    );
    const config = tree.read('environments/acme-prod/config.yaml', 'utf-8')!;
    expect(config).toContain('# Base domain: user-facing endpoints');
    expect(config).toContain('  email: ops@acme.example.com\n  issuer: custom-ca\n');
    const env = resolveEnvironment('acme-prod', { 'config.yaml': config }, configExtensions(CATALOG)).environment!;
    expect(env.opsDomain).toBe('ops.acme.example.com');
    expect(env.clusters[0].settings.certificates.issuer).toBe('custom-ca');
  });

  it('an empty map changes nothing', async () => {
    const plain = createTreeWithEmptyWorkspace();
    await newEnvironment(plain, real(), recordingDeps());
    for (const settings of ['{}', '']) {
      const tree = createTreeWithEmptyWorkspace();
      await newEnvironment(tree, real({ settings }), recordingDeps());
      expect(tree.read('environments/acme-prod/config.yaml', 'utf-8'), JSON.stringify(settings)).toBe(
        plain.read('environments/acme-prod/config.yaml', 'utf-8'),
      );
    }
  });

  it("stops with the loader's error when a setting is wrong, and writes nothing", async () => {
    const tree = createTreeWithEmptyWorkspace();
    const before = tree.listChanges().length;
    const err = await newEnvironment(tree, options({ settings: '{certificates: {isuer: custom-ca}}' }), recordingDeps()).catch((e: Error) => e);
    expect(String(err)).toContain('certificates.isuer: unknown key (did you mean "issuer"?)');
    expect(tree.listChanges().length).toBe(before);
  });
});

describe('new-environment: option validation', () => {
  const cases: [string, Partial<Record<keyof NewEnvironmentSchema, unknown>>, string][] = [
    ['upper-case name', { name: 'Acme' }, '--name: "Acme" is not a valid environment name: use a lower-case DNS label'],
    ['path name', { name: '../etc' }, '--name: "../etc" must be a plain name, not a path'],
    ['dotdot name', { name: 'a..b' }, 'must be a plain name, not a path'],
    ['slash name', { name: 'a/b' }, 'must be a plain name, not a path'],
    ['empty name', { name: '' }, '--name: required'],
    ['too long name', { name: 'a'.repeat(41) }, 'at most 40 characters'],
    ['unknown flavor', { flavor: 'staging' }, '--flavor: "staging" is not one of dev, prod, air-gapped'],
    ['unknown provider', { provider: 'gcp' }, '--provider: "gcp" is not one of exoscale, safespring'],
    ['domain with scheme', { domain: 'https://acme.example.com' }, '--domain: "https://acme.example.com" is not a valid domain'],
    ['single-label domain', { domain: 'localhost' }, 'at least two labels'],
    ['upper-case domain', { domain: 'Acme.Example.com' }, 'is not a valid domain'],
    ['private key as recipient', { ageRecipient: 'AGE-SECRET-KEY-1QQQQ' }, 'that is an age PRIVATE key'],
    ['bad recipient', { ageRecipient: 'age1notakey' }, '--ageRecipient: "age1notakey" is not an age recipient'],
    ['ssh public key as recipient', { ageRecipient: 'ssh-ed25519 AAAAC3Nz' }, 'is not an age recipient'],
    ['no recipient', { ageRecipient: '' }, '--ageRecipient: required: at least one age recipient'],
    ['scp-style git url', { gitUrl: 'git@github.com:acme/platform.git' }, 'write ssh://git@github.com/acme/platform.git'],
    ['http git url', { gitUrl: 'http://github.com/acme/platform.git' }, 'is not an ssh:// or https:// Git URL'],
    ['bad email', { email: 'ops-at-acme' }, '--email: "ops-at-acme" is not a valid e-mail address'],
    ['reserved workload cluster', { workloadClusters: 'apps-1,flux-system' }, '--workloadClusters: cluster name "flux-system" is reserved'],
    ['reserved: bases', { workloadClusters: 'bases' }, 'cluster name "bases" is reserved'],
    ['duplicate workload cluster', { workloadClusters: 'apps-1,apps-1' }, 'cluster name "apps-1" used twice'],
    ['workload named like management', { workloadClusters: 'management' }, 'cluster name "management" used twice'],
    ['bad workload name', { workloadClusters: 'Apps_1' }, '--workloadClusters: "Apps_1" is not a valid cluster name'],
    ['no workload cluster', { workloadClusters: ' , ' }, '--workloadClusters: at least one workload cluster is required'],
    ['bad management name', { managementCluster: 'secrets' }, '--managementCluster: cluster name "secrets" is reserved'],
    ['bad branch', { gitBranch: '-x' }, '--gitBranch: "-x" is not a valid Git branch name'],
    ['settings not YAML', { settings: '{components: [' }, '--settings: not valid YAML/JSON'],
    ['settings not a map', { settings: '[1, 2]' }, '--settings: expected a map of config.yaml settings'],
    ['settings setting an option key', { settings: '{flavor: dev}' }, '--settings: "flavor" is set by --flavor, not by --settings'],
  ];
  it.each(cases)('%s', async (_, over, message) => {
    const tree = createTreeWithEmptyWorkspace();
    const before = tree.listChanges().length;
    const err = await newEnvironment(tree, options(over), recordingDeps({ catalog: TEST_CATALOG })).catch((e) => e);
    expect(err).toBeInstanceOf(OptionErrors);
    expect(err.message).toContain(message);
    expect(err.message).toContain('nothing was written');
    expect(tree.listChanges().length).toBe(before);
  });

  it('reports every bad option of a run together', async () => {
    const err = await newEnvironment(createTreeWithEmptyWorkspace(), options({ name: 'X', flavor: 'big', domain: 'x', email: 'no' }), recordingDeps()).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(OptionErrors);
    expect(err.problems).toHaveLength(4);
    expect(err.message).toMatch(/^new-environment: 4 invalid options; nothing was written:\n {2}--name: /);
  });

  it('refuses an existing environment (and leftover rendered output)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('environments/acme-prod/config.yaml', 'version: 1\n');
    await expect(newEnvironment(tree, options(), recordingDeps())).rejects.toThrow('--name: environment "acme-prod" already exists (environments/acme-prod/)');
    const tree2 = createTreeWithEmptyWorkspace();
    tree2.write('clusters/acme-prod/management/kustomization.yaml', '{}\n');
    await expect(newEnvironment(tree2, options(), recordingDeps())).rejects.toThrow('clusters/acme-prod/ already exists without environments/acme-prod/');
  });
});

describe('new-environment: secrets', () => {
  it('writes each Secret once where identical, per cluster where not, with shared values equal everywhere', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const deps = recordingDeps({ catalog: TEST_CATALOG, random: seededRandom(7) });
    const result = await newEnvironment(tree, options(), deps);
    const dir = 'environments/acme-prod/secrets';
    expect(result.secrets.files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(
      [
        'oidc-clients.sops.yaml',
        'grafana-oidc.sops.yaml',
        'grafana-admin.sops.yaml',
        'receive-auth.sops.yaml',
        'ops-auth.sops.yaml',
        'receive-users.sops.yaml',
        'apps-1/remote-write.sops.yaml',
        'apps-2/remote-write.sops.yaml',
        'notify.sops.yaml',
        'management/local-token.sops.yaml',
        'apps-1/local-token.sops.yaml',
        'apps-2/local-token.sops.yaml',
      ].sort(),
    );
    expect(result.secrets.files.find((f) => f.name === 'notify')!.clusters).toEqual(['apps-1', 'apps-2']);

    const oidc = await decryptFile(tree, `${dir}/oidc-clients.sops.yaml`);
    const grafana = await decryptFile(tree, `${dir}/grafana-oidc.sops.yaml`);
    expect(grafana['client-secret']).toHaveLength(32);
    expect(oidc.grafana).toBe(grafana['client-secret']);

    const admin = await decryptFile(tree, `${dir}/grafana-admin.sops.yaml`);
    expect(admin['admin-password']).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(admin['admin-user']).toBe('REPLACE-ME: admin user name, e.g. admin');

    const users = await decryptFile(tree, `${dir}/receive-users.sops.yaml`);
    const w1 = await decryptFile(tree, `${dir}/apps-1/remote-write.sops.yaml`);
    const w2 = await decryptFile(tree, `${dir}/apps-2/remote-write.sops.yaml`);
    expect(w1.password).toBe(users['writer-apps-1']);
    expect(w2.password).toBe(users['writer-apps-2']);
    expect(w1.password).not.toBe(w2.password);
    expect(w1.username).toBe('writer-apps-1'); // literal: written as is, no placeholder

    const auth = (await decryptFile(tree, `${dir}/receive-auth.sops.yaml`)).auth;
    const lines = auth.trimEnd().split('\n');
    expect(auth.endsWith('\n')).toBe(true);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['writer-apps-1', 'writer-apps-2']);
    expect(lines[0]).toMatch(/^writer-apps-1:\$2y\$04\$/);
    expect(bcryptVerify(w1.password, lines[0].slice(lines[0].indexOf(':') + 1))).toBe(true);
    expect(bcryptVerify(w2.password, lines[1].slice(lines[1].indexOf(':') + 1))).toBe(true);
    const ops = (await decryptFile(tree, `${dir}/ops-auth.sops.yaml`)).auth;
    expect(ops).toMatch(/^ops:\$2y\$04\$[./A-Za-z0-9]{53}$/);

    const tokens = await Promise.all(['management', 'apps-1', 'apps-2'].map((c) => decryptFile(tree, `${dir}/${c}/local-token.sops.yaml`)));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(3);

    // Placeholders are reported with the file to edit.
    expect(result.secrets.placeholders.map((p) => `${p.path.slice(dir.length + 1)}:${p.key}`).sort()).toEqual(
      ['grafana-admin.sops.yaml:admin-user', 'notify.sops.yaml:url'].sort(),
    );
    const out = deps.logs.join('\n');
    expect(out).toContain('environments/acme-prod/secrets/notify.sops.yaml  url: shoutrrr URL');
    expect(out).toContain('sops environments/acme-prod/secrets/grafana-admin.sops.yaml');
  });

  it('never writes a generated value in plain text (every file of the tree is searched)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const deps = recordingDeps({ catalog: TEST_CATALOG });
    await newEnvironment(tree, options(), deps);
    expect(deps.values.length).toBeGreaterThan(10);
    const files = writtenFiles(tree);
    expect([...files.keys()].filter((p) => p.startsWith('environments/'))).toHaveLength(14);
    expect(leakedValues(files, deps.values)).toEqual([]);
    // and nothing of the values shows up in the log either
    expect(leakedValues([['log', deps.logs.join('\n')]], deps.values)).toEqual([]);
    // every secrets/ file is a valid SOPS file with readable metadata
    for (const [path, text] of files) {
      if (!path.includes('/secrets/')) continue;
      const inspection = inspectSopsFile(text, path);
      expect(inspection.problems, path).toEqual([]);
      expect(inspection.encrypted).toBe(true);
      expect(inspection.kind).toBe('Secret');
    }
  });

  it('encrypts what the independent sops-age implementation decrypts with the age identity', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const deps = recordingDeps({ catalog: TEST_CATALOG });
    await newEnvironment(tree, options(), deps);
    const text = tree.read('environments/acme-prod/secrets/grafana-admin.sops.yaml', 'utf-8')!;
    const plain = (await decryptSops(text, { secretKey: identity, fileType: 'yaml' })) as {
      metadata: { name: string; namespace: string };
      stringData: Record<string, string>;
    };
    expect(plain.metadata).toEqual({ name: 'grafana-admin', namespace: 'monitoring' });
    expect(deps.values).toContain(plain.stringData['admin-password']);
    expect(plain.stringData['admin-user']).toBe('REPLACE-ME: admin user name, e.g. admin');
  });

  it('covers every Secret validate requires (packages/render requiredSecrets) on the real catalog, for every flavor', async () => {
    const { requiredSecrets } = await import('@ck8s/render');
    const { locateSecret, readExistingSecrets, readEnvironmentFilesFromTree, loadEnvironmentFiles } = await import('../lib/tree');
    const id = (r: { cluster: string; namespace: string; name: string; keys: string[] }) =>
      `${r.cluster} ${r.namespace}/${r.name} [${[...r.keys].sort().join(',')}]`;
    for (const flavor of ['dev', 'prod', 'air-gapped']) {
      const tree = createTreeWithEmptyWorkspace();
      const deps = recordingDeps();
      await newEnvironment(tree, real({ flavor }), deps);
      const env = loadEnvironmentFiles('acme-prod', readEnvironmentFilesFromTree(tree, 'acme-prod'));
      const required = requiredSecrets(env);
      expect(required.length, flavor).toBeGreaterThan(0);
      const files = readExistingSecrets(tree, 'acme-prod');
      for (const req of required) {
        const f = locateSecret(files, req.cluster, req.namespace, req.name);
        expect(f, `${flavor}: ${id(req)}`).toBeDefined();
        expect(f!.keys.sort(), `${flavor}: ${id(req)}`).toEqual(expect.arrayContaining(req.keys));
      }
      expect(leakedValues(writtenFiles(tree), deps.values)).toEqual([]);
    }
  });
});

describe('new-environment: the Nx entry point', () => {
  it('returns a task that prints the next steps (render, validate, commit) and the files to fill in', async () => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      const tree = createTreeWithEmptyWorkspace();
      const task = await newEnvironmentGenerator(tree, real({ flavor: 'air-gapped' }));
      expect(tree.exists('environments/acme-prod/config.yaml')).toBe(true);
      const during = info.mock.calls.map((c) => String(c[0])).join('\n');
      expect(during).toContain('Values only you can provide');
      expect(during).toContain('environments/acme-prod/secrets/custom-ca.sops.yaml  tls.crt: PEM-encoded certificate');
      info.mockClear();
      await task();
      const steps = info.mock.calls.map((c) => String(c[0])).join('\n');
      expect(steps).toContain('Next steps:');
      expect(steps).toContain('sops environments/acme-prod/secrets/custom-ca.sops.yaml   # tls.crt, tls.key');
      expect(steps).toContain('npx nx run acme-prod:render');
      expect(steps).toContain('npx nx run acme-prod:validate');
      expect(steps).toContain('Commit environments/acme-prod/ and clusters/acme-prod/ together');
    } finally {
      info.mockRestore();
    }
  });
});

describe('new-environment: dry run', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ck8s-gen-dry-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('only records changes in the Tree: Nx lists them and, with --dry-run, never flushes them to disk', async () => {
    const tree = new FsTree(root, false);
    await newEnvironment(tree, options(), recordingDeps({ catalog: TEST_CATALOG }));
    const changes = tree.listChanges();
    expect(changes.every((c) => c.type === 'CREATE')).toBe(true);
    expect(changes.map((c) => c.path)).toContain('environments/acme-prod/config.yaml');
    expect(changes.map((c) => c.path)).toContain('environments/acme-prod/secrets/apps-1/remote-write.sops.yaml');
    // what Nx does for --dry-run: print the changes and stop; nothing reached the disk
    expect(existsSync(join(root, 'environments'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('schema.json of the generators', () => {
  const TOOLS = join(__dirname, '..', '..');
  const collection = JSON.parse(readFileSync(join(TOOLS, 'generators.json'), 'utf8')) as {
    generators: Record<string, { factory: string; schema: string; description: string }>;
  };

  it('lists the generators, each with an existing factory and schema', () => {
    expect(Object.keys(collection.generators).sort()).toEqual(['add-workload-cluster', 'import-ck8s', 'new-environment', 'remove-environment', 'sync-secrets']);
    for (const [name, g] of Object.entries(collection.generators)) {
      // Nx loads `<file>#<export>`: a function forwarding to generators/<name>/generator.ts (bundled on first use).
      const [file, exported] = g.factory.split('#');
      expect(typeof (createRequire(__filename)(join(TOOLS, file)) as Record<string, unknown>)[exported], name).toBe('function');
      expect(existsSync(join(TOOLS, 'generators', name, 'generator.ts')), name).toBe(true);
      expect(existsSync(join(TOOLS, g.schema)), name).toBe(true);
      expect(g.description.length).toBeGreaterThan(20);
    }
  });

  it('describes every option, naming every value the config package accepts (the generator checks them, not Nx)', () => {
    for (const [name, g] of Object.entries(collection.generators)) {
      const schema = JSON.parse(readFileSync(join(TOOLS, g.schema), 'utf8'));
      expect(schema.description.length, name).toBeGreaterThan(40);
      for (const [option, p] of Object.entries(schema.properties as Record<string, { description: string }>)) {
        expect(p.description.length, `${name} --${option}`).toBeGreaterThan(15);
        const values = option === 'flavor' ? FLAVORS : option === 'provider' ? PROVIDERS : [];
        for (const v of values) expect(p.description, `${name} --${option} names ${v}`).toContain(v);
      }
      for (const required of schema.required) expect(schema.properties[required], `${name} requires ${required}`).toBeDefined();
    }
  });
});
