import { describe, expect, it } from 'vitest';
import { toYamlDocuments, type K8sObject } from '@ck8s/manifest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { durationDays, kubePrometheusStack as kps, MIN_RETENTION_DAYS } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('kube-prometheus-stack');
const CHECK = {
  subcharts: { grafana: ['grafana', '9.2.10'] as [string, string] },
  // grafana.ini is free-form: each map is an ini section. The kube-state-metrics subchart's defaults are not in
  // the shared chart data: its rbac.extraRules and customResourceState (chart 5.x and later) are allowed by name.
  allow: ['grafana.grafana.ini', 'kube-state-metrics.rbac.extraRules', 'kube-state-metrics.customResourceState'],
};

const secretsOf = (env: ReturnType<typeof testEnvironment>, cluster: string) => {
  const c = env.clusters.find((x) => x.name === cluster)!;
  const settings = (c.settings.components as Any).kubePrometheusStack;
  const names = new Set(['dex', 'falco']);
  return kps.secrets!({ env, cluster: c, settings, isEnabled: (n) => names.has(n) && !!(c.settings.components as Any)[n]?.enabled, enabledComponents: [] });
};
const values = (env: ReturnType<typeof testEnvironment>, cluster: string) => renderComponent(kps, env, cluster).values as Any;

describe('kube-prometheus-stack', () => {
  describe('management', () => {
    const dev = testEnvironment();
    const v = values(dev, 'management');

    const ingress = (env: ReturnType<typeof testEnvironment>, name: string) =>
      renderComponent(kps, env, 'management').objects!.find((o) => o.kind === 'Ingress' && o.metadata.name === name) as Any;

    it('runs the ops Grafana at the ops endpoint with its admin password from a Secret', () => {
      expect(v.grafana.enabled).toBe(true);
      const ing = ingress(dev, 'ops-grafana');
      expect(ing.spec.rules[0].host).toBe('grafana.ops.test.example.com');
      expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'kube-prometheus-stack-grafana', port: { number: 80 } });
      expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
      expect(ing.spec.ingressClassName).toBe('traefik');
      expect(ing.spec.tls).toEqual([{ hosts: ['grafana.ops.test.example.com'], secretName: 'ops-grafana-tls' }]);
      expect(v.grafana['grafana.ini'].server.root_url).toBe('https://grafana.ops.test.example.com');
      expect(v.grafana.admin.existingSecret).toBe('grafana-admin');
      expect(secretsOf(dev, 'management').map((s) => s.name)).toContain('grafana-admin');
    });

    it('exposes Alertmanager for workload senders and declares one htpasswd entry per workload cluster', () => {
      expect(ingress(dev, 'alertmanager').spec.rules[0].host).toBe('alertmanager.ops.test.example.com');
      expect(ingress(dev, 'alertmanager').spec.rules[0].http.paths[0].backend.service).toEqual({
        name: 'kube-prometheus-stack-alertmanager',
        port: { number: 9093 },
      });
      expect(v.alertmanager.alertmanagerSpec.externalUrl).toBe('https://alertmanager.ops.test.example.com');
      const auth = secretsOf(dev, 'management').find((s) => s.name === 'alertmanager-basic-auth')!;
      expect(auth.keys).toEqual(['auth']);
      expect(auth.generate!.auth).toEqual({ type: 'htpasswd-file', entries: [{ user: 'writer-workload', of: 'alertmanager-writer-workload' }] });
      // The same basic-auth annotations on both controllers; Traefik serves them on its auth class.
      const annotations = {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': 'alertmanager-basic-auth',
        'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
      };
      const traefik = ingress(dev, 'alertmanager');
      expect(traefik.metadata.annotations).toMatchObject(annotations);
      expect(traefik.spec.ingressClassName).toBe('traefik-auth');
      const nginx = ingress(testEnvironment({ config: { components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } } }), 'alertmanager');
      expect(nginx.metadata.annotations).toEqual(traefik.metadata.annotations);
      expect(nginx.spec.ingressClassName).toBe('nginx');
      // Grafana has its own login: no basic auth, the ordinary class.
      expect(ingress(dev, 'ops-grafana').spec.ingressClassName).toBe('traefik');
      expect(Object.keys(ingress(dev, 'ops-grafana').metadata.annotations)).toEqual(['cert-manager.io/cluster-issuer']);
    });

    it('routes every cluster by its cluster label; a third workload cluster gets its own route and sender', () => {
      const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b', 'apps-c'] });
      const routes = values(env, 'management').alertmanager.config.route.routes as Any[];
      for (const c of ['management', 'apps-a', 'apps-b', 'apps-c']) expect(routes).toContainEqual({ receiver: 'null', matchers: [`cluster = "${c}"`] });
      const auth = secretsOf(env, 'management').find((s) => s.name === 'alertmanager-basic-auth')!.generate!.auth as { entries: { user: string }[] };
      expect(auth.entries.map((e) => e.user)).toEqual(['writer-apps-a', 'writer-apps-b', 'writer-apps-c']);
    });

    it('builds receivers from settings with their addresses read from a mounted Secret', () => {
      const env = testEnvironment({
        config: {
          components: {
            kubePrometheusStack: {
              alertmanager: {
                receivers: [
                  { name: 'ops-slack', type: 'slack', channel: '#alerts' },
                  { name: 'ops-genie', type: 'opsgenie' },
                  { name: 'hook', type: 'webhook', sendResolved: false },
                ],
                clusterReceivers: { workload: 'ops-genie' },
              },
            },
          },
        },
      });
      const am = values(env, 'management').alertmanager;
      expect(am.config.route.receiver).toBe('ops-slack');
      expect(am.config.route.routes).toContainEqual({ receiver: 'ops-genie', matchers: ['cluster = "workload"'] });
      expect(am.config.receivers).toContainEqual({
        name: 'ops-slack',
        slack_configs: [{ api_url_file: '/etc/alertmanager/secrets/alertmanager-receivers/ops-slack', send_resolved: true, channel: '#alerts' }],
      });
      expect(am.config.receivers).toContainEqual({
        name: 'ops-genie',
        opsgenie_configs: [{ api_key_file: '/etc/alertmanager/secrets/alertmanager-receivers/ops-genie', send_resolved: true }],
      });
      expect(am.config.receivers).toContainEqual({
        name: 'hook',
        webhook_configs: [{ url_file: '/etc/alertmanager/secrets/alertmanager-receivers/hook', send_resolved: false }],
      });
      expect(am.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
      const req = secretsOf(env, 'management').find((s) => s.name === 'alertmanager-receivers')!;
      expect(req.keys).toEqual(['ops-slack', 'ops-genie', 'hook']);
      expect(req.generate!['ops-slack'].type).toBe('user');
    });

    it('rejects retention below the flavor minimum and routes to unknown receivers', () => {
      expect(() => testEnvironment({ flavor: 'prod', config: { components: { kubePrometheusStack: { prometheus: { retention: '2d' } } } } })).toThrow(
        /below the prod minimum of 7 days/,
      );
      expect(() => testEnvironment({ config: { components: { kubePrometheusStack: { alertmanager: { clusterReceivers: { workload: 'pager' } } } } } })).toThrow(
        /unknown receiver "pager"/,
      );
      expect(() => testEnvironment({ config: { components: { kubePrometheusStack: { alertmanager: { defaultReceiver: 'pager' } } } } })).toThrow(
        /unknown receiver "pager"/,
      );
    });

    it('rejects reserved receiver names', () => {
      expect(() =>
        testEnvironment({ config: { components: { kubePrometheusStack: { alertmanager: { receivers: [{ name: 'null', type: 'webhook' }] } } } } }),
      ).toThrow(/reserved/);
    });

    it('without receivers everything goes to the null receiver and no receiver Secret is needed', () => {
      expect(v.alertmanager.config.route.receiver).toBe('null');
      expect(v.alertmanager.alertmanagerSpec.secrets).toEqual([]);
      expect(secretsOf(dev, 'management').map((s) => s.name)).not.toContain('alertmanager-receivers');
    });

    it('signs in to Grafana through Dex only when Dex is enabled (client secret shared with Dex)', () => {
      const noDex = testEnvironment({ config: { components: { dex: { enabled: false } } } });
      const plain = values(noDex, 'management').grafana;
      expect(plain['grafana.ini']['auth.generic_oauth']).toBeUndefined();
      expect(plain.envValueFrom).toBeUndefined();
      expect(secretsOf(noDex, 'management').map((s) => s.name)).not.toContain('grafana-oidc');
      const withDex = testEnvironment({
        config: { components: { dex: { enabled: true }, kubePrometheusStack: { grafana: { adminGroups: ['platform-admins'] } } } },
      });
      const g = values(withDex, 'management').grafana;
      expect(g['grafana.ini']['auth.generic_oauth']).toMatchObject({ client_id: 'ops-grafana', auth_url: 'https://dex.test.example.com/auth' });
      expect(g['grafana.ini']['auth.generic_oauth'].role_attribute_path).toContain("contains(groups[*], 'platform-admins')");
      expect(g.envValueFrom.GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET.secretKeyRef).toEqual({ name: 'grafana-oidc', key: 'client-secret' });
      expect(secretsOf(withDex, 'management').find((s) => s.name === 'grafana-oidc')!.generate).toEqual({
        'client-secret': { type: 'random', shareAs: 'oidc-client-ops-grafana' },
      });
    });

    it('dev: single replicas, no heartbeat; prod: HA, retention above the flavor minimum, a heartbeat route per cluster', () => {
      expect(v.prometheus.prometheusSpec.replicas).toBe(1);
      expect(v.alertmanager.alertmanagerSpec.replicas).toBe(1);
      expect(durationDays(v.prometheus.prometheusSpec.retention)).toBeGreaterThanOrEqual(MIN_RETENTION_DAYS.dev);
      const prod = testEnvironment({ flavor: 'prod', workloadClusters: ['apps-a', 'apps-b'] });
      const p = values(prod, 'management');
      expect(p.prometheus.prometheusSpec.replicas).toBe(2);
      expect(p.prometheus.podDisruptionBudget.enabled).toBe(true);
      expect(p.alertmanager.alertmanagerSpec.replicas).toBe(2);
      expect(durationDays(p.prometheus.prometheusSpec.retention)).toBeGreaterThanOrEqual(MIN_RETENTION_DAYS.prod);
      const routes = p.alertmanager.config.route.routes as Any[];
      for (const c of ['management', 'apps-a', 'apps-b']) {
        expect(routes).toContainEqual(expect.objectContaining({ receiver: `heartbeat-${c}`, matchers: ['alertname = "Watchdog"', `cluster = "${c}"`] }));
        expect(p.alertmanager.config.receivers).toContainEqual({
          name: `heartbeat-${c}`,
          webhook_configs: [{ url_file: `/etc/alertmanager/secrets/alertmanager-heartbeat/${c}`, send_resolved: false }],
        });
      }
      // Heartbeat routes come before the route that silences Watchdog.
      expect(routes.findIndex((r) => r.receiver === 'heartbeat-apps-b')).toBeLessThan(routes.findIndex((r) => r.matchers[0].includes('Watchdog|')));
      expect(p.alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-heartbeat']);
      expect(secretsOf(prod, 'management').find((s) => s.name === 'alertmanager-heartbeat')!.keys).toEqual(['management', 'apps-a', 'apps-b']);
    });

    it("opens the ops Grafana's way to Dex (public endpoint, possibly this cluster's own ingress) only with Dex", () => {
      const names = (e: ReturnType<typeof testEnvironment>) => renderComponent(kps, e, 'management').objects!.map((o) => o.metadata.name);
      expect(names(dev)).toEqual(expect.arrayContaining(['allow-grafana-oidc', 'allow-grafana-to-ingress']));
      const noDex = names(testEnvironment({ config: { components: { dex: { enabled: false } } } }));
      expect(noDex).not.toContain('allow-grafana-oidc');
      expect(noDex).not.toContain('allow-grafana-to-ingress');
      const noGrafana = names(testEnvironment({ config: { components: { kubePrometheusStack: { grafana: { enabled: false } } } } }));
      expect(noGrafana.filter((n) => n.includes('grafana'))).toEqual([]);
    });

    it('accepts alerts in-cluster from Flux, Falco and Thanos ruler (when enabled) and from the ingress controller', () => {
      const objects = renderComponent(kps, dev, 'management').objects!;
      const senders = objects.find((o) => o.metadata.name === 'allow-alert-senders') as Any;
      const from = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
      expect(senders.spec.ingress[0].from).toEqual([from('flux-system'), from('falco'), from('thanos')]);
      const fewer = testEnvironment({ config: { components: { falco: { enabled: false }, thanos: { enabled: false } } } });
      const only = renderComponent(kps, fewer, 'management').objects!.find((o) => o.metadata.name === 'allow-alert-senders') as Any;
      expect(only.spec.ingress[0].from).toEqual([from('flux-system')]);
      expect(objects.map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['allow-ingress-grafana', 'allow-ingress-alertmanager', 'allow-apiserver']));
    });

    it('writes its own metrics to Thanos in-cluster and queries Thanos from Grafana, only when Thanos runs', () => {
      const withThanos = testEnvironment({ config: { components: { thanos: { enabled: true } } } });
      const t = values(withThanos, 'management');
      expect(t.prometheus.prometheusSpec.remoteWrite).toEqual([
        { name: 'thanos', url: 'http://thanos-receive.thanos.svc:19291/api/v1/receive', headers: { 'THANOS-TENANT': 'management' } },
      ]);
      expect(t.grafana.additionalDataSources[0]).toMatchObject({ name: 'Thanos', url: 'http://thanos-query-frontend.thanos.svc:9090' });
      expect(renderComponent(kps, withThanos, 'management').objects!.map((o) => o.metadata.name)).toContain('allow-grafana-thanos');
      const noThanos = values(testEnvironment({ config: { components: { thanos: { enabled: false } } } }), 'management');
      expect(noThanos.prometheus.prometheusSpec.remoteWrite).toBeUndefined();
      expect(noThanos.grafana.additionalDataSources).toBeUndefined();
    });

    it('keeps the ops Grafana seeing every cluster when Thanos enforces tenancy: one datasource per tenant', () => {
      const enforced = testEnvironment({
        workloadClusters: ['apps-a', 'apps-b'],
        config: { components: { thanos: { enabled: true, query: { enforceTenancy: true } } } },
      });
      const ds = values(enforced, 'management').grafana.additionalDataSources as Any[];
      // Thanos answers a query only for the tenant in its header: without one, a datasource sees nothing.
      expect(ds.map((d) => d.secureJsonData?.httpHeaderValue1)).toEqual(['apps-a', 'apps-b', 'management']);
      for (const d of ds) expect(d.jsonData.httpHeaderName1).toBe('THANOS-TENANT');
      expect(ds.some((d) => d.isDefault)).toBe(false);
    });

    it('sets only keys the chart declares', () => {
      expectKeysInChartValues(v, pin.chart, pin.version, CHECK);
      expectKeysInChartValues(values(testEnvironment({ flavor: 'prod' }), 'management'), pin.chart, pin.version, CHECK);
    });
  });

  describe('workload', () => {
    const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b'] });
    const v = values(env, 'apps-b');

    it('remote-writes to Thanos receive on the management cluster as its own tenant', () => {
      const rw = v.prometheus.prometheusSpec.remoteWrite[0];
      expect(rw.url).toBe('https://thanos-receiver.ops.test.example.com/api/v1/receive');
      expect(rw.headers).toEqual({ 'THANOS-TENANT': 'apps-b' });
      expect(rw.basicAuth).toEqual({ username: { name: 'thanos-remote-write', key: 'username' }, password: { name: 'thanos-remote-write', key: 'password' } });
      expect(v.prometheus.prometheusSpec.externalLabels).toEqual({ cluster: 'apps-b' });
    });

    it('sends alerts to the management Alertmanager with file-based basic auth', () => {
      const am = v.prometheus.prometheusSpec.additionalAlertManagerConfigs[0];
      expect(am.static_configs).toEqual([{ targets: ['alertmanager.ops.test.example.com:443'] }]);
      expect(am.basic_auth.password_file).toBe('/etc/prometheus/secrets/alertmanager-writer/password');
      expect(v.prometheus.prometheusSpec.secrets).toEqual(['alertmanager-writer']);
    });

    it('declares sender Secrets whose passwords are shared with the management cluster', () => {
      const reqs = secretsOf(env, 'apps-b');
      expect(reqs.map((r) => [r.name, r.namespace])).toEqual([
        ['thanos-remote-write', 'monitoring'],
        ['alertmanager-writer', 'monitoring'],
      ]);
      expect(reqs[0].generate!.password).toEqual({ type: 'random', shareAs: 'thanos-writer-apps-b' });
      expect(reqs[1].generate!.password).toEqual({ type: 'random', shareAs: 'alertmanager-writer-apps-b' });
    });

    it('runs a user-facing Alertmanager and no Grafana', () => {
      expect(v.grafana).toEqual({ enabled: false, forceDeployDashboards: false });
      expect(v.alertmanager.enabled).toBe(true);
      expect(renderComponent(kps, env, 'apps-b').objects!.filter((o) => o.kind === 'Ingress')).toEqual([]);
      expect(v.alertmanager.config.route.receiver).toBe('null');
      expect(JSON.stringify(v.alertmanager.config)).not.toContain('cluster');
    });

    it('lets Prometheus reach the management cluster on 443 and not the other way round', () => {
      const names = renderComponent(kps, env, 'apps-b').objects!.map((o) => o.metadata.name);
      expect(names).toContain('allow-management-push');
      expect(names).not.toContain('allow-ingress-grafana');
    });

    it("lets the developers' Alertmanager reach the receivers they configure", () => {
      const receivers = renderComponent(kps, env, 'apps-b').objects!.find((o) => o.metadata.name === 'allow-alert-receivers') as Any;
      expect(receivers.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } });
      expect(receivers.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    });

    it('sets only keys the chart declares', () => {
      expectKeysInChartValues(v, pin.chart, pin.version, CHECK);
    });
  });

  it('never puts secret material into values or objects', () => {
    const env = testEnvironment({ flavor: 'prod' });
    for (const cluster of ['management', 'workload']) {
      const out = renderComponent(kps, env, cluster);
      const text = JSON.stringify(out.values) + toYamlDocuments((out.objects ?? []) as K8sObject[]);
      expect(text).not.toMatch(/prom-operator|adminPassword|"(api_key|password|client_secret|webhookurl)":"/);
    }
  });
});

describe('custom resource metrics for the Flux and Gatekeeper alerts', () => {
  const ksm = (env: ReturnType<typeof testEnvironment>) => values(env, 'management')['kube-state-metrics'] as Any;

  it('turn Flux objects into gotk_resource_info with Ready and suspend, readable by kube-state-metrics', () => {
    const k = ksm(testEnvironment());
    const kinds = k.customResourceState.config.spec.resources.map((r: Any) => r.groupVersionKind.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Kustomization', 'HelmRelease', 'GitRepository']));
    const helmRelease = k.customResourceState.config.spec.resources.find((r: Any) => r.groupVersionKind.kind === 'HelmRelease');
    expect(helmRelease.metricNamePrefix).toBe('gotk');
    expect(helmRelease.metrics[0].labelsFromPath).toMatchObject({ ready: ['status', 'conditions', '[type=Ready]', 'status'], suspended: ['spec', 'suspend'] });
    expect(k.rbac.extraRules).toContainEqual({ apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs: ['list', 'watch'] });
  });

  it("export each Gatekeeper constraint's audit violations, only where Gatekeeper runs", () => {
    const k = ksm(testEnvironment());
    const constraint = k.customResourceState.config.spec.resources.find((r: Any) => r.groupVersionKind.group === 'constraints.gatekeeper.sh');
    expect(constraint.metrics[0].each.gauge.path).toEqual(['status', 'totalViolations']);
    expect(k.rbac.extraRules.find((r: Any) => r.apiGroups[0] === 'constraints.gatekeeper.sh').resources).toContain('ck8sdisallowlatesttag');
    const without = ksm(testEnvironment({ config: { components: { gatekeeper: { enabled: false }, gatekeeperConstraints: { enabled: false } } } }));
    expect(without.customResourceState.config.spec.resources.some((r: Any) => r.groupVersionKind.group === 'constraints.gatekeeper.sh')).toBe(false);
    expect(without.rbac.extraRules.some((r: Any) => r.apiGroups[0] === 'constraints.gatekeeper.sh')).toBe(false);
  });
});
