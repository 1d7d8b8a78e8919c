import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { chartPin } from '../lib/charts';
import { LOG_STREAMS, logIndex } from '../lib/wiring';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { indexTemplate, ismPolicy } from './configurer';
import { fluentBit } from '../fluent-bit';
import { OPENSEARCH_POD, opensearch, opensearchSettingsProblems, writerIndexPatterns } from '.';

type Values = {
  replicas: number;
  singleNode: boolean;
  config: { 'opensearch.yml': string };
  securityConfig: { config: { data: Record<string, string> } };
  keystore?: { secretName: string }[];
  plugins?: { installList: string[] };
  extraEnvs: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
};
const env3 = (o: Parameters<typeof testEnvironment>[0] = {}) => testEnvironment({ workloadClusters: ['a', 'b', 'c'], ...o });
const withSettings = (opensearchSettings: Record<string, unknown>, flavor: 'dev' | 'prod' = 'dev', extra: Record<string, unknown> = {}) =>
  env3({ flavor, config: { components: { opensearch: opensearchSettings, ...extra } } });
const render = (env = env3()) => renderComponent(opensearch, env, 'management');
const values = (env = env3()) => render(env).values as unknown as Values;
const configFiles = (env = env3()) => {
  const cm = render(env).config!.find((o) => o.kind === 'ConfigMap')!;
  return (cm as unknown as { data: Record<string, string> }).data;
};

describe('opensearch', () => {
  it('declares a write-only user per workload cluster with the shared password', () => {
    const users = componentSecrets(opensearch, env3(), 'management').find((s) => s.name === 'opensearch-users')!;
    expect(users.keys).toEqual(['admin-password', 'dashboards-password', 'writer-a', 'writer-b', 'writer-c', 'writer-management']);
    for (const c of ['a', 'b', 'c', 'management']) expect(users.generate![`writer-${c}`]).toEqual({ type: 'random', shareAs: `opensearch-writer-${c}` });
  });

  it('gives each writer a role that only appends to its own streams', () => {
    const files = configFiles();
    for (const c of ['a', 'b', 'c']) {
      const role = JSON.parse(files[`role-log-writer-${c}.json`]);
      expect(role.index_permissions[0].allowed_actions).toEqual(['indices:data/write/index', 'indices:data/write/bulk*', 'indices:admin/mapping/put']);
      expect(role.index_permissions[0].index_patterns).toEqual(writerIndexPatterns(c));
      expect(JSON.parse(files[`rolesmapping-log-writer-${c}.json`]).users).toEqual([`writer-${c}`]);
      expect(files['configure.sh']).toContain(`put_user writer-${c} "$OPENSEARCH_WRITER_${c.toUpperCase()}_PASSWORD"`);
    }
    const roles = Object.entries(files)
      .filter(([f]) => f.startsWith('role-log-writer-'))
      .map(([, v]) => v)
      .join('\n');
    expect(roles).not.toMatch(/delete|update|read|"indices:admin\/create"|"\*"/);
  });

  it('writer patterns match the cluster own indices and not a neighbour with a longer name', () => {
    const toRegex = (p: string) => new RegExp(`^${p.slice(1, -1)}$`);
    const [kubernetes] = writerIndexPatterns('a').map(toRegex);
    expect(kubernetes.test('kubernetes-a')).toBe(true);
    expect(kubernetes.test('kubernetes-a-000001')).toBe(true);
    expect(kubernetes.test('kubernetes-a-2026.01.01')).toBe(true);
    expect(kubernetes.test('kubernetes-a-b-000001')).toBe(false);
    expect(kubernetes.test('kubernetes-ab')).toBe(false);
  });

  it('bootstraps a write alias and a lifecycle template for every stream of every workload cluster', () => {
    const files = configFiles();
    for (const c of ['a', 'b', 'c']) {
      for (const s of LOG_STREAMS) {
        const alias = logIndex(s, c);
        expect(JSON.parse(files[`template-${alias}.json`])).toEqual(indexTemplate(alias, 0));
      }
    }
    expect(indexTemplate('kubernetes-a-b', 0).priority).toBeGreaterThan(indexTemplate('kubernetes-a', 0).priority);
  });

  it('deletes indices after the retention: 7 days in dev, 30 in prod', () => {
    expect(JSON.parse(configFiles()['ism-policy.json'])).toEqual(ismPolicy(7, '1gb'));
    expect(JSON.parse(configFiles(env3({ flavor: 'prod' }))['ism-policy.json']).policy.states[0].transitions[0].conditions.min_index_age).toBe('30d');
    expect(
      JSON.parse(configFiles(withSettings({ retentionDays: 90 }, 'prod'))['ism-policy.json']).policy.states[0].transitions[0].conditions.min_index_age,
    ).toBe('90d');
  });

  it('enforces the production minimum retention', () => {
    expect(() => withSettings({ retentionDays: 3 }, 'prod')).toThrow(
      /config\.yaml:\d+:\d+: components\.opensearch\.retentionDays: is 3; flavor "prod" keeps logs at least 30 days/,
    );
    expect(JSON.parse(configFiles(withSettings({ retentionDays: 3 }))['ism-policy.json']).policy.states[0].transitions[0].conditions.min_index_age).toBe('3d');
    expect(opensearchSettingsProblems('prod', { retentionDays: 3 }).map((p) => p.path)).toEqual([['retentionDays']]);
    expect(opensearchSettingsProblems('dev', { retentionDays: 3 })).toEqual([]);
  });

  it('names the configurer Job after its configuration, so a new cluster re-runs it', () => {
    const job = (env: ReturnType<typeof env3>) => render(env).config!.find((o) => o.kind === 'Job')!.metadata.name;
    expect(job(env3())).toBe(job(env3()));
    expect(job(env3())).not.toBe(job(testEnvironment({ workloadClusters: ['a', 'b'] })));
    const image = JSON.stringify(render().config);
    expect(image).toContain('curlimages/curl:8.11.1');
    expect(image).not.toContain(':latest');
  });

  it('snapshots to object storage with the provider plugin and keystore credentials', () => {
    const v = values();
    expect(v.plugins!.installList).toEqual(['repository-s3']);
    expect(v.keystore).toEqual([{ secretName: 'opensearch-snapshot-credentials' }]);
    expect(v.config['opensearch.yml']).toContain('s3.client.default.endpoint: "sos-ch-gva-2.exo.io"');
    const repo = JSON.parse(configFiles()['snapshot-repository.json']);
    expect(repo).toEqual({ type: 's3', settings: { bucket: 'test-env-opensearch', base_path: 'snapshots', client: 'default' } });
    const creds = componentSecrets(opensearch, env3(), 'management').find((s) => s.name === 'opensearch-snapshot-credentials')!;
    expect(creds.keys).toEqual(['s3.client.default.access_key', 's3.client.default.secret_key']);
    const azure = componentSecrets(opensearch, env3({ provider: 'azure', config: { components: { velero: { enabled: false } } } }), 'management').find(
      (s) => s.name === 'opensearch-snapshot-credentials',
    )!;
    expect(azure.keys).toEqual(['azure.client.default.account', 'azure.client.default.key']);
  });

  it('keeps snapshots on in prod', () => {
    expect(() => withSettings({ snapshots: { enabled: false } }, 'prod')).toThrow(/snapshots of the log store must stay enabled/);
  });

  it('has no snapshots without object storage or when turned off', () => {
    for (const env of [env3({ provider: 'none' }), withSettings({ snapshots: { enabled: false } })]) {
      expect(values(env).plugins).toBeUndefined();
      expect(values(env).keystore).toBeUndefined();
      expect(configFiles(env)['snapshot-repository.json']).toBeUndefined();
      expect(componentSecrets(opensearch, env, 'management').some((s) => s.name === 'opensearch-snapshot-credentials')).toBe(false);
    }
  });

  it('validates Dex tokens only when Dex and Dashboards are both enabled', () => {
    const withSso = YAML.parse(values().securityConfig.config.data['config.yml']);
    expect(withSso.config.dynamic.authc.openid_auth_domain.http_authenticator.config.openid_connect_url).toBe(
      'https://dex.test.example.com/.well-known/openid-configuration',
    );
    for (const off of [{ dex: { enabled: false } }, { opensearchDashboards: { enabled: false } }]) {
      const env = withSettings({}, 'dev', off);
      expect(YAML.parse(values(env).securityConfig.config.data['config.yml']).config.dynamic.authc.openid_auth_domain).toBeUndefined();
      expect(JSON.stringify(render(env))).not.toContain('dex.test.example.com');
    }
  });

  it('maps SSO groups to roles', () => {
    const files = configFiles(withSettings({ sso: { adminGroups: ['ops'], readerGroups: ['devs'] } }));
    expect(JSON.parse(files['rolesmapping-all_access.json']).backend_roles).toEqual(['ops']);
    expect(JSON.parse(files['rolesmapping-log-reader.json']).backend_roles).toEqual(['devs']);
  });

  it('keeps passwords out of the security files: the plugin hashes environment variables', () => {
    const users = values().securityConfig.config.data['internal_users.yml'];
    expect(users).toContain('${envbc.OPENSEARCH_ADMIN_PASSWORD}');
    expect(users).not.toMatch(/\$2[aby]\$/);
    const envs = values().extraEnvs;
    expect(envs.find((e) => e.name === 'OPENSEARCH_ADMIN_PASSWORD')!.valueFrom!.secretKeyRef).toEqual({ name: 'opensearch-users', key: 'admin-password' });
  });

  it('exposes the API for log shipping at the opensearch ops endpoint', () => {
    const ingress = render().objects!.find((o) => o.kind === 'Ingress')!;
    expect(JSON.stringify(ingress)).toContain('"host":"opensearch.ops.test.example.com"');
  });

  it("lets the management cluster's own log shipper in, only when it runs", () => {
    const policy = render().objects!.find((o) => o.metadata.name === 'allow-local-log-shipper')!;
    expect(policy.spec).toEqual({
      podSelector: OPENSEARCH_POD,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fluent-bit' } } }], ports: [{ protocol: 'TCP', port: 9200 }] }],
    });
    // The other end: Fluent Bit may leave its namespace towards that port.
    const egress = renderComponent(fluentBit, env3(), 'management').objects!.find((o) => o.metadata.name === 'allow-local-opensearch')!;
    expect(egress.spec).toMatchObject({
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'opensearch' } } }], ports: [{ protocol: 'TCP', port: 9200 }] }],
    });
    expect(render(withSettings({}, 'dev', { fluentBit: { enabled: false } })).objects!.some((o) => o.metadata.name === 'allow-local-log-shipper')).toBe(false);
  });

  it("issues node certificates from a private CA, whose key stays in cert-manager's namespace", () => {
    const certs = render().objects!.filter((o) => o.apiVersion === 'cert-manager.io/v1');
    expect(certs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Issuer/cert-manager/opensearch-selfsigned',
      'Certificate/cert-manager/opensearch-ca',
      'ClusterIssuer//opensearch-ca',
      'Certificate/opensearch/opensearch-node',
      'Certificate/opensearch/opensearch-ca-bundle',
    ]);
    const node = certs.find((o) => o.metadata.name === 'opensearch-node') as unknown as { spec: { dnsNames: string[] } };
    // Every name a client uses: in the namespace, from other namespaces, and the nodes' headless names.
    expect(node.spec.dnsNames).toEqual(
      expect.arrayContaining(['opensearch-cluster-master', 'opensearch-cluster-master.opensearch.svc', '*.opensearch-cluster-master-headless']),
    );
  });

  describe('TLS inside the cluster (httpTls)', () => {
    type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const yml = (e = env3()) => values(e).config['opensearch.yml'];

    it('serves the REST API over TLS with the node certificate', () => {
      expect(yml()).toContain('plugins.security.ssl.http.enabled: true');
      expect(yml()).toContain('plugins.security.ssl.http.pemcert_filepath: "certs/tls.crt"');
      expect(yml()).toContain('plugins.security.ssl.http.pemtrustedcas_filepath: "certs/ca.crt"');
      expect((values() as unknown as Any).protocol).toBe('https');
    });

    it('has the configurer verify every call against the platform CA', () => {
      const job = render().config!.find((o) => o.kind === 'Job') as Any;
      const container = job.spec.template.spec.containers[0];
      expect(container.env).toContainEqual({ name: 'CURL_CA_BUNDLE', value: '/ca/ca.crt' });
      expect(job.spec.template.spec.volumes).toContainEqual({
        name: 'ca',
        secret: { secretName: 'opensearch-ca-bundle', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
      const script = configFiles()['configure.sh'];
      expect(script).toContain('OS=https://opensearch-cluster-master:9200');
      expect(script).not.toMatch(/curl[^\n]* (-k|--insecure)\b/);
    });

    it('has the ingress reach it over HTTPS, verifying the CA and the service name (Traefik through its Ingress NGINX provider)', () => {
      const annotations = {
        'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
        'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
        'nginx.ingress.kubernetes.io/proxy-ssl-secret': 'opensearch/opensearch-ca-bundle',
        'nginx.ingress.kubernetes.io/proxy-ssl-name': 'opensearch-cluster-master',
      };
      const traefik = render().objects!.find((o) => o.kind === 'Ingress') as Any;
      expect(traefik.metadata.annotations).toMatchObject(annotations);
      expect(traefik.spec.ingressClassName).toBe('traefik-auth');
      const nginx = render(withSettings({}, 'dev', { ingress: { controller: 'ingress-nginx' } })).objects!.find((o) => o.kind === 'Ingress') as Any;
      expect(nginx.metadata.annotations).toMatchObject(annotations);
      expect(nginx.spec.ingressClassName).toBe('traefik'); // the cluster's class name, served by ingress-nginx itself
    });

    it('switches back to plain HTTP behind the ingress with httpTls: false', () => {
      const plain = withSettings({ httpTls: false }, 'dev', { fluentBit: { localOpensearch: { tls: false } } });
      expect(yml(plain)).toContain('plugins.security.ssl.http.enabled: false');
      expect(yml(plain)).not.toContain('ssl.http.pemcert');
      expect((values(plain) as unknown as Any).protocol).toBe('http');
      expect(render(plain).objects!.some((o) => o.metadata.name === 'opensearch-ca-bundle')).toBe(false);
      const ingress = render(plain).objects!.find((o) => o.kind === 'Ingress') as Any;
      expect(ingress.spec.ingressClassName).toBe('traefik');
      expect(Object.keys(ingress.metadata.annotations).filter((k) => k.includes('proxy-ssl'))).toEqual([]);
      expect(configFiles(plain)['configure.sh']).toContain('OS=http://opensearch-cluster-master:9200');
    });
  });

  it('runs one node in dev and three in prod', () => {
    expect(values().replicas).toBe(1);
    expect(values().singleNode).toBe(true);
    expect(values(env3({ flavor: 'prod' })).replicas).toBe(3);
    expect(values(env3({ flavor: 'prod' })).singleNode).toBe(false);
  });

  it('sets only keys the opensearch chart has', () => {
    const pin = chartPin('opensearch');
    // storageClass is documented in a comment; config files are free-form; resources and security
    // contexts are Kubernetes objects the chart copies verbatim (toYaml), so any of their fields is valid.
    const allow = ['persistence.storageClass', 'config', 'securityConfig.config.data', 'resources', 'podSecurityContext', 'securityContext'];
    expectKeysInChartValues(render().values, pin.chart, pin.version, { allow });
    expectKeysInChartValues(render(env3({ flavor: 'prod' })).values, pin.chart, pin.version, { allow });
  });
});
