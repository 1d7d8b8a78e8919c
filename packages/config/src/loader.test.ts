import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatConfigError, formatConfigErrors } from './errors';
import { resolveEnvironment, type ConfigExtensions } from './loader';

/** A tiny component schema standing in for the catalog, so these tests exercise the loader alone. */
const ext: ConfigExtensions = {
  components: z.strictObject({
    search: z.strictObject({ enabled: z.boolean().default(true), retentionDays: z.number().int().min(1).default(7) }).prefault({}),
  }),
  componentFlavorDefaults: { prod: { search: { retentionDays: 30 } } },
};

const GOOD = `version: 1
flavor: dev
provider: exoscale
domain: dev.example.com
git:
  url: ssh://git@example.com/platform.git
clusters:
  - name: mgmt
    role: management
  - name: apps
    role: workload
certificates:
  email: ops@example.com
`;

const load = (files: Record<string, string>) => resolveEnvironment('demo', files, ext);
const messages = (files: Record<string, string>) => load(files).errors.map(formatConfigError);

describe('layering', () => {
  it('applies defaults ◀ flavor ◀ provider ◀ environment ◀ cluster', () => {
    const prod = GOOD.replace('flavor: dev', 'flavor: prod').replace('certificates:\n', 'certificates:\n  issuer: letsencrypt-prod\n');
    const { environment, errors } = load({ 'config.yaml': prod, 'apps.yaml': 'provider: aws\ncomponents:\n  search:\n    retentionDays: 90\n' });
    expect(errors).toEqual([]);
    const [mgmt, apps] = environment!.clusters;
    expect(mgmt.settings.components.search).toEqual({ enabled: true, retentionDays: 30 }); // flavor
    expect(mgmt.settings.storage.storageClass).toBe('rook-ceph-block'); // provider exoscale
    expect(apps.provider).toBe('aws');
    expect(apps.settings.storage.storageClass).toBe('gp3'); // cluster's own provider layer
    expect((apps.settings.components.search as { retentionDays: number }).retentionDays).toBe(90); // cluster file wins
    expect(mgmt.settings.flux.driftDetection).toBe('enabled');
    expect(environment!.opsDomain).toBe('ops.dev.example.com');
  });

  it('replaces lists instead of merging them', () => {
    const { environment } = load({
      'config.yaml': `${GOOD}network:\n  ingressAllowedCidrs: [10.0.0.0/8]\n`,
      'apps.yaml': 'network:\n  ingressAllowedCidrs: [192.168.0.0/16]\n',
    });
    expect(environment!.clusters[0].settings.network.ingressAllowedCidrs).toEqual(['10.0.0.0/8']);
    expect(environment!.clusters[1].settings.network.ingressAllowedCidrs).toEqual(['192.168.0.0/16']);
  });
});

describe('bad input', () => {
  it('reports YAML syntax errors with line and column', () => {
    expect(messages({ 'config.yaml': 'version: 1\nflavor: [dev\n' })[0]).toMatch(/^environments\/demo\/config\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('reports duplicate keys', () => {
    expect(messages({ 'config.yaml': `${GOOD}flavor: prod\n` })).toEqual([expect.stringMatching(/config\.yaml:14:1: duplicate key/)]);
  });

  it('suggests the nearest known key for an unknown key, with its position', () => {
    const errs = messages({ 'config.yaml': `${GOOD}components:\n  search:\n    retentionDayz: 3\n` });
    expect(errs).toEqual(['environments/demo/config.yaml:16:5: components.search.retentionDayz: unknown key (did you mean "retentionDays"?)']);
  });

  it('lists the known keys when nothing is close', () => {
    expect(messages({ 'config.yaml': `${GOOD}zzzzzzzz: 1\n` })[0]).toMatch(/zzzzzzzz: unknown key; expected one of: version, flavor, provider, domain/);
  });

  it('reports wrong types with what was expected and what was found', () => {
    expect(messages({ 'config.yaml': `${GOOD}components:\n  search:\n    retentionDays: "a week"\n` })).toEqual([
      'environments/demo/config.yaml:16:5: components.search.retentionDays: expected number, got string "a week"',
    ]);
  });

  it('reports bad enum values', () => {
    expect(messages({ 'config.yaml': GOOD.replace('flavor: dev', 'flavor: staging') })).toContain(
      'environments/demo/config.yaml:2:1: flavor: expected one of "dev", "prod", "air-gapped", got "staging"',
    );
  });

  it('rejects bad domain names', () => {
    expect(messages({ 'config.yaml': GOOD.replace('dev.example.com', 'Dev_Example') })[0]).toMatch(
      /config\.yaml:4:1: domain: expected a lower-case DNS name with at least two labels/,
    );
  });

  it('rejects duplicate cluster names', () => {
    expect(messages({ 'config.yaml': GOOD.replace('name: apps', 'name: mgmt') })).toContain(
      'environments/demo/config.yaml:10:5: clusters[1].name: duplicate cluster name "mgmt" (also clusters[0]); cluster names must be unique in an environment',
    );
  });

  it('reports a missing required field at its parent', () => {
    expect(messages({ 'config.yaml': GOOD.replace('domain: dev.example.com\n', '') })).toEqual([
      'environments/demo/config.yaml:1:1: domain: missing required key (expected string); add it',
    ]);
    expect(messages({ 'config.yaml': GOOD.replace('  email: ops@example.com\n', '  issuer: letsencrypt-staging\n') })[0]).toMatch(
      /certificates\.email: missing required key/,
    );
  });

  it('locates errors in per-cluster files', () => {
    expect(messages({ 'config.yaml': GOOD, 'apps.yaml': 'components:\n  search:\n    enabld: false\n' })).toEqual([
      'environments/demo/apps.yaml:3:5: components.search.enabld: unknown key (did you mean "enabled"?)',
    ]);
  });

  it('rejects an overrides file for a cluster that does not exist', () => {
    expect(messages({ 'config.yaml': GOOD, 'aps.yaml': 'provider: aws\n' })[0]).toMatch(
      /aps\.yaml:1:1: no cluster named "aps" in config\.yaml \(clusters: mgmt, apps\); did you mean apps\.yaml\?/,
    );
  });

  it('reports every problem of a run together', () => {
    const bad = GOOD.replace('flavor: dev', 'flavor: staging').replace('dev.example.com', 'nope').replace('name: apps', 'name: mgmt');
    const errors = load({ 'config.yaml': `${bad}extra: 1\n`, 'mgmt.yaml': 'components:\n  search: {retentionDays: 0}\n' }).errors;
    expect(errors.map(formatConfigError)).toEqual([
      'environments/demo/config.yaml:2:1: flavor: expected one of "dev", "prod", "air-gapped", got "staging"',
      expect.stringMatching(/^environments\/demo\/config\.yaml:4:1: domain: expected a lower-case DNS name/),
      expect.stringMatching(/^environments\/demo\/config\.yaml:14:1: extra: unknown key; expected one of: version, /),
      // a cluster file's own mistakes are reported even though config.yaml is invalid
      expect.stringMatching(/^environments\/demo\/mgmt\.yaml:2:12: components\.search\.retentionDays: Too small: .*, got 0$/),
    ]);
    expect(formatConfigErrors(errors)).toMatch(/^4 configuration errors:/);
  });

  it('reports an invalid flavor or provider once, not every key its defaults would have filled', () => {
    expect(messages({ 'config.yaml': GOOD.replace('flavor: dev', 'flavor: staging') })).toEqual([
      'environments/demo/config.yaml:2:1: flavor: expected one of "dev", "prod", "air-gapped", got "staging"',
    ]);
    expect(messages({ 'config.yaml': GOOD.replace('flavor: dev\n', '') })).toEqual([
      'environments/demo/config.yaml:1:1: flavor: missing required key (expected one of "dev", "prod", "air-gapped"); add it',
    ]);
    expect(messages({ 'config.yaml': GOOD, 'apps.yaml': 'provider: awz\nstorage:\n  objectStorage:\n    region: x\n' })).toEqual([
      expect.stringMatching(/^environments\/demo\/apps\.yaml:1:1: provider: expected one of "exoscale", .*, got "awz"$/),
    ]);
  });

  it("locates a key missing from a cluster file's list item in that file", () => {
    expect(messages({ 'config.yaml': GOOD, 'apps.yaml': 'notifications:\n  webhooks:\n    - { name: x, type: slack }\n' })).toEqual([
      'environments/demo/apps.yaml:3:7: notifications.webhooks[0].secretName: missing required key (expected string); add it',
    ]);
  });

  it('rejects two overrides files for one cluster', () => {
    expect(messages({ 'config.yaml': GOOD, 'apps.yaml': 'provider: aws\n', 'apps.yml': 'provider: azure\n' })).toEqual([
      'environments/demo/apps.yml:1:1: environments/demo/apps.yaml already holds the overrides of cluster "apps"; merge the two files into one',
    ]);
  });

  it('needs a version and refuses newer schemas', () => {
    expect(messages({ 'config.yaml': GOOD.replace('version: 1\n', '') })[0]).toMatch(/version: missing required key .* add "version: 1"/);
    expect(messages({ 'config.yaml': GOOD.replace('version: 1', 'version: 9') })[0]).toMatch(/written for schema version 9/);
  });

  it('rejects staging certificates outside dev', () => {
    expect(
      messages({ 'config.yaml': GOOD.replace('flavor: dev', 'flavor: prod').replace('certificates:\n', 'certificates:\n  issuer: letsencrypt-staging\n') })[0],
    ).toMatch(/certificates\.issuer: Let's Encrypt staging certificates are not trusted/);
  });

  it('needs exactly one management cluster', () => {
    expect(messages({ 'config.yaml': GOOD.replace('role: management', 'role: workload') })).toContain(
      'environments/demo/config.yaml:7:1: clusters: expected exactly one cluster with role "management", found 0',
    );
  });

  it('reports a missing config.yaml', () => {
    expect(messages({})[0]).toMatch(/config\.yaml:1:1: file is missing/);
  });
});

describe('semantic checks contributed by the catalog', () => {
  const strict: ConfigExtensions = {
    ...ext,
    semanticChecks: (env, cluster) =>
      env.flavor === 'prod' && (cluster.settings.components.search as { retentionDays: number }).retentionDays < 30
        ? [{ path: ['components', 'search', 'retentionDays'], message: 'prod keeps logs at least 30 days; raise it to 30 or more' }]
        : [],
  };
  const prod = GOOD.replace('flavor: dev', 'flavor: prod').replace('certificates:\n', 'certificates:\n  issuer: letsencrypt-prod\n');

  it('locates a violation in the cluster file that caused it', () => {
    const r = resolveEnvironment('demo', { 'config.yaml': prod, 'apps.yaml': 'components:\n  search:\n    retentionDays: 3\n' }, strict);
    expect(r.errors.map(formatConfigError)).toEqual([
      'environments/demo/apps.yaml:3:5: components.search.retentionDays: prod keeps logs at least 30 days; raise it to 30 or more',
    ]);
    expect(r.environment).toBeUndefined();
  });

  it('reports an environment-wide violation once, at the environment file', () => {
    const r = resolveEnvironment('demo', { 'config.yaml': `${prod}components:\n  search:\n    retentionDays: 3\n` }, strict);
    expect(r.errors.map(formatConfigError)).toEqual([
      'environments/demo/config.yaml:17:5: components.search.retentionDays: prod keeps logs at least 30 days; raise it to 30 or more',
    ]);
  });
});

describe('object storage', () => {
  it('requires the S3 endpoint of a Swift store, in the cluster that uses it', () => {
    const r = resolveEnvironment('demo', { 'config.yaml': GOOD, 'apps.yaml': 'provider: elastx\n' }, ext);
    expect(r.errors.map(formatConfigError)).toEqual([
      expect.stringMatching(
        /^environments\/demo\/apps\.yaml:1:1: storage\.objectStorage\.s3Endpoint: cluster apps stores objects in Swift, .*set the S3 endpoint/,
      ),
    ]);
    const fixed = resolveEnvironment(
      'demo',
      { 'config.yaml': GOOD, 'apps.yaml': 'provider: elastx\nstorage:\n  objectStorage:\n    s3Endpoint: https://s3.example.net\n' },
      ext,
    );
    expect(fixed.errors).toEqual([]);
    expect(fixed.environment!.clusters[1].settings.storage.objectStorage.s3Endpoint).toBe('https://s3.example.net');
  });
});
