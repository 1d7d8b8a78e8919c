import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigErrors } from '@ck8s/config';
import { hasShared, sharedDir } from '@ck8s/testing';
import type { K8sObject } from '@ck8s/manifest';
import { componentSettings } from '../catalog';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { capsule, capsuleSettingsProblems, TENANT_API } from '.';

type Owner = { kind: string; name: string; clusterRoles?: string[] };
type Values = {
  replicaCount: number;
  manager: {
    options: { users: Owner[]; forceTenantPrefix: boolean; protectedNamespaceRegex: string };
    rbac: { strict: boolean; bindableClusterRoles: string[] };
  };
  monitoring: { serviceMonitor: { enabled: boolean } };
};
type TenantSpec = {
  owners: Owner[];
  namespaceOptions: { quota: number; additionalMetadataList: { labels: Record<string, string> }[]; forbiddenLabels: { deniedRegex: string } };
  containerRegistries?: { allowed: string[] };
  resourceQuotas?: { scope: string; items: { hard: Record<string, string> }[] };
  serviceOptions: { allowedServices: Record<string, boolean> };
  ingressOptions?: { allowedClasses: { allowed: string[] } };
};

const TEAM_A = {
  name: 'team-a',
  owners: [
    { kind: 'Group', name: 'team-a-devs' },
    { kind: 'User', name: 'alice@example.com' },
  ],
  namespaceQuota: 3,
  resourceQuota: { 'requests.cpu': '8', 'requests.memory': '32Gi' },
  allowedRegistries: ['harbor.test.example.com'],
};
const TEAM_B = { name: 'team-b', owners: [{ kind: 'Group', name: 'team-b-devs' }] };

const env = (components: Record<string, unknown> = {}, flavor: 'dev' | 'prod' = 'dev') => testEnvironment({ flavor, config: { components } });
const render = (e = env()) => renderComponent(capsule, e, 'workload');
const values = (e = env()) => render(e).values as Values;
const tenants = (e: ReturnType<typeof env>) => (render(e).config ?? []) as (K8sObject & { spec: TenantSpec })[];

/** Key paths of `obj` that a JSON schema does not declare (walks `properties`; stops where a map is free-form). */
function undeclared(obj: unknown, schema: Record<string, unknown> | undefined, path = ''): string[] {
  if (Array.isArray(obj)) return obj.flatMap((item, i) => undeclared(item, schema?.items as Record<string, unknown>, `${path}[${i}]`));
  if (typeof obj !== 'object' || obj === null || !schema) return [];
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props) return [];
  return Object.entries(obj).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    if (k in props) return undeclared(v, props[k], p);
    return schema.additionalProperties === true || typeof schema.additionalProperties === 'object' ? [] : [p];
  });
}

describe('capsule', () => {
  it('runs on workload clusters only, enabled by default, and provides the Capsule API', () => {
    expect(capsule.roles).toEqual(['workload']);
    expect(capsule.providesApiGroups).toEqual(['capsule.clastix.io']);
    expect(componentSettings(capsule, env().clusters[1].settings.components).enabled).toBe(true);
  });

  it('renders one Tenant per configured tenant, in config (it needs the CRD)', () => {
    const e = env({ capsule: { tenants: [TEAM_A, TEAM_B] } });
    expect(render(e).objects!.every((o) => o.kind === 'NetworkPolicy')).toBe(true);
    const list = tenants(e);
    expect(list.map((t) => [t.apiVersion, t.kind, t.metadata.name])).toEqual([
      [TENANT_API, 'Tenant', 'team-a'],
      [TENANT_API, 'Tenant', 'team-b'],
    ]);
    expect(tenants(env())).toEqual([]);
  });

  it('uses the newest Tenant version the schema catalog has', () => {
    if (!hasShared('schemas', 'crds', 'capsule.clastix.io')) return;
    const versions = readdirSync(sharedDir('schemas', 'crds', 'capsule.clastix.io'))
      .filter((f) => f.startsWith('tenant_'))
      .map((f) => f.replace(/^tenant_(.*)\.json$/, '$1'))
      .sort();
    expect(TENANT_API).toBe(`capsule.clastix.io/${versions[versions.length - 1]}`);
  });

  it('maps owners, quotas and registries from settings', () => {
    const [a, b] = tenants(env({ capsule: { tenants: [TEAM_A, TEAM_B] }, userRbac: { enabled: false } }));
    expect(a.spec.owners).toEqual([
      { kind: 'Group', name: 'team-a-devs', clusterRoles: ['admin', 'capsule-namespace-deleter'] },
      { kind: 'User', name: 'alice@example.com', clusterRoles: ['admin', 'capsule-namespace-deleter'] },
    ]);
    expect(a.spec.namespaceOptions.quota).toBe(3);
    expect(a.spec.resourceQuotas).toEqual({ scope: 'Tenant', items: [{ hard: { 'requests.cpu': '8', 'requests.memory': '32Gi' } }] });
    expect(a.spec.containerRegistries).toEqual({ allowed: ['harbor.test.example.com'] });
    expect(b.spec.namespaceOptions.quota).toBe(10);
    expect(b.spec.resourceQuotas).toBeUndefined();
    expect(b.spec.containerRegistries).toBeUndefined();
  });

  it('gives owners the least-privilege user-admin role when user-rbac runs, and lets Capsule bind only that', () => {
    const withUserRbac = env({ capsule: { tenants: [TEAM_B] } });
    expect(tenants(withUserRbac)[0].spec.owners[0].clusterRoles).toEqual(['user-admin', 'capsule-namespace-deleter']);
    expect(values(withUserRbac).manager.rbac).toEqual({ strict: true, bindableClusterRoles: ['admin', 'user-admin'] });
    const without = env({ capsule: { tenants: [TEAM_B] }, userRbac: { enabled: false } });
    expect(values(without).manager.rbac.bindableClusterRoles).toEqual(['admin']);
  });

  it('locks Pod Security labels and risky Service types in every tenant namespace', () => {
    const [t] = tenants(env({ capsule: { tenants: [{ ...TEAM_B, podSecurity: 'baseline' }] } }));
    expect(t.spec.namespaceOptions.additionalMetadataList[0].labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(new RegExp(t.spec.namespaceOptions.forbiddenLabels.deniedRegex).test('pod-security.kubernetes.io/enforce')).toBe(true);
    expect(t.spec.serviceOptions.allowedServices).toMatchObject({ nodePort: false, externalName: false });
    expect(t.spec.ingressOptions!.allowedClasses.allowed).toEqual(['traefik']);
  });

  it('follows the provider on LoadBalancer Services', () => {
    const lb = (provider: string) =>
      tenants(testEnvironment({ provider, config: { components: { capsule: { tenants: [TEAM_B] } } } }))[0].spec.serviceOptions.allowedServices.loadBalancer;
    expect(lb('exoscale')).toBe(true);
    expect(lb('safespring')).toBe(false);
  });

  it('makes exactly the owners Capsule users', () => {
    const users = values(env({ capsule: { tenants: [TEAM_A, TEAM_B] }, userRbac: { admins: { users: ['bob'], groups: ['team-a-devs'] } } })).manager.options
      .users;
    expect(users).toEqual([
      { kind: 'Group', name: 'team-a-devs' },
      { kind: 'Group', name: 'team-b-devs' },
      { kind: 'User', name: 'alice@example.com' },
      { kind: 'User', name: 'bob' },
    ]);
    expect(values(env()).manager.options.users).toEqual([]);
  });

  it('drops user-rbac admins from Capsule users when user-rbac or its self-service is off', () => {
    const admins = { admins: { users: ['bob'] } };
    expect(values(env({ userRbac: { ...admins, enabled: false } })).manager.options.users).toEqual([]);
    expect(values(env({ userRbac: { ...admins, selfService: { enabled: false } } })).manager.options.users).toEqual([]);
  });

  it("reports a tenant named like user-rbac's self-service tenant, at the user-rbac key, only when that tenant exists", () => {
    const apps = { capsule: { tenants: [{ ...TEAM_B, name: 'apps' }] } };
    const e = env({ ...apps, userRbac: { admins: { users: ['bob'] } } });
    expect(() => render(e)).toThrow(ConfigErrors);
    expect(() => render(e)).toThrow(
      /components\.userRbac\.selfService\.tenant: tenant "apps" is also declared in components\.capsule\.tenants \(cluster workload\)/,
    );
    expect(() => render(env({ ...apps, userRbac: { admins: { users: ['bob'] }, selfService: { tenant: 'self' } } }))).not.toThrow();
    expect(() => render(env({ ...apps, userRbac: { admins: { users: ['bob'] }, selfService: { enabled: false } } }))).not.toThrow();
    expect(() => render(env({ ...apps, userRbac: { admins: { users: ['bob'] }, enabled: false } }))).not.toThrow();
    expect(() => render(env(apps))).not.toThrow(); // no admins: no self-service tenant
  });

  it('protects platform namespaces from tenants', () => {
    const re = new RegExp(values().manager.options.protectedNamespaceRegex);
    for (const ns of ['kube-system', 'kube-public', 'default', 'flux-system', 'capsule-system', 'cert-manager', 'ingress']) expect(re.test(ns), ns).toBe(true);
    for (const ns of ['team-a-shop', 'apps-web']) expect(re.test(ns), ns).toBe(false);
    expect(values().manager.options.forceTenantPrefix).toBe(true);
  });

  it('rejects duplicate tenants and tenants without owners', () => {
    expect(() => env({ capsule: { tenants: [TEAM_B, TEAM_B] } })).toThrow(/duplicate tenant name "team-b"/);
    expect(() => env({ capsule: { tenants: [{ name: 'lonely', owners: [] }] } })).toThrow(/owners/);
    expect(() => env({ capsule: { tenants: [{ ...TEAM_B, resourceQuota: { 'requests.cpu': 'lots' } }] } })).toThrow(/quantity/);
  });

  it('runs two replicas in prod and flags unsafe prod settings', () => {
    expect(values().replicaCount).toBe(1);
    expect(values(env({}, 'prod')).replicaCount).toBe(2);
    expect(capsuleSettingsProblems('prod', { replicas: 1, tenants: [{ name: 'x', podSecurity: 'privileged' }] }).map((p) => p.path)).toEqual([
      ['replicas'],
      ['tenants', 0, 'podSecurity'],
    ]);
    expect(capsuleSettingsProblems('prod', { replicas: 2, tenants: [{ name: 'x', podSecurity: 'restricted' }] })).toEqual([]);
    expect(capsuleSettingsProblems('dev', { replicas: 1, tenants: [{ name: 'x', podSecurity: 'privileged' }] })).toEqual([]);
  });

  it('has the config loader report unsafe prod settings at the offending key', () => {
    expect(() => env({ capsule: { replicas: 1 } }, 'prod')).toThrow(/config\.yaml:\d+:\d+: components\.capsule\.replicas: must be at least 2 in flavor "prod"/);
    expect(() => env({ capsule: { tenants: [TEAM_B, { ...TEAM_A, podSecurity: 'privileged' }] } }, 'prod')).toThrow(
      /config\.yaml:\d+:\d+: components\.capsule\.tenants\[1\]\.podSecurity: tenant "team-a" enforces Pod Security "privileged"/,
    );
    expect(() => env({ capsule: { replicas: 1, tenants: [{ ...TEAM_A, podSecurity: 'privileged' }] } })).not.toThrow();
    expect(() => env({ capsule: { enabled: false, replicas: 1 } }, 'prod')).not.toThrow();
  });

  it('monitors itself only with kube-prometheus-stack', () => {
    const off = env({ kubePrometheusStack: { enabled: false } });
    expect(values(off).monitoring.serviceMonitor.enabled).toBe(false);
    expect(render(off).objects!.map((o) => o.metadata.name)).toEqual(['allow-apiserver', 'allow-webhook']);
    const on = env({ kubePrometheusStack: { enabled: true } });
    expect(values(on).monitoring.serviceMonitor.enabled).toBe(true);
    expect(render(on).objects!.map((o) => o.metadata.name)).toContain('allow-metrics');
  });

  it("sets only keys declared by the chart's values.schema.json", () => {
    const pin = chartPin('capsule');
    const v = values(env({ capsule: { tenants: [TEAM_A] } }, 'prod'));
    expectKeysInChartValues(v, pin.chart, pin.version);
    if (!hasShared('charts', pin.chart, pin.version, 'values.schema.json')) return;
    const schema = JSON.parse(readFileSync(sharedDir('charts', pin.chart, pin.version, 'values.schema.json'), 'utf8'));
    expect(undeclared(v, schema)).toEqual([]);
    expect(undeclared({ manager: { rbac: { stritc: true } } }, schema)).toEqual(['manager.rbac.stritc']);
  });

  it('renders Tenants with only fields the Tenant CRD schema declares', () => {
    const file = sharedDir('schemas', 'crds', 'capsule.clastix.io', `tenant_${TENANT_API.split('/')[1]}.json`);
    if (!hasShared('schemas', 'crds', 'capsule.clastix.io')) return;
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    for (const t of tenants(env({ capsule: { tenants: [TEAM_A, TEAM_B] } }))) expect(undeclared(t, schema)).toEqual([]);
    expect(undeclared({ spec: { owners: [{ kind: 'User', name: 'x', role: 'admin' }] } }, schema)).toEqual(['spec.owners[0].role']);
  });
});
