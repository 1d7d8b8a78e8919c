import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { certManager } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('cert-manager');
const render = (env = testEnvironment(), cluster = 'workload') => renderComponent(certManager, env, cluster);
const values = (env = testEnvironment(), cluster = 'workload') => render(env, cluster).values as Any;
const issuers = (env = testEnvironment(), cluster = 'workload') => (render(env, cluster).config ?? []).filter((o) => o.kind === 'ClusterIssuer') as Any[];
const solverClasses = (env: ReturnType<typeof testEnvironment>) =>
  issuers(env)
    .filter((i) => i.spec.acme)
    .map((i) => i.spec.acme.solvers[0].http01.ingress.ingressClassName);

describe('cert-manager', () => {
  it("answers HTTP-01 challenges on the class the cluster's ingress controller serves", () => {
    expect(solverClasses(testEnvironment())).toEqual(['traefik', 'traefik']);
    // A renamed class, or ingress-nginx with its own class: the solver follows, or no challenge is ever answered.
    expect(solverClasses(testEnvironment({ config: { components: { ingress: { className: 'edge' } } } }))).toEqual(['edge', 'edge']);
    expect(solverClasses(testEnvironment({ config: { components: { ingress: { controller: 'ingress-nginx', className: 'nginx' } } } }))).toEqual([
      'nginx',
      'nginx',
    ]);
    // An explicit choice still wins (a second controller dedicated to challenges).
    expect(solverClasses(testEnvironment({ config: { components: { certManager: { ingressClass: 'acme' } } } }))).toEqual(['acme', 'acme']);
  });

  it("offers both Let's Encrypt issuers with the configured account e-mail, and the private CA only when chosen", () => {
    const names = (env: ReturnType<typeof testEnvironment>) => issuers(env).map((i) => i.metadata.name);
    expect(names(testEnvironment())).toEqual(['letsencrypt-staging', 'letsencrypt-prod']);
    expect(issuers().every((i) => i.spec.acme.email === 'ops@example.com')).toBe(true);
    expect(componentSecrets(certManager, testEnvironment(), 'workload')).toEqual([]);

    const ca = testEnvironment({ config: { certificates: { email: 'ops@example.com', issuer: 'custom-ca', customCASecret: 'corp-ca' } } });
    const custom = issuers(ca).find((i) => i.metadata.name === 'custom-ca')!;
    expect(custom.spec).toEqual({ ca: { secretName: 'corp-ca' } });
    const [req] = componentSecrets(certManager, ca, 'workload');
    expect([req.name, req.namespace, req.keys]).toEqual(['corp-ca', 'cert-manager', ['tls.crt', 'tls.key']]);
  });

  it('dev runs single replicas; prod keeps every part available through node drains', () => {
    const dev = values();
    expect([dev.replicaCount, dev.webhook.replicaCount, dev.cainjector.replicaCount]).toEqual([1, 1, 1]);
    expect(dev.podDisruptionBudget.enabled).toBe(false);
    const prod = values(testEnvironment({ flavor: 'prod' }));
    expect([prod.replicaCount, prod.webhook.replicaCount, prod.cainjector.replicaCount]).toEqual([2, 2, 2]);
    for (const part of [prod, prod.webhook, prod.cainjector]) expect(part.podDisruptionBudget.enabled).toBe(true);
  });

  it('opens the webhook to the API server and the controller to ACME servers, nothing else', () => {
    const objects = render().objects as Any[];
    const webhook = objects.find((o) => o.metadata.name === 'allow-webhook')!;
    expect(webhook.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'webhook' } });
    expect(webhook.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }]);
    const acme = objects.find((o) => o.metadata.name === 'allow-acme')!;
    expect(acme.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'controller' } });
    // The HTTP-01 self-check of this cluster's own hostnames may land directly on the ingress pods.
    const selfCheck = objects.find((o) => o.metadata.name === 'allow-acme-self-check')!;
    expect(selfCheck.spec.podSelector).toEqual(acme.spec.podSelector);
    expect(selfCheck.spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }]);
    expect(selfCheck.spec.egress[0].ports.map((p: Any) => p.port)).toEqual(expect.arrayContaining([80, 8000]));
  });

  it('is scraped only when kube-prometheus-stack runs', () => {
    expect(values().prometheus.servicemonitor.enabled).toBe(true);
    const off = testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } });
    expect(values(off).prometheus).toEqual({ enabled: false, servicemonitor: { enabled: false } });
    expect(render(off).objects!.map((o) => o.metadata.name)).not.toContain('allow-metrics');
  });

  it('sets only keys the chart declares', () => {
    for (const flavor of ['dev', 'prod'] as const) expectKeysInChartValues(values(testEnvironment({ flavor })), pin.chart, pin.version);
  });
});
