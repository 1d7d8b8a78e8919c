import { describe, expect, it } from 'vitest';
import { toYamlDocuments } from '@ck8s/manifest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { dex, dexSettingsProblems, oidcClient } from '.';

const withComponents = (components: Record<string, unknown>, flavor: 'dev' | 'prod' = 'dev') => testEnvironment({ flavor, config: { components } });
const render = (env = testEnvironment()) => renderComponent(dex, env, 'management');
const secrets = (env = testEnvironment()) => componentSecrets(dex, env, 'management');
type DexConfig = {
  issuer: string;
  staticClients: { id: string; public?: boolean; secretEnv?: string; redirectURIs: string[] }[];
  connectors: { id: string; config: Record<string, unknown> }[];
  enablePasswordDB: boolean;
  staticPasswords?: unknown[];
};
const config = (out: ReturnType<typeof render>) => (out.values as { config: DexConfig }).config;

const GITHUB = { type: 'github', id: 'github', name: 'GitHub', config: { clientID: 'abc', orgs: [{ name: 'acme' }] } };
const LDAP = { type: 'ldap', id: 'corp', name: 'Corporate LDAP', config: { host: 'ldap.example.com:636', bindDN: 'cn=dex' } };

describe('dex', () => {
  it('serves its issuer at the dex endpoint with TLS from the cluster issuer', () => {
    const out = render();
    expect(config(out).issuer).toBe('https://dex.test.example.com');
    const ingress = out.objects!.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
    expect(JSON.stringify(ingress)).toContain('"host":"dex.test.example.com"');
  });

  it('registers kubelogin as a public client without a secret', () => {
    const kubelogin = config(render()).staticClients.find((c) => c.id === 'kubelogin')!;
    expect(kubelogin.public).toBe(true);
    expect(kubelogin.secretEnv).toBeUndefined();
  });

  it('registers a client only for enabled applications, secrets from env', () => {
    const none = withComponents({
      userGrafana: { enabled: false },
      opensearchDashboards: { enabled: false },
      harbor: { enabled: false },
      kubePrometheusStack: { enabled: false },
    });
    expect(config(render(none)).staticClients.map((c) => c.id)).toEqual(['kubelogin']);
    const all = testEnvironment();
    const ids = config(render(all)).staticClients.map((c) => c.id);
    for (const app of ['user-grafana', 'opensearch-dashboards', 'harbor'] as const) {
      if (ids.includes(app)) {
        const client = config(render(all)).staticClients.find((c) => c.id === app)!;
        expect(client.secretEnv).toMatch(/^DEX_CLIENT_/);
        expect(client.redirectURIs).toEqual([oidcClient(all, app).redirectURI]);
      }
    }
  });

  it('wires each client secret from the shared Secret', () => {
    const env = testEnvironment();
    const out = render(env);
    const ids = config(out)
      .staticClients.filter((c) => c.secretEnv)
      .map((c) => c.id);
    const req = secrets(env).find((r) => r.name === 'dex-oidc-clients');
    if (!ids.length) return expect(req).toBeUndefined();
    const rendered = (out.values as { envVars: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[] }).envVars;
    for (const id of ids) {
      expect(rendered.some((e) => e.valueFrom.secretKeyRef.name === 'dex-oidc-clients' && e.valueFrom.secretKeyRef.key === id)).toBe(true);
    }
  });

  it('declares client secrets as shares named oidc-client-<app>', () => {
    const env = testEnvironment();
    const cluster = env.clusters.find((c) => c.name === 'management')!;
    const settings = (cluster.settings.components as Record<string, unknown>).dex as never;
    const reqs = dex.secrets!({ env, cluster, settings, isEnabled: () => true, enabledComponents: [] });
    const clients = reqs.find((r) => r.name === 'dex-oidc-clients')!;
    expect(clients.keys.sort()).toEqual(['harbor', 'opensearch-dashboards', 'ops-grafana', 'user-grafana']);
    expect(clients.generate!['ops-grafana']).toEqual({ type: 'random', shareAs: 'oidc-client-ops-grafana' });
    expect(clients.generate!['user-grafana']).toEqual({ type: 'random', shareAs: 'oidc-client-user-grafana' });
    expect(clients.generate!['opensearch-dashboards']).toEqual({ type: 'random', shareAs: 'oidc-client-opensearch-dashboards' });
    expect(clients.generate!.harbor).toEqual({ type: 'random', shareAs: 'oidc-client-harbor' });
  });

  it('renders connectors with $ENV references for their secrets and a Secret requirement each', () => {
    const env = withComponents({ dex: { connectors: [GITHUB, LDAP] } });
    const out = render(env);
    const [github, ldap] = config(out).connectors;
    expect(github.config.clientSecret).toBe('$DEX_CONNECTOR_GITHUB_CLIENTSECRET');
    expect(github.config.redirectURI).toBe('https://dex.test.example.com/callback');
    expect(ldap.config.bindPW).toBe('$DEX_CONNECTOR_CORP_BINDPW');
    expect(ldap.config.redirectURI).toBeUndefined();
    const reqs = secrets(env);
    expect(reqs.find((r) => r.name === 'dex-connector-github')!.keys).toEqual(['clientSecret']);
    expect(reqs.find((r) => r.name === 'dex-connector-corp')!.keys).toEqual(['bindPW']);
    // LDAP needs its own egress.
    expect(out.objects!.some((o) => o.metadata.name === 'allow-ldap')).toBe(true);
    expect(render().objects!.some((o) => o.metadata.name === 'allow-ldap')).toBe(false);
  });

  it('rejects a secret written into connector config', () => {
    expect(() => withComponents({ dex: { connectors: [{ ...GITHUB, config: { clientID: 'a', clientSecret: 'oops' } }] } })).toThrow(/clientSecret.*secret/);
  });

  it('allows static passwords in dev only', () => {
    const dev = render();
    expect(config(dev).enablePasswordDB).toBe(true);
    expect(config(dev).staticPasswords).toHaveLength(1);
    expect(secrets().some((r) => r.name === 'dex-static-password')).toBe(true);

    // The config loader rejects them outside dev; rendering ignores them there anyway.
    expect(() => withComponents({ dex: { staticPasswords: true } }, 'prod')).toThrow(
      /config\.yaml:\d+:\d+: components\.dex\.staticPasswords: only allowed in the dev flavor/,
    );
    const prod = testEnvironment({ flavor: 'prod' });
    expect(config(render(prod)).enablePasswordDB).toBe(false);
    expect(config(render(prod)).staticPasswords).toBeUndefined();
    expect(secrets(prod).some((r) => r.name === 'dex-static-password')).toBe(false);
    expect(dexSettingsProblems('prod', { staticPasswords: true }).map((p) => p.path)).toEqual([['staticPasswords']]);
    expect(dexSettingsProblems('dev', { staticPasswords: true })).toEqual([]);
  });

  it('runs HA in prod and single in dev', () => {
    expect((render().values as { replicaCount: number }).replicaCount).toBe(1);
    const prod = render(testEnvironment({ flavor: 'prod' })).values as { replicaCount: number; podDisruptionBudget: { enabled: boolean } };
    expect(prod.replicaCount).toBe(2);
    expect(prod.podDisruptionBudget.enabled).toBe(true);
  });

  it('never contains a secret value, only references', () => {
    const text = toYamlDocuments([
      { apiVersion: 'v1', kind: 'List', metadata: { name: 'x' }, values: render(withComponents({ dex: { connectors: [GITHUB, LDAP] } })).values },
      ...render().objects!,
    ]);
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).not.toMatch(/clientSecret: [^$]/);
  });

  it('sets only keys the dex chart has', () => {
    const pin = chartPin('dex');
    expectKeysInChartValues(render(withComponents({ dex: { connectors: [GITHUB] } })).values, pin.chart, pin.version);
    expectKeysInChartValues(render(testEnvironment({ flavor: 'prod' })).values, pin.chart, pin.version);
  });
});
