import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { metricsTarget } from '../lib/wiring';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { hashrings, thanos } from '.';

type Values = {
  image: { repository: string };
  existingObjstoreSecret?: string;
  receive: {
    replicaCount: number;
    replicationFactor: number;
    tsdbRetention: string;
    config: { hashring: string; tenants: string[]; endpoints: { address: string }[] }[];
    extraFlags: string[];
  };
  query: { replicaCount: number; extraFlags: string[] };
  compactor: { enabled: boolean; retentionResolutionRaw: string; retentionResolution5m: string; retentionResolution1h: string };
  storegateway: { enabled: boolean };
  ruler: { enabled: boolean; config: string; alertmanagers: string[] };
};
const three = (o: Parameters<typeof testEnvironment>[0] = {}) => testEnvironment({ workloadClusters: ['a', 'b', 'c'], ...o });
const render = (env = three()) => renderComponent(thanos, env, 'management');
const values = (env = three()) => render(env).values as unknown as Values;
const secrets = (env = three()) => componentSecrets(thanos, env, 'management');

describe('thanos', () => {
  it('overrides the image to the bitnamilegacy repository', () => {
    expect(values().image.repository).toBe('bitnamilegacy/thanos');
  });

  it('has one hashring per workload cluster tenant and no catch-all', () => {
    const rings = values().receive.config;
    expect(rings.map((r) => r.hashring)).toEqual(['a', 'b', 'c', 'management']);
    for (const r of rings) expect(r.tenants).toEqual([r.hashring]);
    expect(rings.every((r) => r.tenants.length > 0)).toBe(true);
    for (const c of ['a', 'b', 'c']) expect(rings.some((r) => r.tenants.includes(metricsTarget(three(), c).tenant))).toBe(true);
  });

  it('reads the tenant from the THANOS-TENANT header', () => {
    expect(values().receive.extraFlags).toContain('--receive.tenant-header=THANOS-TENANT');
  });

  it('lists every receive replica in every hashring', () => {
    const rings = hashrings(three(), 3);
    expect(rings[0].endpoints.map((e) => e.address)).toEqual(
      [0, 1, 2].map((i) => `thanos-receive-${i}.thanos-receive-headless.thanos.svc.cluster.local:10901`),
    );
  });

  it('authenticates each workload cluster with its own htpasswd line from its share', () => {
    const auth = secrets().find((s) => s.name === 'thanos-receive-auth')!;
    expect(auth.keys).toEqual(['auth']);
    expect(auth.generate!.auth).toEqual({
      type: 'htpasswd-file',
      entries: ['a', 'b', 'c'].map((c) => ({ user: `writer-${c}`, of: `thanos-writer-${c}` })),
    });
  });

  it('exposes receive at the thanos-receiver endpoint behind basic auth on the Traefik auth class, no Middleware', () => {
    const objects = render().objects!;
    const ingress = objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'thanos-receive')!;
    expect(JSON.stringify(ingress)).toContain('thanos-receiver.ops.test.example.com');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'thanos-receive-auth',
      'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
    });
    expect((ingress.spec as { ingressClassName: string }).ingressClassName).toBe('traefik-auth');
    expect(objects.some((o) => o.apiVersion.startsWith('traefik.io/'))).toBe(false);
  });

  it('keeps the same annotations on the normal class when ingress-nginx is chosen', () => {
    const traefik = render().objects!.find((o) => o.kind === 'Ingress')!;
    const env = three({ config: { components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } } });
    const ingress = render(env).objects!.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations).toEqual(traefik.metadata.annotations);
    expect((ingress.spec as { ingressClassName: string }).ingressClassName).toBe('nginx');
  });

  it('keeps less and runs single replicas in dev, HA and longer retention in prod', () => {
    const dev = values();
    expect([dev.compactor.retentionResolutionRaw, dev.compactor.retentionResolution5m, dev.compactor.retentionResolution1h]).toEqual(['7d', '14d', '30d']);
    expect(dev.receive.replicaCount).toBe(1);
    const prod = values(three({ flavor: 'prod' }));
    expect([prod.compactor.retentionResolutionRaw, prod.compactor.retentionResolution5m, prod.compactor.retentionResolution1h]).toEqual(['30d', '90d', '365d']);
    expect(prod.receive.replicaCount).toBe(3);
    expect(prod.receive.replicationFactor).toBe(3);
    expect(prod.query.replicaCount).toBe(2);
  });

  it('takes retention from settings', () => {
    const env = three({ config: { components: { thanos: { retention: { rawDays: 60 } } } } });
    expect(values(env).compactor.retentionResolutionRaw).toBe('60d');
  });

  it('stores blocks in object storage with a provider-specific objstore.yml hint', () => {
    expect(values().existingObjstoreSecret).toBe('thanos-objstore');
    const s3 = secrets().find((s) => s.name === 'thanos-objstore')!;
    expect(s3.keys).toEqual(['objstore.yml']);
    const hint = (s3.generate!['objstore.yml'] as { hint: string }).hint;
    expect(hint).toContain('type: S3');
    expect(hint).toContain('bucket: test-env-thanos');
    expect(hint).toContain('endpoint: sos-ch-gva-2.exo.io');
    const swift = secrets(three({ provider: 'elastx' })).find((s) => s.name === 'thanos-objstore')!;
    expect((swift.generate!['objstore.yml'] as { hint: string }).hint).toContain('type: SWIFT');
    // (velero is another component with its own azure settings; off here)
    const azure = secrets(three({ provider: 'azure', config: { components: { velero: { enabled: false } } } })).find((s) => s.name === 'thanos-objstore')!;
    expect((azure.generate!['objstore.yml'] as { hint: string }).hint).toContain('type: AZURE');
  });

  it("opens egress to the object storage endpoint's own port (Keystone on :5000 for Swift)", () => {
    const ports = (env: ReturnType<typeof testEnvironment>) =>
      (render(env).objects as unknown as { metadata: { name: string }; spec: { egress: { ports: { port: number }[] }[] } }[])
        .find((o) => o.metadata.name === 'allow-object-storage')!
        .spec.egress[0].ports.map((p) => p.port);
    expect(ports(three())).toEqual([443]);
    expect(ports(three({ provider: 'elastx' }))).toEqual([443, 5000]);
  });

  it('without object storage keeps raw data in receive and runs no compactor or store gateway', () => {
    const env = three({ provider: 'none' });
    const v = values(env);
    expect(v.existingObjstoreSecret).toBeUndefined();
    expect(v.compactor.enabled).toBe(false);
    expect(v.storegateway.enabled).toBe(false);
    expect(v.receive.tsdbRetention).toBe('7d');
    expect(secrets(env).some((s) => s.name === 'thanos-objstore')).toBe(false);
    expect(render(env).objects!.some((o) => o.metadata.name === 'allow-object-storage')).toBe(false);
  });

  it('exposes query only when asked, behind its own basic auth', () => {
    expect(render().objects!.some((o) => o.metadata.name === 'thanos-query')).toBe(false);
    expect(secrets().some((s) => s.name === 'thanos-query-auth')).toBe(false);
    const env = three({ config: { components: { thanos: { query: { ingress: true } } } } });
    const ingress = render(env).objects!.find((o) => o.metadata.name === 'thanos-query')!;
    expect(JSON.stringify(ingress)).toContain('"host":"thanos.ops.test.example.com"');
    expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/auth-secret']).toBe('thanos-query-auth');
    expect((ingress.spec as { ingressClassName: string }).ingressClassName).toBe('traefik-auth');
    expect(secrets(env).some((s) => s.name === 'thanos-query-auth')).toBe(true);
  });

  it('ruler alerts when a workload cluster stops sending, and can be turned off', () => {
    const v = values();
    expect(v.ruler.enabled).toBe(true);
    for (const c of ['a', 'b', 'c']) expect(v.ruler.config).toContain(`tenant_id="${c}"`);
    expect(values(three({ config: { components: { thanos: { ruler: { enabled: false } } } } })).ruler.enabled).toBe(false);
  });

  it('enforces tenancy on query when asked', () => {
    expect(values().query.extraFlags).toEqual([]);
    const env = three({ config: { components: { thanos: { query: { enforceTenancy: true } } } } });
    expect(values(env).query.extraFlags).toContain('--query.enforce-tenancy');
  });

  it('renders no secret values', () => {
    const text = JSON.stringify(render());
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).not.toMatch(/secret_key|access_key/);
  });

  it('sets only keys the thanos chart has', () => {
    const pin = chartPin('thanos');
    expectKeysInChartValues(render().values, pin.chart, pin.version);
    expectKeysInChartValues(
      render(three({ flavor: 'prod', config: { components: { thanos: { query: { enforceTenancy: true } } } } })).values,
      pin.chart,
      pin.version,
    );
  });
});
