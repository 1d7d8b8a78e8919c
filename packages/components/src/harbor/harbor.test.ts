import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { harbor, oidcSettings } from '.';

type Values = {
  externalURL: string;
  expose: { ingress: { hosts: { core: string }; className: string; annotations: Record<string, string> } };
  persistence: { imageChartStorage: Record<string, Record<string, unknown> | string>; persistentVolumeClaim: Record<string, unknown> };
  core: { replicas: number };
  registry: { replicas: number };
  trivy: { enabled: boolean };
};
const env = (o: Parameters<typeof testEnvironment>[0] = {}) => testEnvironment(o);
const withHarbor = (harborSettings: Record<string, unknown>, o: Parameters<typeof testEnvironment>[0] = {}) =>
  env({ ...o, config: { components: { harbor: harborSettings, ...(o.config?.components as object) } } });
const render = (e = env()) => renderComponent(harbor, e, 'management');
const values = (e = env()) => render(e).values as unknown as Values;
const secrets = (e = env()) => componentSecrets(harbor, e, 'management');

describe('harbor', () => {
  it('is served at the harbor endpoint with a cert-manager certificate', () => {
    const v = values();
    expect(v.externalURL).toBe('https://harbor.test.example.com');
    expect(v.expose.ingress.hosts.core).toBe('harbor.test.example.com');
    expect(v.expose.ingress.className).toBe('traefik');
    expect(v.expose.ingress.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
  });

  it('stores images by object storage type: s3, swift, none', () => {
    const s3 = values().persistence.imageChartStorage;
    expect(s3.type).toBe('s3');
    expect(s3.s3).toMatchObject({ bucket: 'test-env-harbor', regionendpoint: 'https://sos-ch-gva-2.exo.io', existingSecret: 'harbor-registry-storage' });
    expect(secrets().find((x) => x.name === 'harbor-registry-storage')!.keys).toEqual(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);

    const swiftEnv = withHarbor({ swift: { username: 'harbor', tenant: 'acme' } }, { provider: 'elastx' });
    const swift = values(swiftEnv).persistence.imageChartStorage;
    expect(swift.type).toBe('swift');
    expect(swift.swift).toMatchObject({ authurl: 'https://ops.elastx.cloud:5000/v3', container: 'test-env-harbor', username: 'harbor', tenant: 'acme' });
    expect(secrets(swiftEnv).find((x) => x.name === 'harbor-registry-storage')!.keys).toContain('REGISTRY_STORAGE_SWIFT_PASSWORD');

    const none = env({ provider: 'none' });
    expect(values(none).persistence.imageChartStorage).toEqual({ type: 'filesystem' });
    expect(values(none).persistence.persistentVolumeClaim.registry).toEqual({ storageClass: 'standard', size: '50Gi' });
    expect(secrets(none).some((x) => x.name === 'harbor-registry-storage')).toBe(false);
  });

  it('scans with Trivy', () => {
    expect(values().trivy.enabled).toBe(true);
  });

  it('backs up the database with a pinned image, uploading next to the images', () => {
    const cron = render().objects!.find((o) => o.kind === 'CronJob' && o.metadata.name === 'harbor-database-backup')!;
    const text = JSON.stringify(cron);
    expect(text).toContain('goharbor/harbor-db:v2.13.1');
    expect(text).toContain('rclone/rclone:1.68.2');
    expect(text).not.toContain(':latest');
    expect(text).toContain('backup:test-env-harbor/database-backups');
    expect((cron.spec as { schedule: string }).schedule).toBe('30 2 * * *');
    // Without object storage the dump stays on its own volume.
    const none = render(env({ provider: 'none' })).objects!;
    expect(none.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(true);
    expect(JSON.stringify(none)).not.toContain('rclone');
    expect(render(withHarbor({ backup: { enabled: false } })).objects!.some((o) => o.metadata.name === 'harbor-database-backup')).toBe(false);
  });

  it('configures OIDC through a Job calling the Harbor API, only with Dex', () => {
    const job = render().config!.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('harbor-oidc-'))!;
    const text = JSON.stringify(job);
    expect(text).toContain('/api/v2.0/configurations');
    expect(text).toContain('"oidc_client_id\\":\\"harbor\\"');
    expect(oidcSettings(env(), 'ops').oidc_endpoint).toBe('https://dex.test.example.com');
    expect(secrets().find((x) => x.name === 'harbor-oidc')!.generate!['client-secret']).toEqual({ type: 'random', shareAs: 'oidc-client-harbor' });

    const noDex = withHarbor({}, { config: { components: { dex: { enabled: false } } } });
    expect(render(noDex).config!.map((o) => o.metadata.name)).toEqual([expect.stringMatching(/^harbor-gc-schedule-/)]);
    expect(secrets(noDex).some((x) => x.name === 'harbor-oidc')).toBe(false);
    expect(JSON.stringify(render(noDex))).not.toMatch(/oidc|dex/i);
  });

  it('takes every secret from Secrets: admin password, secret key, internal secrets, database password', () => {
    const names = secrets().map((x) => x.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'harbor-admin',
        'harbor-secret-key',
        'harbor-core',
        'harbor-jobservice',
        'harbor-registry',
        'harbor-registry-credentials',
        'harbor-database',
      ]),
    );
    expect(secrets().find((x) => x.name === 'harbor-secret-key')!.generate!.secretKey).toEqual({ type: 'random', length: 16 });
    expect(render().secretValues).toEqual([{ secret: 'harbor-database', key: 'password', targetPath: 'database.internal.password' }]);
    const text = JSON.stringify(render().values);
    expect(text).not.toContain('Harbor12345');
    expect(text).not.toMatch(/"password"\s*:/);
  });

  it('runs HA in prod when images are in object storage', () => {
    expect(values().core.replicas).toBe(1);
    const prod = values(env({ flavor: 'prod' }));
    expect(prod.core.replicas).toBe(2);
    expect(prod.registry.replicas).toBe(2);
    expect(values(withHarbor({ replicas: 2 }, { provider: 'none' })).registry.replicas).toBe(1);
  });

  it('gives every Harbor pod requests and a memory limit, larger in prod', () => {
    type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const parts = (v: Any) => [
      v.core,
      v.portal,
      v.jobservice,
      v.registry.registry,
      v.registry.controller,
      v.database.internal,
      v.redis.internal,
      v.exporter,
      v.trivy,
    ];
    const dev = values() as unknown as Any;
    // Trivy keeps the chart's own requests; the chart sets none for the others.
    for (const part of parts(dev).slice(0, -1)) expect(part.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    for (const part of parts(dev).slice(0, -1)) expect(part.resources.limits.memory).toEqual(expect.any(String));
    const prod = values(env({ flavor: 'prod' })) as unknown as Any;
    expect(prod.database.internal.resources.limits.memory).not.toBe(dev.database.internal.resources.limits.memory);
  });

  it('sets only keys the harbor chart has', () => {
    const pin = chartPin('harbor');
    // Keys the chart documents only in comments; annotations are free-form.
    const resources = ['core', 'portal', 'jobservice', 'registry.registry', 'registry.controller', 'database.internal', 'redis.internal', 'exporter'].map(
      (p) => `${p}.resources`,
    );
    const allow = [
      'expose.ingress.annotations',
      'existingSecretAdminPassword',
      'persistence.imageChartStorage.s3',
      'persistence.imageChartStorage.swift',
      ...resources,
    ];
    expectKeysInChartValues(render().values, pin.chart, pin.version, { allow });
    expectKeysInChartValues(
      render(withHarbor({ swift: { username: 'u', tenant: 't' } }, { provider: 'elastx', flavor: 'prod' })).values,
      pin.chart,
      pin.version,
      { allow },
    );
  });

  describe('housekeeping', () => {
    type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const gcJob = (e = env()) => render(e).config?.find((o) => o.metadata.name.startsWith('harbor-gc-schedule-')) as Any | undefined;
    const script = (job: Any) => job.spec.template.spec.containers[0].command[2] as string;
    const cleanup = (e = env()) => render(e).objects!.find((o) => o.metadata.name === 'harbor-multipart-cleanup') as Any | undefined;

    it('schedules garbage collection through the Harbor API: weekly by default, six-field cron, untagged artifacts too', () => {
      const s = script(gcJob()!);
      expect(s).toContain('-X PUT');
      expect(s).toContain('|| curl');
      expect(s).toContain('-X POST');
      const body = JSON.parse(/-d '([^']+)'/.exec(s)![1]);
      expect(body).toEqual({ schedule: { type: 'Custom', cron: '0 0 3 * * 6' }, parameters: { delete_untagged: true, workers: 1 } });
      expect(s).toContain('http://harbor-core/api/v2.0/system/gc/schedule');
      expect(JSON.stringify(gcJob())).toContain('"secretKeyRef":{"name":"harbor-admin","key":"HARBOR_ADMIN_PASSWORD"}');
      // A changed schedule is a new Job (its name follows the content).
      const daily = gcJob(withHarbor({ housekeeping: { gc: { schedule: '0 1 * * *', deleteUntagged: false } } }))!;
      expect(daily.metadata.name).not.toBe(gcJob()!.metadata.name);
      expect(script(daily)).toContain('"cron":"0 0 1 * * *"');
      expect(script(daily)).toContain('"delete_untagged":false');
      expect(gcJob(withHarbor({ housekeeping: { gc: { enabled: false } } }))).toBeUndefined();
    });

    it('purges abandoned uploads in the registry (chart values)', () => {
      expect((values() as unknown as Any).registry.upload_purging).toEqual({ enabled: true, age: '168h', interval: '24h', dryrun: false });
      expect((values(withHarbor({ housekeeping: { uploadPurging: { age: '72h' } } })) as unknown as Any).registry.upload_purging.age).toBe('72h');
    });

    it('aborts unfinished multipart uploads in an S3 bucket with the registry credentials, and only on S3', () => {
      const c = cleanup()!;
      expect(c.spec.schedule).toBe('15 4 * * *');
      const container = c.spec.jobTemplate.spec.template.spec.containers[0];
      expect(container.args).toEqual(['backend', 'cleanup', 'backup:test-env-harbor', '-o', 'max-age=7d']);
      expect(container.env).toContainEqual({
        name: 'RCLONE_CONFIG_BACKUP_ACCESS_KEY_ID',
        valueFrom: { secretKeyRef: { name: 'harbor-registry-storage', key: 'REGISTRY_STORAGE_S3_ACCESSKEY' } },
      });
      expect(cleanup(withHarbor({ swift: { username: 'harbor' } }, { provider: 'elastx' }))).toBeUndefined();
      expect(cleanup(env({ provider: 'none' }))).toBeUndefined();
      expect(cleanup(withHarbor({ housekeeping: { multipartCleanup: { enabled: false } } }))).toBeUndefined();
    });

    it('rejects schedules and ages in the wrong form', () => {
      expect(() => withHarbor({ housekeeping: { gc: { schedule: '0 0 3 * * 6' } } })).toThrow(/five-field cron/);
      expect(() => withHarbor({ housekeeping: { uploadPurging: { age: '7d' } } })).toThrow(/number of hours/);
      expect(() => withHarbor({ housekeeping: { multipartCleanup: { maxAge: 'a week' } } })).toThrow(/duration such as/);
    });
  });
});
