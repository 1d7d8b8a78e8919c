import { describe, expect, it } from 'vitest';
import { ConfigErrors } from '@ck8s/config';
import { componentSettings } from '../catalog';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { externalDns } from '.';
import { CREDENTIALS_SECRET } from './providers';

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };
type Values = {
  provider: { name: string; webhook?: { image: { repository: string; tag: string }; env: EnvVar[] } };
  env?: EnvVar[];
  extraArgs?: string[];
  extraVolumes?: { secret: { secretName: string } }[];
  domainFilters: string[];
  txtOwnerId: string;
  policy: string;
  serviceMonitor: { enabled: boolean };
};

const enabled = (settings: Record<string, unknown> = {}, o: { provider?: string; flavor?: 'dev' | 'prod'; extra?: Record<string, unknown> } = {}) =>
  testEnvironment({ provider: o.provider, flavor: o.flavor, config: { components: { externalDns: { enabled: true, ...settings }, ...o.extra } } });
const render = (env = enabled(), cluster = 'workload') => renderComponent(externalDns, env, cluster);
const values = (env = enabled(), cluster = 'workload') => render(env, cluster).values as Values;

const secretsOf = (env: ReturnType<typeof enabled>, clusterName = 'workload') => componentSecrets(externalDns, env, clusterName);

describe('external-dns', () => {
  it('is optional: disabled by default on both roles', () => {
    expect(externalDns.roles).toEqual(['management', 'workload']);
    for (const c of testEnvironment().clusters) expect(componentSettings(externalDns, c.settings.components).enabled).toBe(false);
    for (const c of testEnvironment({ flavor: 'prod' }).clusters) expect(componentSettings(externalDns, c.settings.components).enabled).toBe(false);
  });

  it('manages the environment domain and ops domain, owned per cluster', () => {
    const env = enabled();
    const w = values(env, 'workload');
    expect(w.domainFilters).toEqual(['test.example.com', 'ops.test.example.com']);
    expect(w.txtOwnerId).toBe('test-env-workload');
    expect(values(env, 'management').txtOwnerId).toBe('test-env-management');
    expect(values(enabled({ extraDomainFilters: ['legacy.example.org'] })).domainFilters).toContain('legacy.example.org');
  });

  it('never deletes records unless sync is chosen', () => {
    expect(values().policy).toBe('upsert-only');
    expect(values(enabled({}, { flavor: 'prod' })).policy).toBe('upsert-only');
    expect(values(enabled({ policy: 'sync' })).policy).toBe('sync');
  });

  it('picks the DNS service of the infrastructure with provider auto', () => {
    expect(values(enabled({}, { provider: 'exoscale' })).provider.name).toBe('exoscale');
    expect(values(enabled({}, { provider: 'aws' })).provider.name).toBe('aws');
    expect(values(enabled({}, { provider: 'azure' })).provider.name).toBe('azure');
  });

  it('reports auto on an infrastructure without a DNS service as a config error', () => {
    expect(() => render(enabled({}, { provider: 'safespring' }))).toThrow(ConfigErrors);
    expect(() => render(enabled({}, { provider: 'safespring' }))).toThrow(/components\.externalDns\.provider/);
    expect(values(enabled({ provider: 'cloudflare' }, { provider: 'safespring' })).provider.name).toBe('cloudflare');
  });

  it('reads credentials from the Secret it declares, per provider', () => {
    const cases: [string, string[]][] = [
      ['aws', ['aws-access-key-id', 'aws-secret-access-key']],
      ['cloudflare', ['api-token']],
      ['exoscale', ['api-key', 'api-secret']],
      ['azure', ['azure.json']],
      ['google', ['credentials.json']],
    ];
    for (const [provider, keys] of cases) {
      const env = enabled({ provider });
      const [req] = secretsOf(env);
      expect(req).toMatchObject({ name: CREDENTIALS_SECRET, namespace: 'external-dns', keys });
      for (const k of keys) expect(req.generate![k]).toMatchObject({ type: 'user' });
      const v = values(env);
      const referenced = [
        ...(v.env ?? []).flatMap((e) => (e.valueFrom ? [e.valueFrom.secretKeyRef] : [])),
        ...(v.extraVolumes ?? []).map((vol) => ({ name: vol.secret.secretName, key: keys[0] })),
      ];
      expect(referenced.length).toBeGreaterThan(0);
      for (const ref of referenced) {
        expect(ref.name).toBe(CREDENTIALS_SECRET);
        expect(keys).toContain(ref.key);
      }
    }
  });

  it('runs an out-of-tree provider as a webhook sidecar with env from the Secret', () => {
    const env = enabled({
      provider: 'webhook',
      webhook: { image: { repository: 'ghcr.io/example/dns-webhook', tag: 'v1.2.3' }, secretEnv: { DNS_TOKEN: 'token' } },
    });
    const v = values(env);
    expect(v.provider.name).toBe('webhook');
    expect(v.provider.webhook!.image).toEqual({ repository: 'ghcr.io/example/dns-webhook', tag: 'v1.2.3' });
    expect(v.provider.webhook!.env).toEqual([{ name: 'DNS_TOKEN', valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: 'token' } } }]);
    expect(secretsOf(env)[0].keys).toEqual(['token']);
  });

  it('requires an image for the webhook provider', () => {
    expect(() => enabled({ provider: 'webhook' })).toThrow(/webhook\.image\.repository/);
  });

  it('never puts a credential value in values', () => {
    for (const provider of ['aws', 'cloudflare', 'exoscale', 'azure', 'google']) {
      const v = values(enabled({ provider }));
      for (const e of v.env ?? []) if (!e.valueFrom) expect(e.name).toMatch(/^(AWS_DEFAULT_REGION|GOOGLE_APPLICATION_CREDENTIALS)$/);
    }
  });

  it('opens only the API server, the provider API and, when monitored, metrics', () => {
    const names = (env: ReturnType<typeof enabled>) =>
      render(env)
        .objects!.map((o) => o.metadata.name)
        .sort();
    expect(names(enabled({}, { extra: { kubePrometheusStack: { enabled: false } } }))).toEqual(['allow-apiserver', 'allow-dns-provider-api']);
    expect(names(enabled({}, { extra: { kubePrometheusStack: { enabled: true } } }))).toEqual(['allow-apiserver', 'allow-dns-provider-api', 'allow-metrics']);
    expect(values(enabled({}, { extra: { kubePrometheusStack: { enabled: false } } })).serviceMonitor.enabled).toBe(false);
  });

  it('sets only keys the external-dns chart has', () => {
    const pin = chartPin('external-dns');
    for (const provider of ['aws', 'azure', 'cloudflare', 'google', 'exoscale']) expectKeysInChartValues(values(enabled({ provider })), pin.chart, pin.version);
    expectKeysInChartValues(values(enabled({ provider: 'webhook', webhook: { image: { repository: 'r', tag: 't' }, args: ['--x'] } })), pin.chart, pin.version);
  });
});
