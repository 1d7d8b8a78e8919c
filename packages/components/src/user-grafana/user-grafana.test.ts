import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { userGrafana } from '.';

type Values = {
  'grafana.ini': Record<string, Record<string, unknown>>;
  datasources: {
    'datasources.yaml'?: {
      datasources: { name: string; url: string; isDefault: boolean; jsonData: Record<string, string>; secureJsonData: Record<string, string> }[];
    };
  };
  envValueFrom?: Record<string, unknown>;
  admin: { existingSecret: string };
};
const env3 = (components: Record<string, unknown> = {}, flavor: 'dev' | 'prod' = 'dev') =>
  testEnvironment({ flavor, workloadClusters: ['a', 'b', 'c'], config: { components } });
const render = (env = env3()) => renderComponent(userGrafana, env, 'management');
const values = (env = env3()) => render(env).values as unknown as Values;

describe('user-grafana', () => {
  it('serves grafana at the user domain with TLS', () => {
    const ingress = render().objects!.find((o) => o.kind === 'Ingress')!;
    expect(JSON.stringify(ingress)).toContain('"host":"grafana.test.example.com"');
    expect(ingress.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
    expect(values()['grafana.ini'].server.root_url).toBe('https://grafana.test.example.com');
  });

  it('has one Thanos datasource per workload cluster, each with its tenant header', () => {
    const ds = values().datasources['datasources.yaml']!.datasources;
    expect(ds.map((d) => d.name)).toEqual(['Thanos a', 'Thanos b', 'Thanos c']);
    expect(ds.map((d) => d.secureJsonData.httpHeaderValue1)).toEqual(['a', 'b', 'c']);
    expect(ds.every((d) => d.jsonData.httpHeaderName1 === 'THANOS-TENANT')).toBe(true);
    expect(ds.every((d) => d.url === 'http://thanos-query-frontend.thanos.svc:9090')).toBe(true);
    expect(ds.filter((d) => d.isDefault)).toHaveLength(1);
  });

  it('drops the datasources and the Thanos egress when thanos is off', () => {
    const env = env3({ thanos: { enabled: false } });
    expect(values(env).datasources).toEqual({});
    expect(render(env).objects!.some((o) => o.metadata.name === 'allow-thanos')).toBe(false);
  });

  it('logs in through Dex with the client secret from a shared Secret', () => {
    const v = values();
    expect(v['grafana.ini']['auth.generic_oauth'].client_id).toBe('user-grafana');
    expect(v['grafana.ini']['auth.generic_oauth'].auth_url).toBe('https://dex.test.example.com/auth');
    expect(v['grafana.ini']['auth.generic_oauth'].client_secret).toBeUndefined();
    expect(v.envValueFrom).toEqual({ GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: 'user-grafana-oidc', key: 'client-secret' } } });
    const oidc = componentSecrets(userGrafana, env3(), 'management').find((s) => s.name === 'user-grafana-oidc')!;
    expect(oidc.generate!['client-secret']).toEqual({ type: 'random', shareAs: 'oidc-client-user-grafana' });
  });

  it('maps Dex groups to Grafana roles', () => {
    const v = values(env3({ userGrafana: { adminGroups: ['ops'], editorGroups: ['devs'] } }));
    expect(v['grafana.ini']['auth.generic_oauth'].role_attribute_path).toBe(
      "contains(groups[*], 'ops') && 'Admin' || contains(groups[*], 'devs') && 'Editor' || 'Viewer'",
    );
  });

  it('has no OIDC anywhere when dex is off', () => {
    const env = env3({ dex: { enabled: false } });
    const out = render(env);
    // Whole words: dashboard JSON has fields such as `frameIndex`.
    expect(JSON.stringify(out)).not.toMatch(/oauth|\bdex\b/i);
    expect(componentSecrets(userGrafana, env, 'management').map((s) => s.name)).toEqual(['user-grafana-admin']);
  });

  it('reads the admin password from a Secret and renders no secret value', () => {
    expect(values().admin.existingSecret).toBe('user-grafana-admin');
    expect(JSON.stringify(render())).not.toMatch(/password":\s*"[^"]/);
  });

  it('sizes resources by flavor', () => {
    const dev = render().values as { resources: { requests: { cpu: string } } };
    const prod = render(env3({}, 'prod')).values as { resources: { requests: { cpu: string } } };
    expect(dev.resources.requests.cpu).toBe('25m');
    expect(prod.resources.requests.cpu).toBe('100m');
  });

  it('sets only keys the grafana chart has', () => {
    const pin = chartPin('grafana');
    // grafana.ini sections are free-form ini; storageClassName is documented in a comment.
    expectKeysInChartValues(render().values, pin.chart, pin.version, { allow: ['grafana.ini', 'persistence.storageClassName'] });
  });
});
