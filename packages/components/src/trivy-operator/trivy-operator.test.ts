import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { trivyOperator } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('trivy-operator');
const render = (env: ReturnType<typeof testEnvironment>, cluster: string) => renderComponent(trivyOperator, env, cluster);

describe('trivy-operator', () => {
  const env = testEnvironment();

  it('runs on both roles with every scanner on by default', () => {
    expect(trivyOperator.roles).toEqual(['management', 'workload']);
    for (const cluster of ['management', 'workload']) {
      const op = (render(env, cluster).values as Any).operator;
      expect(op).toMatchObject({
        vulnerabilityScannerEnabled: true,
        configAuditScannerEnabled: true,
        rbacAssessmentScannerEnabled: true,
        exposedSecretScannerEnabled: true,
        clusterComplianceEnabled: true,
      });
    }
  });

  it('dev runs few scan jobs at a time, prod more', () => {
    expect((render(env, 'workload').values as Any).operator.scanJobsConcurrentLimit).toBe(3);
    expect((render(testEnvironment({ flavor: 'prod' }), 'workload').values as Any).operator.scanJobsConcurrentLimit).toBe(10);
  });

  it('toggles scanners and severities from settings', () => {
    const custom = testEnvironment({
      config: { components: { trivyOperator: { infraAssessmentScanner: false, severities: ['HIGH', 'CRITICAL'], ignoreUnfixed: true } } },
    });
    const v = render(custom, 'workload').values as Any;
    expect(v.operator.infraAssessmentScannerEnabled).toBe(false);
    expect(v.trivy).toEqual({ severity: 'HIGH,CRITICAL', ignoreUnfixed: true });
  });

  it('exposes metrics through a ServiceMonitor only when kube-prometheus-stack is enabled', () => {
    expect((render(env, 'workload').values as Any).serviceMonitor.enabled).toBe(true);
    const off = testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } });
    const out = render(off, 'workload');
    expect((out.values as Any).serviceMonitor.enabled).toBe(false);
    expect(out.objects!.map((o) => o.metadata.name)).not.toContain('allow-metrics');
  });

  it('sets only keys the chart declares', () => {
    expectKeysInChartValues(render(env, 'workload').values, pin.chart, pin.version);
  });
});
