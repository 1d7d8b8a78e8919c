import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@ck8s/manifest';
import { componentSettings } from '../catalog';
import { renderComponent, testEnvironment } from '../testing';
import { userRbac } from '.';
import type { PolicyRule } from './roles';
import { userNamespaces, userRbacSettingsProblems } from './settings';

const TEAM = {
  namespaces: ['shop', 'legacy'],
  namespacePodSecurity: { legacy: 'baseline' },
  admins: { users: ['alice'], groups: ['devs'] },
  viewers: { groups: ['auditors'] },
};

const env = (userRbacSettings: Record<string, unknown> = TEAM, extra: Record<string, unknown> = {}, flavor: 'dev' | 'prod' = 'dev') =>
  testEnvironment({ flavor, config: { components: { userRbac: userRbacSettings, ...extra } } });
const render = (e = env()) => renderComponent(userRbac, e, 'workload');
const objects = (e = env()) => render(e).objects!;
const find = (list: K8sObject[], kind: string, name: string, namespace?: string) =>
  list.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
const rulesOf = (list: K8sObject[], role: string) => find(list, 'ClusterRole', role)!.rules as PolicyRule[];

/** Cluster-scoped resources (and namespaced ones only the platform may write) no user role may name. */
const FORBIDDEN = [
  'nodes',
  'namespaces',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'storageclasses',
  'priorityclasses',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'daemonsets',
];

describe('user-rbac', () => {
  it('runs on workload clusters only and is enabled by default', () => {
    expect(userRbac.roles).toEqual(['workload']);
    expect(componentSettings(userRbac, testEnvironment().clusters[1].settings.components).enabled).toBe(true);
  });

  it('creates the user namespaces with Pod Security labels, restricted unless overridden', () => {
    const list = objects();
    expect(find(list, 'Namespace', 'shop')!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(find(list, 'Namespace', 'legacy')!.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(userNamespaces(env().clusters[1])).toEqual([
      { name: 'shop', podSecurity: 'restricted' },
      { name: 'legacy', podSecurity: 'baseline' },
    ]);
  });

  it('creates no NetworkPolicy in user namespaces: teams own them', () => {
    expect(objects().filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  it('binds admins and viewers in every user namespace through RoleBindings', () => {
    const list = objects();
    for (const ns of ['shop', 'legacy']) {
      const admin = find(list, 'RoleBinding', 'user-admin', ns)!;
      expect(admin.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'user-admin' });
      expect(admin.subjects).toEqual([
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      ]);
      expect(find(list, 'RoleBinding', 'user-view', ns)!.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'auditors' }]);
    }
    // user-admin and user-view are never granted cluster-wide.
    const crbs = list.filter((o) => o.kind === 'ClusterRoleBinding');
    expect(crbs.map((o) => (o.roleRef as { name: string }).name)).toEqual(['user-namespace-viewer']);
  });

  it('renders no binding for empty subject lists', () => {
    const list = objects(env({ namespaces: ['shop'] }));
    expect(list.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(list.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/user-admin', 'ClusterRole/user-view', 'Namespace/shop']);
  });

  it('keeps user-admin to namespaced workload administration', () => {
    const rules = rulesOf(objects(), 'user-admin');
    for (const r of rules) {
      expect(r.apiGroups).not.toContain('*');
      expect(r.resources).not.toContain('*');
      expect(r.verbs).not.toContain('*');
      for (const verb of ['escalate', 'bind', 'impersonate']) expect(r.verbs).not.toContain(verb);
      for (const resource of FORBIDDEN) expect(r.resources, `user-admin must not touch ${resource}`).not.toContain(resource);
    }
    const can = (group: string, resource: string, verb: string) =>
      rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(can('apps', 'deployments', 'create')).toBe(true);
    expect(can('', 'secrets', 'update')).toBe(true);
    expect(can('networking.k8s.io', 'networkpolicies', 'create')).toBe(true);
    expect(can('', 'pods/exec', 'create')).toBe(true);
    expect(can('', 'resourcequotas', 'update')).toBe(false);
    expect(can('', 'limitranges', 'delete')).toBe(false);
  });

  it('keeps user-view read-only, without Secrets or a shell', () => {
    const rules = rulesOf(objects(), 'user-view');
    for (const r of rules) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect(r.resources).not.toContain('secrets');
      expect(r.resources).not.toContain('pods/exec');
      expect(r.resources).not.toContain('*');
      for (const resource of FORBIDDEN) expect(r.resources).not.toContain(resource);
    }
  });

  it('lets admins and viewers list namespaces, nothing more, cluster-wide', () => {
    const list = objects();
    expect(rulesOf(list, 'user-namespace-viewer')).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(list, 'ClusterRoleBinding', 'user-namespace-viewer')!.subjects).toHaveLength(3);
  });

  it('grants custom resources only of enabled components', () => {
    const groups = (e: ReturnType<typeof env>) => rulesOf(objects(e), 'user-admin').flatMap((r) => r.apiGroups);
    expect(groups(env(TEAM, { kubePrometheusStack: { enabled: true } }))).toContain('monitoring.coreos.com');
    expect(groups(env(TEAM, { kubePrometheusStack: { enabled: false } }))).not.toContain('monitoring.coreos.com');
    expect(groups(env(TEAM, { certManager: { enabled: false } }))).not.toContain('cert-manager.io');
  });

  it('makes the admins owners of a self-service tenant when Capsule runs', () => {
    const out = render();
    expect(out.config).toHaveLength(1);
    const tenant = out.config![0] as K8sObject & {
      spec: { owners: { kind: string; name: string; clusterRoles: string[] }[]; namespaceOptions: { quota: number } };
    };
    expect([tenant.apiVersion, tenant.kind, tenant.metadata.name]).toEqual(['capsule.clastix.io/v1beta2', 'Tenant', 'apps']);
    expect(tenant.spec.owners).toEqual([
      { kind: 'User', name: 'alice', clusterRoles: ['user-admin', 'capsule-namespace-deleter'] },
      { kind: 'Group', name: 'devs', clusterRoles: ['user-admin', 'capsule-namespace-deleter'] },
    ]);
    expect(tenant.spec.namespaceOptions.quota).toBe(10);
    expect(userRbac.dependsOn).toContain('capsule');
  });

  it('drops the tenant with Capsule, with self-service off, or without admins', () => {
    expect(render(env(TEAM, { capsule: { enabled: false } })).config).toBeUndefined();
    expect(render(env({ ...TEAM, selfService: { enabled: false } })).config).toBeUndefined();
    expect(render(env({ ...TEAM, admins: { users: [], groups: [] } })).config).toBeUndefined();
  });

  it('validates namespace names and overrides', () => {
    expect(() => env({ namespaces: ['kube-apps'] })).toThrow(/reserved/);
    expect(() => env({ namespaces: ['shop', 'shop'] })).toThrow(/unique/);
    expect(() => env({ namespaces: ['shop'], namespacePodSecurity: { other: 'baseline' } })).toThrow(/not one of the user namespaces/);
    expect(() => render(env({ namespaces: ['monitoring'] }, { kubePrometheusStack: { enabled: true } }))).toThrow(/platform namespace/);
  });

  it('flags privileged user namespaces outside dev', () => {
    const s = { namespaces: ['a', 'b'], podSecurity: 'restricted' as const, namespacePodSecurity: { b: 'privileged' as const } };
    expect(userRbacSettingsProblems('prod', s)).toEqual([
      { path: ['namespacePodSecurity', 'b'], message: expect.stringContaining('b enforces Pod Security "privileged"') },
    ]);
    expect(userRbacSettingsProblems('prod', { ...s, podSecurity: 'privileged' }).map((p) => p.path)).toEqual([['podSecurity'], ['namespacePodSecurity', 'b']]);
    expect(userRbacSettingsProblems('dev', s)).toEqual([]);
    expect(userRbacSettingsProblems('prod', { ...s, namespacePodSecurity: { b: 'baseline' } })).toEqual([]);
  });

  it('has the config loader report privileged user namespaces outside dev, at the key that sets the level', () => {
    expect(() => env({ ...TEAM, namespacePodSecurity: { legacy: 'privileged' } }, {}, 'prod')).toThrow(
      /config\.yaml:\d+:\d+: components\.userRbac\.namespacePodSecurity\.legacy: user namespace legacy enforces Pod Security "privileged"/,
    );
    expect(() => env({ ...TEAM, podSecurity: 'privileged' }, {}, 'prod')).toThrow(
      /config\.yaml:\d+:\d+: components\.userRbac\.podSecurity: user namespaces would enforce Pod Security "privileged"/,
    );
    expect(() => env({ ...TEAM, podSecurity: 'privileged' })).not.toThrow();
    expect(() => env(TEAM, {}, 'prod')).not.toThrow();
  });
});
