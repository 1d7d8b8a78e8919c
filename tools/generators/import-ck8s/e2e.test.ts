import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { renderCommand } from '@ck8s/render';
import { validateEnvironment } from '@ck8s/checks';
import { generateAgeIdentity, randomPassword } from '@ck8s/secrets';
import { hasShared, realTool, sharedDir, tempDir } from '@ck8s/testing';
import { leakedValues, recordingDeps, testIdentity } from '../lib/testing';
import { importCk8s, type ImportDeps, type ImportResult } from './generator';
import { CK8S_RELEASE, operatorConfigPath } from './testing';

/**
 * Import → render → validate in a temporary workspace, once per flavor (a full render and validate
 * takes 10-20 s), and round-trip spot checks: chosen ck8s values (retention, replicas, domains,
 * receivers) appear in the rendered Helm values where the same setting lands.
 */

const shared = hasShared('ck8s-apps', CK8S_RELEASE, 'config');
const sops = realTool('sops', 'encrypting the ck8s secrets.yaml of the prod fixture and the imported Secrets');
const tmp = tempDir('ck8s-import-e2e-');
let recipient: string;
const previousShared = process.env.CK8S_SHARED_DIR;

beforeAll(async () => {
  ({ recipient } = await testIdentity());
  // validate finds the strict schemas and chart defaults next to the workspace; this one is temporary.
  process.env.CK8S_SHARED_DIR = sharedDir();
});
afterAll(() => {
  if (previousShared === undefined) delete process.env.CK8S_SHARED_DIR;
  else process.env.CK8S_SHARED_DIR = previousShared;
  tmp.cleanup();
});

async function importInto(root: string, o: Parameters<typeof importCk8s>[1], deps: ImportDeps = { ...recordingDeps(), env: {} }): Promise<ImportResult> {
  const tree = new FsTree(root, false);
  const r = await importCk8s(tree, o, deps);
  flushChanges(root, tree.listChanges());
  return r;
}

async function renderAndValidate(root: string, env: string): Promise<void> {
  const rendered = await renderCommand(root, env);
  expect(rendered.ok, rendered.output).toBe(true);
  const report = await validateEnvironment(root, env);
  const errors = report.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => `[${f.check}] ${f.file ?? f.object ?? ''}: ${f.message}`)).toEqual([]);
  expect(report.ok).toBe(true);
}

const values = (root: string, env: string, cluster: string, component: string) =>
  YAML.parse(readFileSync(join(root, 'clusters', env, cluster, 'components', component, 'values.yaml'), 'utf8'));
const rendered = (root: string, env: string, cluster: string, component: string, file = 'objects.yaml') =>
  readFileSync(join(root, 'clusters', env, cluster, 'components', component, file), 'utf8');

describe.skipIf(!shared)('import-ck8s end to end: import, render, validate', () => {
  it('dev on exoscale (kubespray): renders and passes validate; chosen values reach the Helm values', async () => {
    const root = join(tmp.dir, 'ws-dev');
    const dir = operatorConfigPath({
      dir: join(tmp.dir, 'dev-exoscale'),
      flavor: 'dev',
      provider: 'exoscale',
      sc: { thanos: { compactor: { retentionResolutionRaw: '20d' } }, alerts: { alertTo: 'slack', slack: { channel: '#acme-dev' } } },
      wc: { prometheus: { retention: { age: '5d' } } },
      common: { velero: { enabled: true, schedule: '45 3 * * *' } },
    });
    await importInto(root, { from: dir, name: 'acme-dev', ageRecipient: recipient, gitUrl: 'ssh://git@github.com/acme/platform.git' });
    await renderAndValidate(root, 'acme-dev');
    expect(values(root, 'acme-dev', 'acme-wc', 'kube-prometheus-stack').prometheus.prometheusSpec.retention).toBe('5d');
    expect(values(root, 'acme-dev', 'acme-sc', 'thanos').compactor.retentionResolutionRaw).toBe('20d');
    expect(rendered(root, 'acme-dev', 'acme-wc', 'velero', 'config/objects.yaml')).toMatch(/schedule: ['"]?45 3 \* \* \*/);
    const am = JSON.stringify(values(root, 'acme-dev', 'acme-sc', 'kube-prometheus-stack').alertmanager.config);
    expect(am).toContain('"channel":"#acme-dev"');
    expect(JSON.stringify(values(root, 'acme-dev', 'acme-sc', 'user-grafana'))).toContain('grafana.acme.example.com');
  }, 240_000);

  it.skipIf(!sops)(
    'prod: service cluster on safespring, workload clusters on safespring and elastx, secrets imported with sops; renders and passes validate',
    async () => {
      const root = join(tmp.dir, 'ws-prod');
      const main = operatorConfigPath({
        dir: join(tmp.dir, 'prod-main'),
        flavor: 'prod',
        provider: 'safespring',
        installer: 'capi',
        sc: {
          alerts: { alertTo: 'opsgenie' },
          opensearch: { curator: { retention: [{ pattern: 'kubernetes-*', ageDays: 60 }] }, masterNode: { count: 3 } },
          thanos: { receiver: { replicaCount: 3 }, receiveDistributor: { replicationFactor: 3 } },
        },
        wc: { prometheus: { replicas: 3, retention: { age: '14d' } } },
      });
      const second = operatorConfigPath({
        dir: join(tmp.dir, 'prod-wc2'),
        flavor: 'prod',
        provider: 'elastx',
        installer: 'capi',
        kinds: ['wc'],
        namespaces: ['analytics'],
        wc: { global: { clusterName: 'acme-wc2' } },
      });
      // The operator's secrets.yaml, encrypted by sops for the operator's key.
      const theirs = await generateAgeIdentity();
      const keyFile = join(tmp.dir, 'operator.agekey');
      writeFileSync(keyFile, `${theirs.identity}\n`, { mode: 0o600 });
      const plain = {
        objectStorage: { s3: { accessKey: `AK${randomPassword(16)}`, secretKey: `SK${randomPassword(30)}` } },
        harbor: { internal: { databasePassword: randomPassword(20) } },
        alerts: { opsGenie: { apiKey: randomPassword(32) } },
      };
      for (const d of [main, second]) {
        const file = join(tmp.dir, 'plain.yaml');
        writeFileSync(file, YAML.stringify(plain));
        const text = execFileSync(sops!, ['encrypt', '--age', theirs.recipient, '--input-type', 'yaml', '--output-type', 'yaml', file], {
          cwd: tmp.dir,
          env: { PATH: process.env.PATH, HOME: tmp.dir },
        }).toString();
        rmSync(file);
        writeFileSync(join(d, 'secrets.yaml'), text);
      }
      const r = await importInto(
        root,
        { from: main, workloadConfigPaths: [second], name: 'acme-prod', ageRecipient: recipient, gitUrl: 'ssh://git@github.com/acme/platform.git' },
        { ...recordingDeps(), sopsBin: sops, env: { PATH: process.env.PATH, HOME: tmp.dir, SOPS_AGE_KEY_FILE: keyFile } },
      );
      expect(r.secretFiles.every((f) => f.plain)).toBe(true);
      await renderAndValidate(root, 'acme-prod');
      expect(values(root, 'acme-prod', 'acme-wc', 'kube-prometheus-stack').prometheus.prometheusSpec).toMatchObject({ retention: '14d', replicas: 3 });
      // The second config path keeps ck8s's 3d, which prod refuses (at least 7 days): our default applies, and IMPORT.md says so.
      expect(r.leaves.find((l) => l.cluster === 'acme-wc2' && l.key === 'prometheus.retention.age')).toMatchObject({
        value: '3d',
        outcome: 'different',
        note: expect.stringContaining('our config refuses'),
      });
      expect(values(root, 'acme-prod', 'acme-wc2', 'kube-prometheus-stack').prometheus.prometheusSpec.retention).toBe('15d');
      expect(rendered(root, 'acme-prod', 'acme-sc', 'opensearch', 'config/objects.yaml')).toContain('min_index_age": "60d"');
      expect(values(root, 'acme-prod', 'acme-sc', 'thanos').receive.replicaCount).toBe(3);
      expect(JSON.stringify(values(root, 'acme-prod', 'acme-sc', 'kube-prometheus-stack').alertmanager.config)).toContain('opsgenie_configs');
      expect(readFileSync(join(root, 'environments/acme-prod/acme-wc2.yaml'), 'utf8')).toMatch(/^provider: elastx$/m);
      // No imported credential anywhere in plain text, in the environment or the rendered output.
      const files = execFileSync('find', [join(root, 'environments'), join(root, 'clusters'), '-type', 'f'])
        .toString()
        .trim()
        .split('\n');
      expect(
        leakedValues(
          files.map((f) => [f, readFileSync(f, 'utf8')] as [string, string]),
          r.importedValues,
        ),
      ).toEqual([]);
      expect(r.importedValues.length).toBeGreaterThan(5);
    },
    300_000,
  );
});
