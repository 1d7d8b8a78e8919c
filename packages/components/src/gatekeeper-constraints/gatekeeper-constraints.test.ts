import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../gatekeeper';
import { renderComponent, testEnvironment } from '../testing';
import { CONSTRAINT_NAMES, gatekeeperConstraints } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const constraints = (env: ReturnType<typeof testEnvironment>, cluster: string) => (renderComponent(gatekeeperConstraints, env, cluster).objects ?? []) as Any[];
const byName = (list: Any[]) => Object.fromEntries(list.map((c) => [c.metadata.name, c]));

describe('gatekeeper-constraints', () => {
  const dev = testEnvironment({
    config: { components: { gatekeeperConstraints: { allowedRegistries: { registries: ['registry.example.com'], includeHarbor: false } } } },
  });

  it("workload: the full set on users' namespaces, platform namespaces excluded by name", () => {
    const c = byName(constraints(dev, 'workload'));
    expect(Object.keys(c).sort()).toEqual([
      'allowed-registries',
      'disallow-host-namespaces',
      'disallow-host-path',
      'disallow-latest-tag',
      'disallow-privileged',
      'require-network-policy',
      'require-resource-requests',
    ]);
    const excluded: string[] = c['require-network-policy'].spec.match.excludedNamespaces;
    expect(excluded).toEqual(expect.arrayContaining(['kube-system', 'monitoring', 'gatekeeper-system']));
    expect(excluded).not.toContain('default');
    expect(c['allowed-registries'].spec.parameters).toEqual({ registries: ['registry.example.com'] });
    expect(c['require-resource-requests'].spec.parameters).toEqual({ resources: ['cpu', 'memory'] });
  });

  it('management: a smaller set without the application rules', () => {
    const names = constraints(dev, 'management')
      .map((c) => c.metadata.name)
      .sort();
    expect(names).toEqual(['disallow-host-namespaces', 'disallow-host-path', 'disallow-latest-tag', 'disallow-privileged']);
  });

  it('every constraint instantiates a template the gatekeeper component ships', () => {
    const kinds = new Set(TEMPLATES.map((t) => t.kind));
    for (const c of constraints(dev, 'workload')) {
      expect(kinds.has(c.kind)).toBe(true);
      expect(c.apiVersion).toBe('constraints.gatekeeper.sh/v1beta1');
    }
  });

  it('rejects LoadBalancer Services only where the cluster does not allow them', () => {
    expect(byName(constraints(dev, 'workload'))['disallow-loadbalancer-services']).toBeUndefined();
    const safespring = testEnvironment({ provider: 'safespring' });
    const lb = byName(constraints(safespring, 'workload'))['disallow-loadbalancer-services'];
    expect(lb.spec.match.kinds).toEqual([{ apiGroups: [''], kinds: ['Service'] }]);
    const override = testEnvironment({ clusterOverrides: { workload: { network: { allowLoadBalancerServices: false } } } });
    expect(byName(constraints(override, 'workload'))['disallow-loadbalancer-services']).toBeDefined();
    expect(byName(constraints(override, 'management'))['disallow-loadbalancer-services']).toBeUndefined();
  });

  it('skips the registry rule when there is nothing to allow', () => {
    const nothing = testEnvironment({ config: { components: { gatekeeperConstraints: { allowedRegistries: { includeHarbor: false } } } } });
    expect(byName(constraints(nothing, 'workload'))['allowed-registries']).toBeUndefined();
  });

  it("allows the platform's Harbor when it runs on the management cluster", () => {
    const withHarbor = testEnvironment({
      config: { components: { harbor: { enabled: true }, gatekeeperConstraints: { allowedRegistries: { registries: ['registry.example.com'] } } } },
    });
    expect(byName(constraints(withHarbor, 'workload'))['allowed-registries'].spec.parameters.registries).toEqual([
      'harbor.test.example.com',
      'registry.example.com',
    ]);
    const without = testEnvironment({ config: { components: { harbor: { enabled: false } } } });
    expect(byName(constraints(without, 'workload'))['allowed-registries']).toBeUndefined();
  });

  it('warns in dev, denies in prod, and honours per-constraint overrides', () => {
    expect(constraints(dev, 'workload').every((c) => c.spec.enforcementAction === 'warn')).toBe(true);
    const prod = testEnvironment({
      flavor: 'prod',
      config: { components: { gatekeeperConstraints: { requireNetworkPolicy: { enforcementAction: 'warn' } } } },
    });
    const c = byName(constraints(prod, 'workload'));
    expect(c['disallow-privileged'].spec.enforcementAction).toBe('deny');
    expect(c['require-network-policy'].spec.enforcementAction).toBe('warn');
  });

  it('prod refuses policies that do not enforce', () => {
    expect(() => testEnvironment({ flavor: 'prod', config: { components: { gatekeeperConstraints: { defaultEnforcementAction: 'warn' } } } })).toThrow(
      /must be enforced/,
    );
    expect(() =>
      testEnvironment({ flavor: 'prod', config: { components: { gatekeeperConstraints: { disallowHostPath: { enforcementAction: 'dryrun' } } } } }),
    ).toThrow(/dryrun does not enforce/);
  });

  it('toggles single constraints and vanishes without Gatekeeper', () => {
    const off = testEnvironment({ config: { components: { gatekeeperConstraints: { disallowLatestTag: { enabled: false } } } } });
    expect(constraints(off, 'workload').map((c) => c.metadata.name)).not.toContain('disallow-latest-tag');
    const noGk = testEnvironment({ config: { components: { gatekeeper: { enabled: false } } } });
    expect(constraints(noGk, 'workload')).toEqual([]);
  });

  it('CONSTRAINT_NAMES (what exemptions may name) is exactly what the component can render', () => {
    const everything = testEnvironment({ provider: 'safespring', config: { components: { harbor: { enabled: true } } } });
    expect(
      constraints(everything, 'workload')
        .map((c) => c.metadata.name)
        .sort(),
    ).toEqual([...CONSTRAINT_NAMES].sort());
  });

  it('waits for the templates: depends on gatekeeper and its config', () => {
    expect(gatekeeperConstraints.dependsOn).toContain('gatekeeper');
    expect(gatekeeperConstraints.dependsOnConfig).toEqual(['gatekeeper']);
  });
});
