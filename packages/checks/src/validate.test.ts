import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readRenderedEnvironment } from '@ck8s/render';
import { hasShared, realTool, repoRoot, sharedDir, tempDir } from '@ck8s/testing';
import { checkConfig } from './config';
import { formatFinding } from './finding';
import { checkGraph } from './graph';
import { validateEnvironment } from './validate';

const ENV = 'example-prod';
const MGMT = `clusters/${ENV}/management`;

describe('CRD providers come before their users, read from the rendered output', () => {
  const tree = readRenderedEnvironment(repoRoot, ENV);
  const flux = (name: string) => YAML.parseAllDocuments(tree.get(`${MGMT}/flux/${name}.yaml`) ?? '').map((d) => d.toJS());

  it('the committed management cluster has no graph findings', () => {
    expect(checkGraph(tree, MGMT, 'management').map(formatFinding)).toEqual([]);
  });

  it.each([
    ['kube-prometheus-stack', 'monitoring.coreos.com'],
    ['cert-manager', 'cert-manager.io'],
    ['gatekeeper', 'templates.gatekeeper.sh'],
    ['velero', 'velero.io'],
  ])("%s provides %s, and dropping it from a user's dependsOn is caught", (provider, group) => {
    expect(flux(provider)[0].metadata.annotations['ck8s.io/provides-api-groups'].split(',')).toContain(group);
    // Find a Kustomization that applies a custom resource of this group, then cut its dependencies.
    const users = [...tree.keys()].filter(
      (p) => p.startsWith(`${MGMT}/flux/`) && !p.includes('/secrets/') && p.endsWith('.yaml') && !p.endsWith('kustomization.yaml'),
    );
    let mutated: Map<string, string> | undefined;
    for (const file of users) {
      const docs = YAML.parseAllDocuments(tree.get(file)!).map((d) => d.toJS());
      for (const [i, k] of docs.entries()) {
        if (k?.kind !== 'Kustomization' || k.metadata.name === provider) continue;
        const dir = k.spec.path.replace(/^\.\//, '');
        const applies = [...tree].some(([p, t]) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/') && t.includes(`apiVersion: ${group}/`));
        if (!applies || !k.spec.dependsOn) continue;
        docs[i] = { ...k, spec: { ...k.spec, dependsOn: undefined } };
        mutated = new Map(tree).set(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
        break;
      }
      if (mutated) break;
    }
    expect(mutated, `some Kustomization applies ${group} objects`).toBeDefined();
    expect(
      checkGraph(mutated!, MGMT, 'management')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(new RegExp(`uses API group ${group.replace(/\./g, '\\.')}, but no Kustomization that .* depends on provides its CRDs|no ConstraintTemplate`));
  });
});

describe('secrets under environments/<env>/secrets/', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('ck8s-validate-');
    cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
  });
  afterAll(() => t.cleanup());

  it('the shipped environment has no config findings', () => {
    expect(checkConfig(t.dir, ENV).findings.map(formatFinding)).toEqual([]);
  });

  it('fails on a plaintext Secret dropped into secrets/, naming the file', () => {
    const file = join(t.dir, 'environments', ENV, 'secrets', 'oops.sops.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: oops\n  namespace: default\nstringData:\n  password: hunter2\n');
    try {
      const findings = checkConfig(t.dir, ENV).findings.filter((f) => f.file?.endsWith('oops.sops.yaml'));
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.map((f) => f.message).join('\n')).toMatch(/sops --encrypt/);
    } finally {
      rmSync(file);
    }
  });

  it('fails on a SOPS file whose MAC field is broken, naming the file', () => {
    const dir = join(t.dir, 'environments', ENV, 'secrets');
    const name = readdirSync(dir).find((f) => f.endsWith('.sops.yaml'))!;
    const file = join(dir, name);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/mac: ENC\[AES256_GCM,data:[^,]+/, 'mac: ENC[AES256_GCM,data:not-base64!'));
    try {
      const findings = checkConfig(t.dir, ENV).findings;
      expect(findings.some((f) => f.file?.endsWith(name) && /mac/i.test(f.message))).toBe(true);
    } finally {
      writeFileSync(file, original);
    }
  });

  it("checks the keys of the file rendering copies: the cluster's own before a shared one", () => {
    const dir = join(t.dir, 'environments', ENV, 'secrets');
    const scoped = join(dir, 'apps-a', 'alertmanager-writer.flux-system.sops.yaml');
    const original = readFileSync(scoped, 'utf8');
    const shared = join(dir, 'alertmanager-writer.flux-system.sops.yaml');
    writeFileSync(shared, original.replace(/^ {2}password: .*\n/m, ''));
    const lacking = () =>
      checkConfig(t.dir, ENV)
        .findings.filter((f) => /lacks key/.test(f.message))
        .map((f) => `${f.cluster} ${f.file} ${f.message}`);
    try {
      expect(lacking()).toEqual([]);
      rmSync(scoped);
      expect(lacking()).toEqual([
        `apps-a environments/${ENV}/secrets/alertmanager-writer.flux-system.sops.yaml ` +
          'Secret flux-system/alertmanager-writer lacks key(s) password needed by Flux notifications',
      ]);
    } finally {
      rmSync(shared);
      writeFileSync(scoped, original);
    }
  });

  it('fails when a required Secret is missing, saying which component needs it', () => {
    const dir = join(t.dir, 'environments', ENV, 'secrets');
    const name = 'thanos-objstore.sops.yaml';
    const original = readFileSync(join(dir, name), 'utf8');
    rmSync(join(dir, name));
    try {
      const messages = checkConfig(t.dir, ENV).findings.map((f) => f.message);
      expect(messages).toContainEqual(expect.stringMatching(/missing Secret thanos\/thanos-objstore .* needed by component thanos/));
    } finally {
      writeFileSync(join(dir, name), original);
    }
  });

  it('fails when a cluster on another object store would read the environment-level object storage credentials', () => {
    // apps-b runs at Exoscale in a Safespring environment: its own files hold its own store's keys.
    const dir = join(t.dir, 'environments', ENV, 'secrets', 'apps-b');
    const own = readdirSync(dir).filter((f) => f.startsWith('object-storage.'));
    expect(own.sort()).toEqual(['object-storage.fluent-bit.sops.yaml', 'object-storage.velero.sops.yaml']);
    const originals = own.map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
    for (const f of own) rmSync(join(dir, f));
    try {
      const errors = checkConfig(t.dir, ENV).findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => `${f.cluster} ${f.file}`).sort()).toEqual([
        `apps-b environments/${ENV}/secrets/object-storage.fluent-bit.sops.yaml`,
        `apps-b environments/${ENV}/secrets/object-storage.velero.sops.yaml`,
      ]);
      for (const e of errors) {
        expect(e.message).toMatch(
          /^cluster apps-b stores objects in s3 at https:\/\/sos-ch-gva-2\.exo\.io, not in the environment's s3 at https:\/\/s3\.sto2\.safedc\.net/,
        );
        expect(e.message).toMatch(
          /give the cluster its own secrets\/apps-b\/object-storage\.(velero|fluent-bit)\.sops\.yaml \(npx nx g @ck8s\/tools:sync-secrets/,
        );
      }
    } finally {
      for (const [f, text] of originals) writeFileSync(join(dir, f), text);
    }
  });
});

const kustomize = realTool('kustomize', 'validateEnvironment end to end');
const kubeconform = realTool('kubeconform', 'validateEnvironment end to end');

describe.skipIf(!kustomize || !kubeconform || !hasShared('schemas'))('validateEnvironment on a copy with a finding of each kind', () => {
  let t: ReturnType<typeof tempDir>;
  const saved = { ...process.env };
  beforeAll(() => {
    t = tempDir('ck8s-validate-all-');
    for (const dir of [`environments/${ENV}`, `clusters/${ENV}`]) cpSync(join(repoRoot, dir), join(t.dir, dir), { recursive: true });
    // The copy is not next to ../shared: point at it, and keep the caches inside the copy.
    process.env.CK8S_SHARED_DIR = sharedDir();
    process.env.CK8S_OFFLINE = '1';
    delete process.env.CK8S_CHART_DEFAULTS_CACHE;
    const append = (file: string, text: string) => writeFileSync(join(t.dir, file), `${readFileSync(join(t.dir, file), 'utf8')}${text}`);
    append(`clusters/${ENV}/management/components/cert-manager/values.yaml`, 'notAKey: 1\n');
    append(
      `clusters/${ENV}/management/components/namespaces/objects.yaml`,
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\nbogus: 1\n',
    );
    append(
      `clusters/${ENV}/apps-a/components/namespaces/objects.yaml`,
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: open\n  namespace: nowhere\nbogus: 1\n' +
        'spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n',
    );
    append(
      `clusters/${ENV}/apps-b/components/namespaces/objects.yaml`,
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\n  namespace: default\nstringData:\n  k: v\n' +
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  namespace: default\nspec: {}\n',
    );
  });
  afterAll(() => {
    process.env = saved;
    t.cleanup();
  });

  it('reports them in a fixed order, whichever process finishes first, and the same again on warm caches', async () => {
    const report = await validateEnvironment(t.dir, ENV);
    const order = report.findings.map((f) => `${f.cluster ?? '-'} ${f.check} ${f.severity}`);
    // Environment-wide checks first (secrets, chart values, compliance), then each cluster in config order:
    // the graph and egress checks of this process, then kustomize and the schema check.
    expect(order.filter((o, i) => o !== order[i - 1])).toEqual([
      '- secrets error',
      '- chart-values error',
      '- compliance warning',
      'management schema error',
      'apps-a graph error',
      'apps-a config error',
      'apps-a schema error',
      'apps-b schema error',
    ]);
    expect(report.findings.find((f) => f.check === 'secrets')?.object).toBe('Secret/default/plain');
    expect(report.findings.filter((f) => f.check === 'schema').map((f) => f.object)).toEqual([
      'ConfigMap/default/x',
      'NetworkPolicy/nowhere/open',
      'ConfigMap/default/y',
    ]);
    expect(report.clusters.map((c) => [c.cluster, c.errors])).toEqual([
      ['management', 1],
      ['apps-a', 3],
      ['apps-b', 1],
    ]);
    expect(report.ok).toBe(false);
    expect(readdirSync(join(t.dir, 'node_modules', '.cache', 'ck8s-chart-defaults')).length).toBeGreaterThan(5);
    expect(await validateEnvironment(t.dir, ENV)).toEqual(report);
  }, 60_000);
});
