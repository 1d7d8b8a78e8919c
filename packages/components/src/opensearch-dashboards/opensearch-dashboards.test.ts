import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { opensearchDashboards } from '.';

type Values = {
  replicaCount: number;
  opensearchAccount: { secret: string };
  config: { 'opensearch_dashboards.yml': Record<string, unknown> };
  extraEnvs?: unknown[];
};
const env = (components: Record<string, unknown> = {}, flavor: 'dev' | 'prod' = 'dev') => testEnvironment({ flavor, config: { components } });
const render = (e = env()) => renderComponent(opensearchDashboards, e, 'management');
const values = (e = env()) => render(e).values as unknown as Values;
const yml = (e = env()) => values(e).config['opensearch_dashboards.yml'];

describe('opensearch-dashboards', () => {
  it('serves Dashboards at the user domain with TLS', () => {
    const ingress = render().objects!.find((o) => o.kind === 'Ingress')!;
    expect(JSON.stringify(ingress)).toContain('"host":"opensearch.test.example.com"');
    expect(ingress.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
  });

  it('logs in through Dex with the client secret from the environment', () => {
    const y = yml();
    expect(y['opensearch_security.auth.type']).toEqual(['openid', 'basicauth']);
    expect(y['opensearch_security.openid.client_id']).toBe('opensearch-dashboards');
    expect(y['opensearch_security.openid.client_secret']).toBe('${OIDC_CLIENT_SECRET}');
    expect(y['opensearch_security.openid.base_redirect_url']).toBe('https://opensearch.test.example.com');
    const oidc = componentSecrets(opensearchDashboards, env(), 'management').find((s) => s.name === 'opensearch-dashboards-oidc')!;
    expect(oidc.generate!['client-secret']).toEqual({ type: 'random', shareAs: 'oidc-client-opensearch-dashboards' });
  });

  it('falls back to basic auth with no trace of OIDC when dex is off', () => {
    const e = env({ dex: { enabled: false } });
    expect(yml(e)['opensearch_security.auth.type']).toBe('basicauth');
    expect(JSON.stringify(render(e))).not.toMatch(/openid|dex|OIDC/);
    expect(componentSecrets(opensearchDashboards, e, 'management').map((s) => s.name)).toEqual(['opensearch-dashboards-account']);
  });

  it('reaches OpenSearch over HTTPS with full verification against the platform CA, or plain HTTP when OpenSearch serves that', () => {
    type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const v = values() as unknown as Any;
    expect(v.opensearchHosts).toBe('https://opensearch-cluster-master:9200');
    expect(yml()['opensearch.hosts']).toEqual(['https://opensearch-cluster-master:9200']);
    expect(yml()['opensearch.ssl.verificationMode']).toBe('full');
    expect(yml()['opensearch.ssl.certificateAuthorities']).toEqual(['/usr/share/opensearch-dashboards/config/opensearch-ca/ca.crt']);
    expect(v.secretMounts).toEqual([
      { name: 'opensearch-ca', secretName: 'opensearch-ca-bundle', path: '/usr/share/opensearch-dashboards/config/opensearch-ca' },
    ]);
    const plain = env({ opensearch: { httpTls: false }, fluentBit: { localOpensearch: { tls: false } } });
    expect(yml(plain)['opensearch.hosts']).toEqual(['http://opensearch-cluster-master:9200']);
    expect(yml(plain)['opensearch.ssl.verificationMode']).toBeUndefined();
    expect((values(plain) as unknown as Any).secretMounts).toBeUndefined();
  });

  it('shares the server user password with OpenSearch', () => {
    const account = componentSecrets(opensearchDashboards, env(), 'management').find((s) => s.name === 'opensearch-dashboards-account')!;
    expect(account.keys).toEqual(['username', 'password', 'cookie']);
    expect(account.generate!.password).toEqual({ type: 'random', shareAs: 'opensearch-dashboards-server' });
    expect(values().opensearchAccount.secret).toBe('opensearch-dashboards-account');
  });

  it('renders only references to secrets', () => {
    for (const v of Object.values(yml())) if (typeof v === 'string' && /password|secret/i.test(v)) expect(v).toMatch(/^\$\{[A-Z_]+\}$/);
  });

  it('runs two replicas in prod', () => {
    expect(values().replicaCount).toBe(1);
    expect(values(env({}, 'prod')).replicaCount).toBe(2);
  });

  it('sets only keys the opensearch-dashboards chart has', () => {
    const pin = chartPin('opensearch-dashboards');
    expectKeysInChartValues(render().values, pin.chart, pin.version, { allow: ['resources', 'securityContext', 'updateStrategy'] });
  });
});
