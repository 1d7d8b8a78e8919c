import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { deepMerge } from '@ck8s/config';
import { decryptSopsYaml, encryptSecret, generateAgeIdentity, randomPassword } from '@ck8s/secrets';
import { hasShared, realTool, tempDir } from '@ck8s/testing';
import { leakedValues, recordingDeps, testIdentity, writtenFiles } from '../lib/testing';
import { importCk8s, type ImportResult } from './generator';
import { CK8S_RELEASE, ck8sConfigDir, operatorConfigPath } from './testing';

/**
 * A ck8s secrets.yaml encrypted by the real sops (for a throwaway age key: PGP, which ck8s usually
 * uses, is not needed to prove the path): with the key, the values that have an equivalent land in
 * our Secrets; without it, fresh values and placeholders are written and the credentials to copy or
 * rotate are listed. In neither case does a value reach a file in plain text.
 */

const sops = realTool('sops', 'encrypting a ck8s secrets.yaml fixture and decrypting it during the import');
const shared = hasShared('ck8s-apps', CK8S_RELEASE, 'config');
const tmp = tempDir('ck8s-import-secrets-');
afterAll(() => tmp.cleanup());

const secret = (label: string) => `${label}-${randomPassword(24)}`;
const V = {
  accessKey: secret('AK'),
  secretKey: secret('SK'),
  grafanaPassword: secret('grafana-admin'),
  grafanaClientSecret: secret('user-grafana-oidc'),
  grafanaOpsClientSecret: secret('ops-grafana-oidc'),
  userGrafanaPassword: secret('user-grafana-admin'),
  harborPassword: secret('harbor-admin'),
  harborDatabase: secret('harbor-db'),
  harborCore: secret('harbor-core'),
  opensearchAdmin: secret('os-admin'),
  slack: `https://hooks.slack.com/services/T000/B000/${randomPassword(24)}`,
  oktaSecret: secret('okta'),
  azureSecret: secret('azure'),
  thanosShared: secret('thanos-shared'),
};

let dir: string;
let keyFile: string;
let ours: { identity: string; recipient: string };

beforeAll(async () => {
  if (!sops || !shared) return;
  ours = await testIdentity();
  dir = operatorConfigPath({
    dir: join(tmp.dir, 'cfg'),
    flavor: 'prod',
    provider: 'exoscale',
    sc: { alerts: { alertTo: 'slack', slack: { channel: '#acme-alerts' } } },
  });
  const theirs = await generateAgeIdentity();
  keyFile = join(tmp.dir, 'ck8s.agekey');
  writeFileSync(keyFile, `${theirs.identity}\n`, { mode: 0o600 });
  const release = YAML.parse(readFileSync(ck8sConfigDir('secrets.yaml'), 'utf8'));
  const plain = deepMerge(release, {
    objectStorage: { s3: { accessKey: V.accessKey, secretKey: V.secretKey } },
    grafana: { password: V.grafanaPassword, clientSecret: V.grafanaClientSecret, opsClientSecret: V.grafanaOpsClientSecret },
    user: { grafanaPassword: V.userGrafanaPassword },
    harbor: { password: V.harborPassword, coreSecret: V.harborCore, internal: { databasePassword: V.harborDatabase } },
    opensearch: { adminPassword: V.opensearchAdmin },
    thanos: { receiver: { basic_auth: { password: V.thanosShared } } },
    alerts: { slack: { apiUrl: V.slack } },
    dex: {
      connectors: [
        {
          type: 'oidc',
          id: 'okta',
          name: 'Okta',
          config: {
            issuer: 'https://acme.okta.com',
            clientID: 'acme-platform',
            clientSecret: V.oktaSecret,
            redirectURI: 'https://dex.acme.example.com/callback',
            insecureEnableGroups: true,
          },
        },
        { type: 'microsoft', id: 'azure', name: 'Azure AD', config: { tenant: 't', clientID: 'c', clientSecret: V.azureSecret } },
      ],
    },
  });
  const plainFile = join(tmp.dir, 'secrets.plain.yaml');
  writeFileSync(plainFile, YAML.stringify(plain));
  const encrypted = execFileSync(sops!, ['encrypt', '--age', theirs.recipient, '--input-type', 'yaml', '--output-type', 'yaml', plainFile], {
    cwd: tmp.dir,
    env: { PATH: process.env.PATH, HOME: tmp.dir, SOPS_DISABLE_VERSION_CHECK: '1' },
  }).toString();
  rmSync(plainFile);
  writeFileSync(join(dir, 'secrets.yaml'), encrypted);
});

const options = () => ({ from: dir, name: 'acme', ageRecipient: ours.recipient, gitUrl: 'ssh://git@github.com/acme/platform.git' });
const env = (withKey: boolean) => ({ PATH: process.env.PATH, HOME: tmp.dir, ...(withKey ? { SOPS_AGE_KEY_FILE: keyFile } : {}) });
const builtin = { encrypt: (m: Record<string, unknown>, r: string[]) => encryptSecret(m, { recipients: r, builtin: true }) };

async function read(tree: Tree, file: string): Promise<Record<string, string>> {
  const obj = await decryptSopsYaml(tree.read(`environments/acme/secrets/${file}`, 'utf-8')!, [ours.identity]);
  return obj.stringData as Record<string, string>;
}

describe.skipIf(!sops || !shared)('import-ck8s: secrets.yaml', () => {
  it(
    'with the key: values that have an equivalent land in our Secrets (shared values on both sides), connectors in the config; none in plain ' + 'text',
    async () => {
      const tree = createTreeWithEmptyWorkspace();
      const deps = { ...recordingDeps(builtin), sopsBin: sops, env: env(true) };
      const r: ImportResult = await importCk8s(tree, options(), deps);
      expect(r.secretFiles[0].encrypted).toBe(true);
      expect(r.secretFiles[0].reason).toBeUndefined();
      expect((await read(tree, 'grafana-admin.sops.yaml'))['admin-password']).toBe(V.grafanaPassword);
      expect((await read(tree, 'grafana-oidc.sops.yaml'))['client-secret']).toBe(V.grafanaOpsClientSecret);
      const dexClients = await read(tree, 'dex-oidc-clients.sops.yaml');
      expect(dexClients['ops-grafana']).toBe(V.grafanaOpsClientSecret);
      expect(dexClients['user-grafana']).toBe(V.grafanaClientSecret);
      expect((await read(tree, 'user-grafana-admin.sops.yaml'))['admin-password']).toBe(V.userGrafanaPassword);
      expect((await read(tree, 'harbor-database.sops.yaml')).password).toBe(V.harborDatabase);
      expect((await read(tree, 'harbor-admin.sops.yaml')).HARBOR_ADMIN_PASSWORD).toBe(V.harborPassword);
      expect((await read(tree, 'harbor-core.sops.yaml')).secret).toBe(V.harborCore);
      expect((await read(tree, 'opensearch-users.sops.yaml'))['admin-password']).toBe(V.opensearchAdmin);
      expect((await read(tree, 'alertmanager-receivers.sops.yaml')).slack).toBe(V.slack);
      const storage = await read(tree, 'object-storage.fluent-bit.sops.yaml');
      expect(storage).toEqual({ 'access-key-id': V.accessKey, 'secret-access-key': V.secretKey });
      expect((await read(tree, 'object-storage.velero.sops.yaml')).cloud).toBe(
        `[default]\naws_access_key_id = ${V.accessKey}\naws_secret_access_key = ${V.secretKey}\n`,
      );
      const objstore = YAML.parse((await read(tree, 'thanos-objstore.sops.yaml'))['objstore.yml']);
      expect(objstore).toEqual({
        type: 'S3',
        config: { bucket: 'acme-thanos', endpoint: 'sos-ch-gva-2.exo.io', region: 'ch-gva-2', access_key: V.accessKey, secret_key: V.secretKey },
      });
      expect((await read(tree, 'harbor-registry-storage.sops.yaml')).REGISTRY_STORAGE_S3_SECRETKEY).toBe(V.secretKey);
      // Per-cluster writer passwords stay fresh: the shared ck8s receiver password is not reused.
      expect(Object.values(await read(tree, 'acme-wc/thanos-remote-write.sops.yaml'))).not.toContain(V.thanosShared);

      const connectors = r.assembled.env.clusters[0].settings.components.dex as { connectors: unknown[] };
      expect(connectors.connectors).toEqual([
        { type: 'oidc', id: 'okta', name: 'Okta', config: { issuer: 'https://acme.okta.com', clientID: 'acme-platform', insecureEnableGroups: true } },
      ]);
      expect((await read(tree, 'dex-connector-okta.sops.yaml')).clientSecret).toBe(V.oktaSecret);
      const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
      expect(report).toMatch(/decrypted with sops; values with an equivalent were imported/);
      expect(report).toMatch(
        /\| `dex\.connectors` \| mapped → `components\.dex\.connectors`, `dex\/dex-connector-okta clientSecret`: .*not imported: azure \(type microsoft/,
      );
      expect(report).toMatch(/\| `harbor\.internal\.databasePassword` \| mapped → `harbor\/harbor-database password`/);
      expect(r.manual).toEqual([]);
      expect(r.secrets.placeholders.map((p) => p.key)).not.toContain('access-key-id');

      const values = Object.values(V);
      expect(leakedValues(writtenFiles(tree), values)).toEqual([]);
      expect(leakedValues([['log', [...deps.logs, ...deps.warnings].join('\n')]], values)).toEqual([]);
    },
  );

  it('without the key: fresh values and placeholders, and IMPORT.md lists what to copy and what was rotated', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(), { ...recordingDeps(builtin), sopsBin: sops, env: env(false) });
    expect(r.secretFiles[0].reason).toMatch(/sops could not decrypt .*secrets\.yaml/);
    const action = (secret: string, key: string) => r.manual.find((m) => m.secret === secret && m.key === key)?.action;
    expect(action('harbor/harbor-database', 'password')).toBe('copy');
    expect(action('fluent-bit/object-storage', 'access-key-id')).toBe('copy');
    expect(action('monitoring/alertmanager-receivers', 'slack')).toBe('copy');
    expect(action('monitoring/grafana-oidc', 'client-secret')).toBe('rotate');
    expect((await read(tree, 'harbor-database.sops.yaml')).password).not.toBe(V.harborDatabase);
    expect((await read(tree, 'object-storage.fluent-bit.sops.yaml'))['access-key-id']).toMatch(/^REPLACE-ME: /);
    const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
    expect(report).toMatch(/\*\*not decrypted\*\*/);
    expect(report).toMatch(/\| `harbor\/harbor-database` \| `password` \| acme-sc \| `harbor\.internal\.databasePassword` \| copy \|/);
    // The keys of secrets.yaml are readable without the key; its connectors are not, and that is said.
    expect(report).toMatch(/\| `dex\.connectors` \| mapped: each connector goes to components\.dex\.connectors/);
    expect(r.assembled.env.clusters[0].settings.components.dex).toMatchObject({ connectors: [] });
    expect(leakedValues(writtenFiles(tree), Object.values(V))).toEqual([]);
  });
});
