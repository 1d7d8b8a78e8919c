import { describe, expect, it } from 'vitest';
import { renderComponent, testEnvironment } from '../testing';
import { namespaces } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const objects = (env = testEnvironment(), cluster = 'management') => renderComponent(namespaces, env, cluster).objects as Any[];
const namespace = (objs: Any[], name: string): Any => objs.find((o) => o.kind === 'Namespace' && o.metadata.name === name)!;
const psa = (ns: Any) =>
  Object.fromEntries(
    Object.entries(ns.metadata.labels as Record<string, string>)
      .filter(([k]) => k.startsWith('pod-security'))
      .map(([k, v]) => [k.split('/')[1], v]),
  );

describe('namespaces', () => {
  it('creates the namespace of every enabled component, never those Kubernetes or Flux own', () => {
    const names = objects()
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['cert-manager', 'ingress', 'monitoring', 'dex', 'thanos']));
    for (const system of ['kube-system', 'flux-system', 'default']) expect(names).not.toContain(system);
    // A namespace disappears with the last component living in it.
    const noDex = objects(testEnvironment({ config: { components: { dex: { enabled: false } } } }))
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name);
    expect(noDex).not.toContain('dex');
  });

  it('enforces the most permissive level any component in a shared namespace needs', () => {
    const objs = objects();
    // monitoring holds kube-prometheus-stack (node-exporter: privileged) and the blackbox exporter (restricted).
    expect(psa(namespace(objs, 'monitoring')).enforce).toBe('privileged');
    expect(psa(namespace(objs, 'dex')).enforce).toBe('restricted');
  });

  it('audits and warns at the configured level, never above what is enforced', () => {
    expect(psa(namespace(objects(), 'monitoring'))).toEqual({ enforce: 'privileged', audit: 'restricted', warn: 'restricted' });
    const baseline = objects(testEnvironment({ config: { components: { namespaces: { auditLevel: 'baseline' } } } }));
    expect(psa(namespace(baseline, 'monitoring'))).toEqual({ enforce: 'privileged', audit: 'baseline', warn: 'baseline' });
    expect(psa(namespace(baseline, 'dex'))).toEqual({ enforce: 'restricted', audit: 'restricted', warn: 'restricted' });
  });

  it('locks every namespace it creates down by default, with DNS as the only allowed traffic', () => {
    const objs = objects(testEnvironment(), 'workload');
    const created = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    for (const ns of created) {
      const deny = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === 'default-deny');
      expect(deny?.spec, ns).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const dns = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === 'allow-dns');
      expect(
        dns?.spec.egress[0].ports.map((p: Any) => p.port),
        ns,
      ).toEqual([53, 53]);
    }
    expect(objs.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(created.length * 2);
  });
});
