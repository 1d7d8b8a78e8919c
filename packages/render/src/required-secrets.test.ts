import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { join } from 'node:path';
import { CATALOG, configExtensions, defineComponent, type Component } from '@ck8s/components';
import { readEnvironmentFiles, resolveEnvironment } from '@ck8s/config';
import { repoRoot } from '@ck8s/testing';
import { renderEnvironment } from './layout';
import { readSecretFiles } from './workspace';
import { requiredSecrets, secretFileFor } from './required-secrets';

const settings = z.strictObject({ enabled: z.boolean().default(true) });
const base = { description: 't', namespace: 'demo', podSecurity: 'restricted' as const, settings, render: () => ({}) };

/** Two readers of one Secret with different keys and hints, an Alertmanager on the management cluster, and a per-cluster token. */
const reader = defineComponent({
  ...base,
  name: 'reader',
  roles: ['management', 'workload'],
  secrets: () => [{ name: 'shared', namespace: 'demo', keys: ['a'], description: 'first reader', generate: { a: { type: 'user', hint: 'from reader' } } }],
});
const other = defineComponent({
  ...base,
  name: 'other',
  roles: ['workload'],
  secrets: (ctx) => [
    {
      name: 'shared',
      namespace: 'demo',
      keys: ['a', 'b'],
      description: 'second reader',
      generate: { a: { type: 'random' }, b: { type: 'literal', value: ctx.cluster.name } },
    },
  ],
});
const alerts = defineComponent({ ...base, name: 'alerts', roles: ['management'], capabilities: ['alertmanager'] });
const catalog: Component[] = [reader, other, alerts];

function env(extra = '') {
  const config = [
    'version: 1',
    'flavor: dev',
    'provider: none',
    'domain: test.example.com',
    'git: { url: "ssh://git@example.com/x.git" }',
    'clusters: [{ name: management, role: management }, { name: apps-1, role: workload }]',
    'certificates: { email: ops@example.com }',
    'notifications: { webhooks: [{ name: ops, type: slack, secretName: ops-webhook }] }',
    extra,
  ].join('\n');
  const result = resolveEnvironment('secrets-test', { 'config.yaml': config }, configExtensions(catalog));
  if (!result.environment) throw new Error(JSON.stringify(result.errors));
  return result.environment;
}

const show = (e: ReturnType<typeof env>) => requiredSecrets(e, catalog).map((r) => `${r.cluster} ${r.namespace}/${r.name} [${r.keys}] by ${r.by.join(' + ')}`);

describe('requiredSecrets', () => {
  it("lists each Secret once per cluster with the union of its readers' keys, components first, then the Flux wiring", () => {
    expect(show(env())).toEqual([
      'management demo/shared [a] by component reader',
      'management flux-system/ops-webhook [address] by Flux notifications',
      'apps-1 demo/shared [a,b] by component reader + component other',
      'apps-1 flux-system/ops-webhook [address] by Flux notifications',
      'apps-1 flux-system/alertmanager-writer [username,password] by Flux notifications',
    ]);
  });

  it("keeps the first hint of a key and takes the others' hints for keys it lacks", () => {
    const shared = requiredSecrets(env(), catalog).find((r) => r.cluster === 'apps-1' && r.name === 'shared')!;
    expect(shared.generate).toEqual({ a: { type: 'user', hint: 'from reader' }, b: { type: 'literal', value: 'apps-1' } });
    expect(shared.readers).toEqual([
      { kind: 'component', name: 'reader' },
      { kind: 'component', name: 'other' },
    ]);
  });

  it('drops the Alertmanager credentials when the management cluster runs no Alertmanager, and components that are off', () => {
    const out = show(env('components: { alerts: { enabled: false }, other: { enabled: false } }'));
    expect(out.filter((l) => l.includes('alertmanager-writer'))).toEqual([]);
    expect(out).toContain('apps-1 demo/shared [a] by component reader');
  });

  it('is the list rendering copies: every file it names lands next to each reader, and no other', () => {
    const e = env();
    const file = (relPath: string, name: string, namespace: string) => ({ relPath, name, namespace, text: `sops: ${relPath}\n` });
    const secrets = [
      file('shared.sops.yaml', 'shared', 'demo'),
      file('apps-1/shared.sops.yaml', 'shared', 'demo'),
      file('ops-webhook.sops.yaml', 'ops-webhook', 'flux-system'),
      file('unused.sops.yaml', 'unused', 'demo'),
    ];
    const rendered = [...renderEnvironment({ env: e, secrets }, catalog)]
      .filter(([, t]) => t.startsWith('sops: '))
      .map(([p, t]) => `${p} <- ${t.trim().slice(6)}`);
    expect(rendered.sort()).toEqual(
      [
        'clusters/secrets-test/management/components/reader/secrets/shared.sops.yaml <- shared.sops.yaml',
        'clusters/secrets-test/management/flux/secrets/ops-webhook.sops.yaml <- ops-webhook.sops.yaml',
        'clusters/secrets-test/apps-1/components/reader/secrets/shared.sops.yaml <- apps-1/shared.sops.yaml',
        'clusters/secrets-test/apps-1/components/other/secrets/shared.sops.yaml <- apps-1/shared.sops.yaml',
        'clusters/secrets-test/apps-1/flux/secrets/ops-webhook.sops.yaml <- ops-webhook.sops.yaml',
      ].sort(),
    );
  });
});

describe('secretFileFor', () => {
  const files = [
    { relPath: 'x.sops.yaml', name: 'x', namespace: 'a' },
    { relPath: 'apps-1/x.sops.yaml', name: 'x', namespace: 'a' },
    { relPath: 'apps-2/y.sops.yaml', name: 'y', namespace: 'a' },
  ];
  it("prefers the cluster's own file, falls back to the top level, and never takes another cluster's", () => {
    expect(secretFileFor(files, 'apps-1', 'x', 'a')?.relPath).toBe('apps-1/x.sops.yaml');
    expect(secretFileFor(files, 'apps-3', 'x', 'a')?.relPath).toBe('x.sops.yaml');
    expect(secretFileFor(files, 'apps-1', 'y', 'a')).toBeUndefined();
    expect(secretFileFor(files, 'apps-1', 'x', 'b')).toBeUndefined();
  });

  it("takes only the cluster's own file for a cluster-scoped requirement", () => {
    expect(secretFileFor(files, 'apps-1', 'x', 'a', true)?.relPath).toBe('apps-1/x.sops.yaml');
    expect(secretFileFor(files, 'apps-3', 'x', 'a', true)).toBeUndefined();
  });
});

describe('a workload cluster on another object store (example-prod: apps-b at Exoscale, the environment at Safespring)', () => {
  const dir = join(repoRoot, 'environments', 'example-prod');
  const loaded = resolveEnvironment('example-prod', readEnvironmentFiles(dir), configExtensions());
  const e = loaded.environment!;
  const objectStorageReqs = () => requiredSecrets(e).filter((r) => r.name === 'object-storage');

  it('needs object storage Secrets of its own, and only that cluster does', () => {
    expect(loaded.errors).toEqual([]);
    expect(
      objectStorageReqs()
        .map((r) => `${r.cluster} ${r.namespace} ${r.clusterScoped ? 'own' : 'environment'}`)
        .sort(),
    ).toEqual([
      'apps-a fluent-bit environment',
      'apps-a velero environment',
      'apps-b fluent-bit own',
      'apps-b velero own',
      'management fluent-bit environment',
      'management velero environment',
    ]);
    for (const r of objectStorageReqs().filter((r) => r.clusterScoped)) {
      for (const hint of Object.values(r.generate))
        expect(hint).toMatchObject({ type: 'user', hint: expect.stringMatching(/https:\/\/sos-ch-gva-2\.exo\.io \(cluster apps-b's own store\)$/) });
    }
  });

  it('never renders the environment-level credentials into that cluster', () => {
    const secrets = readSecretFiles(dir).filter((s) => !s.relPath.startsWith('apps-b/object-storage.'));
    const rendered = [...renderEnvironment({ env: e, secrets }, CATALOG).keys()].filter((p) => /\/secrets\/object-storage\./.test(p));
    expect(rendered.filter((p) => p.includes('/apps-b/'))).toEqual([]);
    expect(rendered.filter((p) => p.includes('/apps-a/')).length).toBe(2);
    const withOwn = [...renderEnvironment({ env: e, secrets: readSecretFiles(dir) }, CATALOG)].filter(([p]) =>
      /\/apps-b\/.*\/secrets\/object-storage\./.test(p),
    );
    const own = readSecretFiles(dir).filter((s) => s.relPath.startsWith('apps-b/object-storage.'));
    expect(withOwn.map(([, text]) => text).sort()).toEqual(own.map((s) => s.text).sort());
  });
});
