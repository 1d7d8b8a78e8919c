import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderAssuming, renderComponent, testEnvironment } from '../testing';
import { prometheusBlackboxExporter, probeTargets } from '.';

type Probe = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { module: string; prober: { url: string }; targets: { staticConfig: { static: string[]; labels: Record<string, string> } } };
};
const env3 = (components: Record<string, unknown> = {}, flavor: 'dev' | 'prod' = 'dev') =>
  testEnvironment({ flavor, workloadClusters: ['a', 'b', 'c'], config: { components } });
const probes = (env = env3(), cluster = 'management') =>
  (renderAssuming(prometheusBlackboxExporter, env, cluster, ['kube-prometheus-stack']).config ?? []) as unknown as Probe[];
const targets = (env = env3(), cluster = 'management') =>
  Object.fromEntries(probes(env, cluster).map((p) => [p.spec.module, p.spec.targets.staticConfig.static]));

describe('prometheus-blackbox-exporter', () => {
  it('on management probes every public endpoint of the enabled components', () => {
    const t = targets();
    expect(t.http_2xx).toEqual(
      expect.arrayContaining([
        'https://dex.test.example.com/.well-known/openid-configuration',
        'https://grafana.test.example.com/api/health',
        'https://opensearch.test.example.com/',
        'https://harbor.test.example.com/api/v2.0/ping',
        'https://grafana.ops.test.example.com/api/health',
      ]),
    );
    expect(t.http_401).toEqual(
      expect.arrayContaining([
        'https://thanos-receiver.ops.test.example.com/api/v1/receive',
        'https://opensearch.ops.test.example.com/',
        'https://alertmanager.ops.test.example.com/-/healthy',
      ]),
    );
  });

  it('stops probing an endpoint when its component is turned off', () => {
    const t = targets(env3({ harbor: { enabled: false }, userGrafana: { enabled: false }, dex: { enabled: false } }));
    expect(JSON.stringify(t)).not.toMatch(/harbor|dex\.|\/\/grafana\.test/);
    expect(targets(env3({ thanos: { query: { ingress: true } } })).http_401).toContain('https://thanos.ops.test.example.com/-/healthy');
  });

  it('on a workload cluster probes the management endpoints it pushes to', () => {
    for (const c of ['a', 'b', 'c']) {
      const t = targets(env3(), c);
      expect(t.http_401).toEqual([
        'https://thanos-receiver.ops.test.example.com/api/v1/receive',
        'https://opensearch.ops.test.example.com/',
        'https://alertmanager.ops.test.example.com/-/healthy',
      ]);
      expect(probes(env3(), c)[0].spec.targets.staticConfig.labels.cluster).toBe(c);
    }
    const noThanos = env3({ thanos: { enabled: false } });
    const cluster = noThanos.clusters.find((c) => c.name === 'a')!;
    expect(probeTargets(noThanos, cluster, () => true).http_401).not.toContain('https://thanos-receiver.ops.test.example.com/api/v1/receive');
  });

  it('renders Probes through the exporter, picked up by kube-prometheus-stack', () => {
    const [p] = probes();
    expect(p.spec.prober.url).toBe('prometheus-blackbox-exporter.monitoring.svc:9115');
    expect(p.metadata.labels.release).toBe('kube-prometheus-stack');
  });

  it('renders no Probes without kube-prometheus-stack', () => {
    const out = renderComponent(prometheusBlackboxExporter, env3({ kubePrometheusStack: { enabled: false } }), 'management');
    expect(out.config).toBeUndefined();
  });

  it('probes extra targets', () => {
    expect(targets(env3({ prometheusBlackboxExporter: { extraTargets: ['https://app.example.org/'] } }), 'a').http_2xx).toEqual(['https://app.example.org/']);
  });

  it('runs two replicas in prod', () => {
    expect((renderComponent(prometheusBlackboxExporter, env3({}, 'prod'), 'management').values as { replicas: number }).replicas).toBe(2);
  });

  it('sets only keys the blackbox exporter chart has', () => {
    const pin = chartPin('prometheus-blackbox-exporter');
    expectKeysInChartValues(renderComponent(prometheusBlackboxExporter, env3({}, 'prod'), 'management').values, pin.chart, pin.version, {
      allow: ['config.modules', 'resources'],
    });
  });
});
