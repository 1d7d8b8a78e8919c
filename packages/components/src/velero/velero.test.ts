import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { NO_BACKUP_LABEL, velero } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('velero');
const out = (env: ReturnType<typeof testEnvironment>, cluster: string) => renderComponent(velero, env, cluster);
const values = (env: ReturnType<typeof testEnvironment>, cluster: string) => out(env, cluster).values as Any;
const scheduleOf = (env: ReturnType<typeof testEnvironment>, cluster: string) => out(env, cluster).config!.find((o) => o.kind === 'Schedule') as Any;
const secrets = (env: ReturnType<typeof testEnvironment>, cluster: string) => {
  const c = env.clusters.find((x) => x.name === cluster)!;
  return velero.secrets!({ env, cluster: c, settings: (c.settings.components as Any).velero, isEnabled: () => true, enabledComponents: [] });
};

describe('velero', () => {
  const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b'] });

  it('writes to the shared <prefix>-velero bucket under the cluster name (S3 with a custom endpoint)', () => {
    const bsl = values(env, 'apps-b').configuration.backupStorageLocation[0];
    expect(bsl).toMatchObject({ provider: 'aws', bucket: 'test-env-velero', prefix: 'apps-b', default: true });
    expect(bsl.config).toEqual({ region: 'ch-gva-2', s3Url: 'https://sos-ch-gva-2.exo.io', s3ForcePathStyle: 'true', checksumAlgorithm: '' });
    expect(values(env, 'apps-b').initContainers[0].image).toBe('velero/velero-plugin-for-aws:v1.12.1');
  });

  it('picks the plugin and location config per object storage type (swift via S3, gcs, azure)', () => {
    const swift = values(
      testEnvironment({ provider: 'elastx', config: { storage: { objectStorage: { s3Endpoint: 'https://s3.object.example.net' } } } }),
      'workload',
    );
    // Swift through its S3 API: the S3 endpoint, never the Keystone URL the provider sets as `endpoint`.
    expect(swift.configuration.backupStorageLocation[0]).toMatchObject({ provider: 'aws', config: { s3Url: 'https://s3.object.example.net' } });
    const gcs = values(testEnvironment({ config: { storage: { objectStorage: { type: 'gcs' } } } }), 'workload');
    expect(gcs.configuration.backupStorageLocation[0]).toMatchObject({ provider: 'gcp', config: {} });
    expect(gcs.initContainers[0].image).toContain('velero-plugin-for-gcp');
    const azure = testEnvironment({ provider: 'azure', config: { components: { velero: { azure: { resourceGroup: 'rg', storageAccount: 'acct' } } } } });
    expect(values(azure, 'workload').configuration.backupStorageLocation[0]).toMatchObject({
      provider: 'azure',
      config: { resourceGroup: 'rg', storageAccount: 'acct' },
    });
    expect(() => testEnvironment({ provider: 'azure', flavor: 'prod' })).toThrow(/azure.resourceGroup and azure.storageAccount/);
    expect(values(testEnvironment({ provider: 'azure' }), 'workload').configuration.backupStorageLocation).toEqual([]);
  });

  it('reads the credentials file from the object storage Secret in its namespace', () => {
    expect(values(env, 'apps-a').credentials).toEqual({ useSecret: true, existingSecret: 'object-storage' });
    const [req] = secrets(env, 'apps-a');
    expect([req.name, req.namespace, req.keys]).toEqual(['object-storage', 'velero', ['cloud']]);
    expect(req.generate!.cloud.type).toBe('user');
  });

  it("workload: backs up every namespace but the platform's, with an opt-out label", () => {
    const s = scheduleOf(env, 'apps-a');
    expect(s.metadata).toMatchObject({ name: 'user-namespaces', namespace: 'velero' });
    expect(s.spec.template.includedNamespaces).toEqual(['*']);
    expect(s.spec.template.excludedNamespaces).toEqual(expect.arrayContaining(['kube-system', 'velero', 'monitoring', 'flux-system']));
    expect(s.spec.template.excludedNamespaces).not.toContain('default');
    expect(s.spec.template.labelSelector).toEqual({ matchExpressions: [{ key: NO_BACKUP_LABEL, operator: 'DoesNotExist' }] });
  });

  it('management: backs up the platform namespaces', () => {
    const s = scheduleOf(env, 'management');
    expect(s.metadata.name).toBe('platform-namespaces');
    expect(s.spec.template.includedNamespaces).toEqual(expect.arrayContaining(['monitoring', 'cert-manager']));
    expect(s.spec.template.includedNamespaces).not.toContain('kube-system');
    expect(s.spec.template.includedNamespaces).not.toContain('velero');
    expect(s.spec.template.excludedNamespaces).toBeUndefined();
  });

  it('management: copies volumes only where state has no other copy; OpenSearch, Thanos and Harbor keep objects only', () => {
    const schedules = (e: ReturnType<typeof testEnvironment>) => out(e, 'management').config!.filter((o) => o.kind === 'Schedule') as Any[];
    const [state, objects] = schedules(env);
    expect(state.spec.template.defaultVolumesToFsBackup).toBe(true);
    expect(state.spec.template.includedNamespaces).toEqual(expect.arrayContaining(['monitoring']));
    expect(state.spec.template.includedNamespaces).not.toEqual(expect.arrayContaining(['opensearch']));
    expect(objects.metadata.name).toBe('platform-objects');
    expect(objects.spec.template.includedNamespaces).toEqual(['harbor', 'opensearch', 'thanos']);
    expect(objects.spec.template.defaultVolumesToFsBackup).toBe(false);
    expect([objects.spec.schedule, objects.spec.template.ttl]).toEqual([state.spec.schedule, state.spec.template.ttl]);
    // The switch: file-level copies of every platform volume, one schedule.
    const all = schedules(testEnvironment({ workloadClusters: ['apps-a'], config: { components: { velero: { skipVolumesWithOwnBackup: false } } } }));
    expect(all.map((s) => s.metadata.name)).toEqual(['platform-namespaces']);
    expect(all[0].spec.template.includedNamespaces).toEqual(expect.arrayContaining(['opensearch', 'thanos', 'harbor', 'monitoring']));
  });

  it('dev keeps backups a week, prod a month; prod refuses to turn backups off or keep them too briefly', () => {
    expect(scheduleOf(env, 'apps-a').spec.template.ttl).toBe('168h');
    expect(scheduleOf(testEnvironment({ flavor: 'prod' }), 'workload').spec.template.ttl).toBe('720h');
    expect(() => testEnvironment({ flavor: 'prod', config: { components: { velero: { enabled: false } } } })).toThrow(/backups must be on/);
    expect(() => testEnvironment({ flavor: 'prod', config: { components: { velero: { retention: '48h' } } } })).toThrow(/below the prod minimum of 7 days/);
    expect(() => testEnvironment({ flavor: 'prod', provider: 'none' })).toThrow(/backups need object storage/);
    expect(() => testEnvironment({ flavor: 'dev', config: { components: { velero: { enabled: false } } } })).not.toThrow();
  });

  it('without object storage (dev) renders no location, schedule or credentials', () => {
    const none = testEnvironment({ provider: 'none' });
    const v = values(none, 'workload');
    expect(v.configuration.backupStorageLocation).toEqual([]);
    expect(v.backupsEnabled).toBe(false);
    expect(out(none, 'workload').config).toEqual([]);
    expect(secrets(none, 'workload')).toEqual([]);
  });

  it('the node agent follows fsBackup', () => {
    expect(values(env, 'apps-a').deployNodeAgent).toBe(true);
    const off = testEnvironment({ config: { components: { velero: { fsBackup: false } } } });
    expect(values(off, 'workload').deployNodeAgent).toBe(false);
    expect(scheduleOf(off, 'workload').spec.template.defaultVolumesToFsBackup).toBe(false);
  });

  it('monitors backups only with kube-prometheus-stack', () => {
    const v = values(env, 'apps-a');
    expect(v.metrics.serviceMonitor.enabled).toBe(true);
    expect(v.metrics.prometheusRule.spec.map((r: Any) => r.alert)).toEqual(['VeleroBackupFailed', 'VeleroBackupTooOld']);
    const off = values(testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } }), 'workload');
    expect(off.metrics.serviceMonitor.enabled).toBe(false);
    expect(off.metrics.prometheusRule.enabled).toBe(false);
  });

  it('sets only keys the chart declares', () => {
    for (const cluster of ['management', 'apps-a']) expectKeysInChartValues(values(env, cluster), pin.chart, pin.version);
  });
});
