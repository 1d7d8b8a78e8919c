import { z } from 'zod';
import type { Tree } from '@nx/devkit';
import { defineComponent, type Component, type SecretRequirement } from '@ck8s/components';
import { generateAgeIdentity, type AgeKeyPair, type RandomSource } from '@ck8s/secrets';
import type { GeneratorDeps } from './secret-files';

/**
 * Test support for the generators: a small catalog whose components need every kind of generated
 * value, a recording value hook, and helpers that read what a Tree would write.
 */

const settings = z.strictObject({ enabled: z.boolean().default(true) });
const workloads = (ctx: { env: { clusters: { name: string; role: string }[] } }) => ctx.env.clusters.filter((c) => c.role === 'workload').map((c) => c.name);

/** Dex-like: OIDC client secrets, one per client, shared with the clients. */
const idp = defineComponent({
  name: 'idp',
  description: 'test identity provider',
  roles: ['management'],
  namespace: 'idp',
  podSecurity: 'restricted',
  settings,
  secrets: () => [
    {
      name: 'oidc-clients',
      namespace: 'idp',
      keys: ['grafana'],
      description: 'OIDC client secrets',
      generate: { grafana: { type: 'random', shareAs: 'oidc-grafana' } },
    },
  ],
  render: () => ({}),
});

/** Grafana-like: the OIDC client secret (shared with idp), an admin user to provide and an own random password. */
const dashboards = defineComponent({
  name: 'dashboards',
  description: 'test dashboards',
  roles: ['management'],
  namespace: 'monitoring',
  podSecurity: 'restricted',
  settings,
  secrets: (): SecretRequirement[] => [
    {
      name: 'grafana-oidc',
      namespace: 'monitoring',
      keys: ['client-secret'],
      description: 'OIDC client of Grafana',
      generate: { 'client-secret': { type: 'random', shareAs: 'oidc-grafana' } },
    },
    {
      name: 'grafana-admin',
      namespace: 'monitoring',
      keys: ['admin-user', 'admin-password'],
      description: 'Grafana admin',
      generate: { 'admin-user': { type: 'user', hint: 'admin user name, e.g. admin' }, 'admin-password': { type: 'random', length: 24 } },
    },
  ],
  render: () => ({}),
});

/** Thanos-receive-like: an htpasswd file with one line per workload cluster, plus the passwords themselves. */
const receiver = defineComponent({
  name: 'receiver',
  description: 'test metrics receiver',
  roles: ['management'],
  namespace: 'metrics',
  podSecurity: 'restricted',
  settings,
  secrets: (ctx) => [
    {
      name: 'receive-auth',
      namespace: 'metrics',
      keys: ['auth'],
      description: 'htpasswd of the writers',
      generate: { auth: { type: 'htpasswd-file', entries: workloads(ctx).map((c) => ({ user: `writer-${c}`, of: `writer-${c}` })) } },
    },
    {
      name: 'ops-auth',
      namespace: 'metrics',
      keys: ['auth'],
      description: 'operator basic auth',
      generate: { auth: { type: 'htpasswd', user: 'ops', of: 'ops-password' } },
    },
    {
      name: 'receive-users',
      namespace: 'metrics',
      keys: workloads(ctx).map((c) => `writer-${c}`),
      description: 'writer passwords, for reference',
      generate: Object.fromEntries(workloads(ctx).map((c) => [`writer-${c}`, { type: 'random', shareAs: `writer-${c}` }])),
    },
  ],
  render: () => ({}),
});

/** Prometheus-remote-write-like: each workload cluster's own writer credentials (per-cluster files). */
const sender = defineComponent({
  name: 'sender',
  description: 'test metrics sender',
  roles: ['workload'],
  namespace: 'metrics',
  podSecurity: 'restricted',
  settings,
  secrets: (ctx): SecretRequirement[] => [
    {
      name: 'remote-write',
      namespace: 'metrics',
      keys: ['username', 'password'],
      description: 'remote-write credentials',
      generate: { username: { type: 'literal', value: `writer-${ctx.cluster.name}` }, password: { type: 'random', shareAs: `writer-${ctx.cluster.name}` } },
    },
    { name: 'notify', namespace: 'kured', keys: ['url'], description: 'notification URL', generate: { url: { type: 'user', hint: 'shoutrrr URL' } } },
  ],
  render: () => ({}),
});

/** On every cluster: a token of its own (no hint: a random 32-character value). */
const local = defineComponent({
  name: 'local',
  description: 'test per-cluster token',
  roles: ['management', 'workload'],
  namespace: 'tools',
  podSecurity: 'restricted',
  settings,
  secrets: () => [{ name: 'local-token', namespace: 'tools', keys: ['token'], description: 'a token of its own' }],
  render: () => ({}),
});

export const TEST_CATALOG: readonly Component[] = [idp, dashboards, receiver, sender, local];

/** Deterministic bytes (a counter through a simple mixer), so runs are repeatable. */
export function seededRandom(seed = 1): RandomSource {
  let state = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
      out[i] = (state >>> 24) & 0xff;
    }
    return out;
  };
}

/** Deps that record every generated value and every log line, with a cheap bcrypt cost. */
export function recordingDeps(extra: Partial<GeneratorDeps> = {}): GeneratorDeps & { values: string[]; logs: string[]; warnings: string[] } {
  const values: string[] = [];
  const logs: string[] = [];
  const warnings: string[] = [];
  return {
    bcryptCost: 4,
    onGeneratedValue: (v) => values.push(v),
    log: (m) => logs.push(m),
    warn: (m) => warnings.push(m),
    ...extra,
    values,
    logs,
    warnings,
  };
}

let identity: Promise<AgeKeyPair> | undefined;
/** One age key pair per test run (generated, never a published test key). */
export const testIdentity = (): Promise<AgeKeyPair> => (identity ??= generateAgeIdentity());

/** Every file the tree would write (path → content), deletions left out. */
export function writtenFiles(tree: Tree): Map<string, string> {
  return new Map(
    tree
      .listChanges()
      .filter((c) => c.type !== 'DELETE' && c.content)
      .map((c) => [c.path, c.content!.toString('utf8')]),
  );
}

/** Values found in plain text in any of the files: must be empty. */
export function leakedValues(files: Iterable<[string, string]>, values: string[]): { path: string; value: string }[] {
  const leaks: { path: string; value: string }[] = [];
  for (const [path, content] of files) for (const v of values) if (v && content.includes(v)) leaks.push({ path, value: `${v.slice(0, 4)}…` });
  return leaks;
}

/**
 * For tests on TEST_CATALOG: no Flux-to-Alertmanager credentials (packages/render requiredSecrets),
 * so only the test components' Secrets are generated. The real catalog's tests keep the defaults.
 */
export const TEST_SETTINGS = '{notifications: {alertmanager: false}}';

/** What the air-gapped flavor needs from the person (the loader asks for it): mirrors for charts, images and the snapshot plugin. */
export const AIR_GAPPED_SETTINGS = {
  mirrors: { charts: 'oci://registry.example.com/charts', images: 'registry.example.com' },
  components: { opensearch: { snapshots: { pluginUrl: 'https://registry.example.com/opensearch/repository-s3.zip' } } },
};

export const NEW_ENV_OPTIONS = {
  name: 'acme-prod',
  flavor: 'prod',
  provider: 'exoscale',
  domain: 'acme.example.com',
  workloadClusters: 'apps-1,apps-2',
  gitUrl: 'ssh://git@github.com/acme/platform.git',
  email: 'ops@acme.example.com',
} as const;
