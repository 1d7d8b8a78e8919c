import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { getPath } from './source/effective';
import { encryptSecret } from '@ck8s/secrets';
import { hasShared, tempDir } from '@ck8s/testing';
import { recordingDeps, testIdentity } from '../lib/testing';
import { countOutcomes, importCk8s, type ImportDeps, type ImportResult } from './generator';
import type { ImportCk8sSchema } from './schema';
import { CK8S_RELEASE, ck8sInit, fixtureLeafKeys, operatorConfigPath, override, type OperatorPathOptions } from './testing';

const tmp = tempDir('ck8s-import-gen-');
afterAll(() => tmp.cleanup());
let recipient: string;
beforeAll(async () => {
  ({ recipient } = await testIdentity());
});

let n = 0;
const newDir = (label: string) => join(tmp.dir, `${label}-${n++}`);
const path = (o: Omit<OperatorPathOptions, 'dir'> & { label?: string }) => operatorConfigPath({ ...o, dir: newDir(o.label ?? `${o.flavor}-${o.provider}`) });

/** The built-in encrypter (fast; the sops binary is exercised by the secrets tests and the e2e test). */
const deps = (extra: Partial<ImportDeps> = {}): ImportDeps =>
  recordingDeps({ encrypt: (m, r) => encryptSecret(m, { recipients: r, builtin: true }), env: {}, ...extra });

const options = (from: string, over: Partial<ImportCk8sSchema> = {}): ImportCk8sSchema => ({
  from,
  name: 'acme',
  ageRecipient: recipient,
  gitUrl: 'ssh://git@github.com/acme/platform.git',
  ...over,
});

async function refused(tree: Tree, o: ImportCk8sSchema): Promise<string> {
  const before = tree.listChanges().length;
  const err = await importCk8s(tree, o, deps()).then(
    () => new Error('expected the import to be refused'),
    (e: Error) => e,
  );
  expect(tree.listChanges().length, 'nothing written').toBe(before);
  return err.message;
}

const shared = hasShared('ck8s-apps', CK8S_RELEASE, 'config');

describe.skipIf(!shared)('import-ck8s: bad input is refused, naming file and key, and nothing is written', () => {
  it('a folder that is not a ck8s config path', async () => {
    const dir = newDir('not-a-config-path');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'values.yaml'), 'a: 1\n');
    expect(await refused(createTreeWithEmptyWorkspace(), options(dir))).toMatch(
      /--from: .* is not a compliantkubernetes-apps config path: defaults\/common-config\.yaml is missing/,
    );
    expect(await refused(createTreeWithEmptyWorkspace(), options(join(dir, 'absent')))).toMatch(/--from: .*absent does not exist/);
  });

  it('a config path without the service cluster files, or without any workload cluster', async () => {
    const dir = newDir('wc-only');
    ck8sInit({ dir, envName: 'acme', flavor: 'dev', provider: 'exoscale', kinds: ['wc'] });
    expect(await refused(createTreeWithEmptyWorkspace(), options(dir))).toMatch(/missing defaults\/sc-config\.yaml, sc-config\.yaml/);
    const scOnly = path({ flavor: 'dev', provider: 'exoscale', kinds: ['sc'], label: 'sc-only' });
    expect(await refused(createTreeWithEmptyWorkspace(), options(scOnly))).toMatch(/has no workload cluster config .* no --workloadConfigPaths/);
  });

  it('a ck8s version outside v0.50', async () => {
    for (const version of ['v0.49.2', 'any']) {
      const dir = path({ flavor: 'dev', provider: 'exoscale', version, label: `version-${version}` });
      const message = await refused(createTreeWithEmptyWorkspace(), options(dir));
      expect(message).toMatch(
        new RegExp(
          `defaults/common-config\\.yaml:\\d+: global\\.ck8sVersion: "${version}" ` +
            'is not a compliantkubernetes-apps version this importer understands \\(v0\\.50\\.x\\)',
        ),
      );
    }
  });

  it('set-me left in required keys: each listed with its file, line and key', async () => {
    const fresh = newDir('fresh-init');
    ck8sInit({ dir: fresh, envName: 'acme', flavor: 'prod', provider: 'exoscale' });
    const domains = await refused(createTreeWithEmptyWorkspace(), options(fresh));
    expect(domains).toMatch(/defaults\/common-config\.yaml:\d+: global\.baseDomain: still "set-me": set it/);
    expect(domains).toMatch(/defaults\/common-config\.yaml:\d+: global\.opsDomain: still "set-me"/);

    const dir = newDir('half-set');
    ck8sInit({ dir, envName: 'acme', flavor: 'prod', provider: 'exoscale' });
    override(dir, 'common', { global: { baseDomain: 'acme.example.com', opsDomain: 'ops.acme.example.com' } });
    const message = await refused(createTreeWithEmptyWorkspace(), options(dir));
    for (const [file, key] of [
      ['defaults/common-config.yaml', 'objectStorage.s3.region'],
      ['defaults/common-config.yaml', 'issuers.letsencrypt.prod.email'],
      ['defaults/common-config.yaml', 'clusterAdmin.users'],
      ['defaults/wc-config.yaml', 'user.namespaces'],
      ['defaults/wc-config.yaml', 'user.adminUsers'],
      ['defaults/sc-config.yaml', 'harbor.oidc.adminGroupName'],
    ]) {
      expect(message).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+: ${key.replace(/\./g, '\\.')}: still set-me`));
    }
    expect(message).not.toMatch(/networkPolicies\.global\.scIngress/); // set-me where we have no equivalent: not needed
  });

  it('conflicting workload cluster configs: a cluster name used twice, another flavor, another service cluster', async () => {
    const main = path({ flavor: 'prod', provider: 'exoscale', label: 'main' });
    const sameName = path({ flavor: 'prod', provider: 'exoscale', kinds: ['wc'], label: 'same-name' });
    expect(await refused(createTreeWithEmptyWorkspace(), options(main, { workloadConfigPaths: sameName }))).toMatch(
      /same-name-\d+\/defaults\/wc-config\.yaml:\d+: global\.clusterName: cluster name "acme-wc" is also the name of the wc cluster of .*main-\d+: conflicting/,
    );
    const dev = path({ flavor: 'dev', provider: 'exoscale', kinds: ['wc'], label: 'other-flavor', wc: { global: { clusterName: 'acme-wc2' } } });
    expect(await refused(createTreeWithEmptyWorkspace(), options(main, { workloadConfigPaths: [dev] }))).toMatch(
      /global\.ck8sFlavor: "dev" differs from the service cluster's "prod" .*conflicting cluster configs/,
    );
    const elsewhere = path({
      flavor: 'prod',
      provider: 'exoscale',
      kinds: ['wc'],
      label: 'other-sc',
      domain: 'other.example.com',
      wc: { global: { clusterName: 'acme-wc3' } },
    });
    const m = await refused(createTreeWithEmptyWorkspace(), options(main, { workloadConfigPaths: elsewhere }));
    expect(m).toMatch(
      /other-sc-\d+\/common-config\.yaml:\d+: global\.baseDomain: "other\.example\.com" is not the service cluster's baseDomain "acme\.example\.com"/,
    );
    expect(m).toMatch(/global\.opsDomain: "ops\.other\.example\.com" is not the service cluster's opsDomain/);
    expect(await refused(createTreeWithEmptyWorkspace(), options(main, { workloadConfigPaths: main }))).toMatch(/is given twice/);
  });

  it('a config our platform cannot run as it is (prod without object storage): refused, naming the ck8s keys involved', async () => {
    const dir = path({ flavor: 'prod', provider: 'baremetal', label: 'prod-no-object-storage' });
    const message = await refused(createTreeWithEmptyWorkspace(), options(dir));
    expect(message).toMatch(/rejected by our config loader.*nothing was written/);
    expect(message).toMatch(/components\.velero\.enabled: backups need object storage/);
    expect(message).toMatch(/storage\.objectStorage\.type = "none" comes from ck8s objectStorage\.type \(defaults\/common-config\.yaml, cluster acme-sc\)/);
  });

  it('an environment name that exists, and invalid options', async () => {
    const dir = path({ flavor: 'dev', provider: 'exoscale', label: 'exists' });
    const tree = createTreeWithEmptyWorkspace();
    tree.write('environments/acme/config.yaml', 'version: 1\n');
    expect(await refused(tree, options(dir))).toMatch(/--name: environment "acme" already exists/);
    const bad = await refused(
      createTreeWithEmptyWorkspace(),
      options(dir, { ageRecipient: 'AGE-SECRET-KEY-1XYZ', gitUrl: 'git@github.com:acme/platform.git', name: 'Acme' }),
    );
    expect(bad).toMatch(/--name: "Acme" is not a valid environment name/);
    expect(bad).toMatch(/--ageRecipient: that is an age PRIVATE key/);
    expect(bad).toMatch(/scp-style/);
  });
});

/** Every leaf of every imported cluster appears in IMPORT.md as a key row. */
function expectEveryKeyReported(r: ImportResult, report: string, paths: { dir: string; kinds: ('sc' | 'wc')[] }[]): void {
  const missing: string[] = [];
  let total = 0;
  for (const p of paths) {
    for (const kind of p.kinds) {
      for (const key of fixtureLeafKeys(p.dir, kind)) {
        total++;
        if (!report.includes(`| \`${key}\` |`)) missing.push(`${kind} ${key}`);
      }
    }
  }
  expect(missing).toEqual([]);
  expect(r.leaves.length).toBe(total);
  const counts = countOutcomes(r.leaves);
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
  const titles: Record<string, string> = {
    mapped: 'mapped',
    default: 'equal to our default \\(dropped\\)',
    different: 'different meaning',
    none: 'no equivalent',
    replaced: 'replaced by a different component',
  };
  for (const [outcome, count] of Object.entries(counts)) expect(report).toMatch(new RegExp(`\\| ${titles[outcome]} \\| ${count} \\|`));
}

const settingsOf = (r: ImportResult, cluster: string) =>
  r.assembled.env.clusters.find((c) => c.name === cluster)!.settings as unknown as Record<string, unknown>;
const setting = (r: ImportResult, cluster: string, key: string) => getPath(settingsOf(r, cluster), key.split('.'));
const leaf = (r: ImportResult, cluster: string, key: string) => r.leaves.find((l) => l.cluster === cluster && l.key === key)!;

describe.skipIf(!shared)('import-ck8s: an air-gapped ck8s environment', () => {
  it('is refused until its chart and image mirrors are named (a ck8s config has none), naming the keys; nothing is written', async () => {
    const dir = path({
      flavor: 'air-gapped',
      provider: 'aws',
      installer: 'kubespray',
      label: 'air-gapped-aws',
      common: { global: { issuer: 'internal-ca' } },
      sc: {
        alerts: { alertTo: 'opsgenie', customReceivers: [] },
        opensearch: { plugins: { additionalPlugins: ['https://mirror.acme.internal/repository-s3.zip'] } },
      },
    });
    const message = await refused(createTreeWithEmptyWorkspace(), options(dir));
    expect(message).toMatch(/mirrors\.charts/);
    expect(message).toMatch(/mirrors\.images/);
  });
});

describe.skipIf(!shared)('import-ck8s: fixtures of several flavors, providers and installers', () => {
  it.each([
    ['dev', 'exoscale', 'kubespray'],
    ['prod', 'safespring', 'capi'],
    ['prod', 'citycloud', 'kubespray'],
  ] as const)('%s on %s (%s): loads, accounts for every key in IMPORT.md', async (flavor, provider, installer) => {
    const dir = path({ flavor, provider, installer, label: `${flavor}-${provider}` });
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(dir), deps());
    expect(r.assembled.env.flavor).toBe(flavor);
    expect(r.assembled.env.provider).toBe(provider === 'citycloud' ? 'openstack' : provider);
    expect(r.assembled.env.clusters.map((c) => [c.name, c.role])).toEqual([
      ['acme-sc', 'management'],
      ['acme-wc', 'workload'],
    ]);
    expect(r.assembled.env.domain).toBe('acme.example.com');
    expect(r.assembled.env.opsDomain).toBe('ops.acme.example.com');
    const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
    expectEveryKeyReported(r, report, [{ dir, kinds: ['sc', 'wc'] }]);
    const config = tree.read('environments/acme/config.yaml', 'utf-8')!;
    expect(config).not.toMatch(/^opsDomain:/m); // ops.<domain> is our default
    expect(leaf(r, 'acme-sc', 'global.opsDomain').outcome).toBe('default');
    // What the installer decides lands where it has an equivalent.
    expect(setting(r, 'acme-wc', 'components.nodeLocalDns.clusterDnsIp')).toBe(installer === 'capi' ? '10.233.0.10' : '10.233.0.3');
    expect(tree.exists('environments/acme/.sops.yaml')).toBe(true);
    // No secrets.yaml in these config paths: what ck8s held is still listed, to copy or to rotate.
    expect(r.manual.find((m) => m.secret === 'harbor/harbor-database' && m.key === 'password')).toMatchObject({
      action: 'copy',
      why: 'no secrets.yaml in the config path',
    });
    expect(report).toMatch(/\| `harbor\/harbor-database` \| `password` \| acme-sc \| `harbor\.internal\.databasePassword` \| copy \|/);
    expect(r.files.filter((f) => f.includes('/secrets/')).length).toBeGreaterThan(10);
  });

  it('chosen values land in the config: retention, replicas, schedules, receivers, RBAC, policies, network allowances', async () => {
    const dir = path({
      flavor: 'prod',
      provider: 'exoscale',
      label: 'chosen',
      namespaces: ['payments', 'web'],
      common: {
        velero: { schedule: '15 1 * * *', retentionPeriod: '1440h0m0s' },
        falco: { alerts: { priority: 'error' } },
        externalTrafficPolicy: { whitelistRange: { global: '203.0.113.0/24,198.51.100.0/24' } },
        trivy: { scanJobs: { concurrentLimit: 4 } },
      },
      sc: {
        alerts: { alertTo: 'slack', slack: { channel: '#acme-alerts' } },
        thanos: {
          compactor: { retentionResolutionRaw: '60d', retentionResolution5m: '180d', retentionResolution1h: '720d' },
          receiver: { replicaCount: 3 },
          receiveDistributor: { replicationFactor: 3 },
        },
        opensearch: {
          curator: {
            retention: [
              { pattern: 'kubernetes-*', ageDays: 40, sizeGB: 100 },
              { pattern: 'kubeaudit-*', ageDays: 35 },
            ],
          },
          masterNode: { count: 5 },
        },
        prometheus: { retention: { age: '21d' } },
      },
      wc: {
        prometheus: { retention: { age: '10d' }, replicas: 3 },
        opa: { networkPolicies: { enforcement: 'deny' } },
        user: { constraints: { web: { psaLevel: 'baseline' } } },
      },
    });
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(dir), deps());
    expect(setting(r, 'acme-sc', 'components.velero.schedule')).toBe('15 1 * * *');
    expect(setting(r, 'acme-wc', 'components.velero.retention')).toBe('1440h');
    expect(setting(r, 'acme-sc', 'components.thanos.retention')).toEqual({ rawDays: 60, fiveMinuteDays: 180, oneHourDays: 720 });
    expect(setting(r, 'acme-sc', 'components.thanos.receive.replicas')).toBe(3);
    expect(setting(r, 'acme-sc', 'components.opensearch.retentionDays')).toBe(40);
    expect(setting(r, 'acme-sc', 'components.opensearch.replicas')).toBe(5);
    expect(setting(r, 'acme-sc', 'components.kubePrometheusStack.prometheus.retention')).toBe('21d');
    expect(setting(r, 'acme-wc', 'components.kubePrometheusStack.prometheus.retention')).toBe('10d');
    expect(setting(r, 'acme-wc', 'components.kubePrometheusStack.prometheus.replicas')).toBe(3);
    expect(setting(r, 'acme-sc', 'components.kubePrometheusStack.alertmanager.receivers')).toEqual([
      { name: 'slack', type: 'slack', channel: '#acme-alerts', sendResolved: true },
    ]);
    expect(setting(r, 'acme-wc', 'components.userRbac.namespaces')).toEqual(['payments', 'web']);
    expect(setting(r, 'acme-wc', 'components.userRbac.namespacePodSecurity')).toEqual({ web: 'baseline' });
    expect(setting(r, 'acme-wc', 'components.userRbac.admins')).toEqual({ users: ['bob@example.org'], groups: ['team-admins'] });
    expect(setting(r, 'acme-wc', 'components.clusterAdminRbac.admins')).toEqual({ users: ['alice@acme.example.com'], groups: ['platform-admins'] });
    expect(setting(r, 'acme-wc', 'components.gatekeeperConstraints.requireNetworkPolicy.enforcementAction')).toBe('deny');
    expect(setting(r, 'acme-wc', 'components.gatekeeperConstraints.allowedRegistries.registries')).toEqual([
      'harbor.acme.example.com',
      'registry.example.org/acme',
      'quay.io/jetstack/cert-manager-acmesolver',
    ]);
    expect(setting(r, 'acme-wc', 'components.falco.alertPriority')).toBe('error');
    expect(setting(r, 'acme-wc', 'components.trivyOperator.concurrentScanJobs')).toBe(4);
    expect(setting(r, 'acme-sc', 'network.ingressAllowedCidrs')).toEqual(['203.0.113.0/24', '198.51.100.0/24']);
    expect(setting(r, 'acme-sc', 'network.apiServerCidrs')).toEqual(['10.0.10.0/24']);
    expect(setting(r, 'acme-wc', 'network.apiServerCidrs')).toEqual(['10.0.20.0/24']);
    expect(setting(r, 'acme-sc', 'components.opensearch.sso')).toEqual({ adminGroups: ['platform-admins'], readerGroups: ['developers'] });
    expect(setting(r, 'acme-sc', 'storage.objectStorage')).toMatchObject({ type: 's3', region: 'ch-gva-2', endpoint: 'https://sos-ch-gva-2.exo.io' });
    // Shared values in config.yaml, per-cluster ones in the cluster's file, each commented with its ck8s key.
    const config = tree.read('environments/acme/config.yaml', 'utf-8')!;
    expect(config).toContain('schedule: 15 1 * * * # ck8s: velero.schedule');
    const wcFile = tree.read('environments/acme/acme-wc.yaml', 'utf-8')!;
    expect(wcFile).toContain('retention: 10d # ck8s: prometheus.retention.age');
    expect(config).not.toContain('10d');
    const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
    expect(report).toMatch(
      /\| `velero\.schedule` \| acme-sc, acme-wc \| `"15 1 \* \* \*"` \| common-config\.yaml \| mapped to `components\.velero\.schedule` = `"15 1 \* \* \*"`/,
    );
    expect(report).toMatch(/\| `hnc\.enabled` \| acme-wc \| `true` \| defaults\/common-config\.yaml \| (replaced by capsule|equal to our default)/);
    expect(report).toMatch(/\| `ingressNginx\.controller\.chroot` \| acme-sc, acme-wc \| `true` \| defaults\/common-config\.yaml \| replaced by traefik/);
    expect(report).toMatch(/\| `fluentd\.forwarder\.requestTimeout` \| .* replaced by fluent-bit/);
  });

  it('a value equal to our default is dropped and reported so; a value our config refuses is left out and explained', async () => {
    const dir = path({
      flavor: 'prod',
      provider: 'exoscale',
      label: 'refused',
      sc: { opensearch: { curator: { retention: [{ pattern: 'kubernetes-*', ageDays: 10 }] } } },
      common: { trivy: { enabled: true } },
    });
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(dir), deps());
    const trivy = leaf(r, 'acme-sc', 'trivy.enabled');
    expect(trivy.outcome).toBe('default');
    const config = YAML.parse(tree.read('environments/acme/config.yaml', 'utf-8')!);
    expect(getPath(config, ['components', 'trivyOperator', 'enabled'])).toBeUndefined();
    expect(tree.read('environments/acme/IMPORT.md', 'utf-8')).toMatch(
      /\| `trivy\.enabled` \| acme-sc, acme-wc \| `true` \| common-config\.yaml \| equal to our default \(dropped\)/,
    );
    const retention = leaf(r, 'acme-sc', 'opensearch.curator.retention');
    expect(retention.outcome).toBe('different');
    expect(retention.note).toMatch(/our config refuses 10 for components\.opensearch\.retentionDays \(.*30.*\); our default applies/);
    expect(setting(r, 'acme-sc', 'components.opensearch.retentionDays')).toBe(30);
  });

  it("the operator's own maps under keys without equivalent, and keys ck8s does not know, are reported, never dropped silently", async () => {
    const dir = path({
      flavor: 'dev',
      provider: 'exoscale',
      label: 'own-keys',
      common: { falco: { customRules: { 'acme-rules.yaml': '- rule: x' } }, acmeLocal: { feature: { enabled: true } } },
      wc: { user: { extraRoles: { reader: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } } } },
    });
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(dir), deps());
    const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
    expectEveryKeyReported(r, report, [{ dir, kinds: ['sc', 'wc'] }]);
    expect(leaf(r, 'acme-wc', 'user.extraRoles.reader.rules')).toMatchObject({ outcome: 'none', note: expect.stringContaining('no extra roles') });
    expect(leaf(r, 'acme-sc', 'falco.customRules["acme-rules.yaml"]')).toMatchObject({ outcome: 'none', note: expect.stringContaining('custom rules') });
    expect(leaf(r, 'acme-sc', 'acmeLocal.feature.enabled')).toMatchObject({
      outcome: 'none',
      note: expect.stringContaining('not a key of compliantkubernetes-apps v0.50'),
    });
    expect(report).toMatch(/### Other keys\n\n2 no equivalent\n/); // one per cluster
  });

  it('several workload clusters from several config paths, one on another provider', async () => {
    const main = path({ flavor: 'prod', provider: 'safespring', label: 'multi-main' });
    const second = path({
      flavor: 'prod',
      provider: 'elastx',
      kinds: ['wc'],
      label: 'multi-2',
      namespaces: ['analytics'],
      apiserver: '10.0.30.0/24',
      wc: { global: { clusterName: 'acme-wc2' } },
    });
    const third = path({
      flavor: 'prod',
      provider: 'safespring',
      kinds: ['wc'],
      label: 'multi-3',
      wc: { global: { clusterName: 'acme-wc3' }, prometheus: { retention: { age: '30d' } } },
    });
    const tree = createTreeWithEmptyWorkspace();
    const r = await importCk8s(tree, options(main, { workloadConfigPaths: `${second},${third}` }), deps());
    expect(r.assembled.env.clusters.map((c) => `${c.name}:${c.role}:${c.provider}`)).toEqual([
      'acme-sc:management:safespring',
      'acme-wc:workload:safespring',
      'acme-wc2:workload:elastx',
      'acme-wc3:workload:safespring',
    ]);
    expect(tree.read('environments/acme/acme-wc2.yaml', 'utf-8')).toMatch(/^provider: elastx$/m);
    expect(setting(r, 'acme-wc2', 'components.userRbac.namespaces')).toEqual(['analytics']);
    expect(setting(r, 'acme-wc2', 'storage.objectStorage')).toMatchObject({ type: 's3', endpoint: 'https://swift.elastx.cloud', region: 'us-east-1' });
    expect(setting(r, 'acme-wc3', 'components.kubePrometheusStack.prometheus.retention')).toBe('30d');
    const report = tree.read('environments/acme/IMPORT.md', 'utf-8')!;
    expectEveryKeyReported(r, report, [
      { dir: main, kinds: ['sc', 'wc'] },
      { dir: second, kinds: ['wc'] },
      { dir: third, kinds: ['wc'] },
    ]);
    expect(report).toContain('| wc | `' + second + '` | `acme-wc2` | workload | elastx |');
  });
});
