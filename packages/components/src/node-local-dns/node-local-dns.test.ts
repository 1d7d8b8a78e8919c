import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { netpol } from '../lib/objects';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { NODE_LOCAL_DNS_IP, nodeLocalDns } from '.';

type Values = {
  config: { localDns: string; dnsServer: string; dnsDomain: string; cacheTTL: number; serveStale: { enabled: boolean } };
  serviceMonitor: { enabled: boolean };
};
const values = (env = testEnvironment(), cluster = 'workload') => renderComponent(nodeLocalDns, env, cluster).values as Values;
const withSettings = (nodeLocalDnsSettings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  testEnvironment({ config: { components: { nodeLocalDns: nodeLocalDnsSettings, ...extra } } });

describe('node-local-dns', () => {
  it('runs on both roles in kube-system, enabled by default', () => {
    expect(nodeLocalDns.roles).toEqual(['management', 'workload']);
    expect(nodeLocalDns.namespace).toBe('kube-system');
    const env = testEnvironment();
    for (const c of env.clusters) expect((c.settings.components as { nodeLocalDns: { enabled: boolean } }).nodeLocalDns.enabled).toBe(true);
  });

  it('listens on the link-local address the platform allow-dns policy opens', () => {
    expect(values().config.localDns).toBe(NODE_LOCAL_DNS_IP);
    expect(JSON.stringify(netpol.allowDns('x', 'y'))).toContain(`"${NODE_LOCAL_DNS_IP}/32"`);
  });

  it('forwards to and intercepts the configured kube-dns address', () => {
    expect(values().config.dnsServer).toBe('10.233.0.3');
    const v = values(withSettings({ clusterDnsIp: '10.96.0.10', clusterDomain: 'k8s.internal', cacheTtlSeconds: 60 }));
    expect(v.config).toMatchObject({ dnsServer: '10.96.0.10', dnsDomain: 'k8s.internal', cacheTTL: 60 });
  });

  it('rejects a kube-dns address that is not IPv4', () => {
    expect(() => withSettings({ clusterDnsIp: 'kube-dns.kube-system' })).toThrow(/clusterDnsIp/);
  });

  it('serves stale answers in prod only', () => {
    expect(values().config.serveStale.enabled).toBe(false);
    expect(values(testEnvironment({ flavor: 'prod' })).config.serveStale.enabled).toBe(true);
  });

  it('creates a ServiceMonitor only with kube-prometheus-stack', () => {
    expect(values(withSettings({}, { kubePrometheusStack: { enabled: false } })).serviceMonitor.enabled).toBe(false);
    expect(values(withSettings({}, { kubePrometheusStack: { enabled: true } })).serviceMonitor.enabled).toBe(true);
  });

  it('sets only keys the node-local-dns chart has', () => {
    const pin = chartPin('node-local-dns');
    for (const flavor of ['dev', 'prod'] as const) {
      for (const cluster of ['management', 'workload']) expectKeysInChartValues(values(testEnvironment({ flavor }), cluster), pin.chart, pin.version);
    }
  });
});
