import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { metricsServer } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('metrics-server');
const values = (env = testEnvironment(), cluster = 'workload') => renderComponent(metricsServer, env, cluster).values as Any;

describe('metrics-server', () => {
  it('verifies kubelet certificates unless told the kubelets serve self-signed ones', () => {
    expect(values().args).not.toContain('--kubelet-insecure-tls');
    expect(values(testEnvironment({ config: { components: { metricsServer: { kubeletInsecureTls: true } } } })).args).toContain('--kubelet-insecure-tls');
  });

  it('dev runs one replica; prod two with a PodDisruptionBudget', () => {
    expect(values().replicas).toBe(1);
    expect(values().podDisruptionBudget.enabled).toBe(false);
    const prod = values(testEnvironment({ flavor: 'prod' }));
    expect(prod.replicas).toBe(2);
    expect(prod.podDisruptionBudget.enabled).toBe(true);
  });

  it('is scraped only when kube-prometheus-stack runs', () => {
    expect(values().serviceMonitor.enabled).toBe(true);
    expect(values(testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } })).serviceMonitor.enabled).toBe(false);
  });

  it('sets only keys the chart declares', () => {
    // `resources` is a container's resources block, passed through as it is (the chart only comments out `limits`).
    for (const flavor of ['dev', 'prod'] as const)
      expectKeysInChartValues(values(testEnvironment({ flavor })), pin.chart, pin.version, { allow: ['resources'] });
  });
});
