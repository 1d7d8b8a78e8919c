import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { gatekeeper, TEMPLATES } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('gatekeeper');

describe('gatekeeper', () => {
  const env = testEnvironment();

  it('ships one ConstraintTemplate per policy, named after its kind, with the Rego package to match', () => {
    const config = renderComponent(gatekeeper, env, 'workload').config!;
    const templates = config.filter((o) => o.kind === 'ConstraintTemplate') as Any[];
    expect(templates.map((t) => t.spec.crd.spec.names.kind)).toEqual(TEMPLATES.map((t) => t.kind));
    for (const t of templates) {
      expect(t.metadata.name).toBe(t.spec.crd.spec.names.kind.toLowerCase());
      const rego: string = t.spec.targets[0].rego;
      expect(rego.startsWith(`package ${t.metadata.name}\n`)).toBe(true);
      expect(rego).toContain('violation[{"msg": msg}]');
      // Cheap syntax guard (no Rego evaluator runs here): braces and brackets balance.
      for (const [open, close] of [
        ['{', '}'],
        ['[', ']'],
        ['(', ')'],
      ])
        expect(rego.split(open).length, `${t.metadata.name} ${open}`).toBe(rego.split(close).length);
    }
  });

  it('declares parameter schemas for the templates that take parameters', () => {
    const byKind = Object.fromEntries(TEMPLATES.map((t) => [t.kind, t]));
    expect(byKind.Ck8sAllowedRegistries.parameters).toMatchObject({ properties: { registries: { type: 'array' } } });
    expect(byKind.Ck8sRequireResourceRequests.parameters).toMatchObject({ properties: { resources: { type: 'array' } } });
  });

  it('excludes the platform namespaces by name and syncs NetworkPolicies for the referential rule', () => {
    const cfg = renderComponent(gatekeeper, env, 'workload').config!.find((o) => o.kind === 'Config') as Any;
    expect(cfg.metadata).toMatchObject({ name: 'config', namespace: 'gatekeeper-system' });
    const excluded: string[] = cfg.spec.match[0].excludedNamespaces;
    expect(excluded).toEqual(expect.arrayContaining(['kube-system', 'flux-system', 'gatekeeper-system', 'monitoring', 'cert-manager', 'ingress']));
    expect(excluded).not.toContain('default');
    expect(cfg.spec.sync.syncOnly).toContainEqual({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' });
  });

  it('checks workloads as the pods they create', () => {
    const expansions = renderComponent(gatekeeper, env, 'workload').config!.filter((o) => o.kind === 'ExpansionTemplate') as Any[];
    expect(expansions.map((e) => e.spec.templateSource)).toEqual(['spec.template', 'spec.jobTemplate.spec.template']);
  });

  it('dev: one replica; prod: three, with a PodDisruptionBudget', () => {
    expect((renderComponent(gatekeeper, env, 'workload').values as Any).replicas).toBe(1);
    const prod = renderComponent(gatekeeper, testEnvironment({ flavor: 'prod' }), 'workload').values as Any;
    expect(prod.replicas).toBe(3);
    expect(prod.pdb.controllerManager.minAvailable).toBe(1);
  });

  it('scrapes metrics with a PodMonitor only when kube-prometheus-stack is enabled', () => {
    expect(renderComponent(gatekeeper, env, 'management').config!.map((o) => o.kind)).toContain('PodMonitor');
    const off = testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } });
    const out = renderComponent(gatekeeper, off, 'management');
    expect(out.config!.map((o) => o.kind)).not.toContain('PodMonitor');
    expect(out.objects!.map((o) => o.metadata.name)).not.toContain('allow-metrics');
  });

  it('leaves the Namespace to the namespaces component and sets only keys the chart declares', () => {
    const v = renderComponent(gatekeeper, env, 'workload').values as Any;
    expect(v.postInstall.labelNamespace.enabled).toBe(false);
    expectKeysInChartValues(v, pin.chart, pin.version);
  });
});
