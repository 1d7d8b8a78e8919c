import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@ck8s/manifest';
import { componentSettings } from '../catalog';
import { renderComponent, testEnvironment } from '../testing';
import type { PolicyRule } from '../user-rbac/roles';
import { clusterAdminRbac, PLATFORM_VIEWER_ROLE } from '.';

const env = (settings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  testEnvironment({ config: { components: { clusterAdminRbac: settings, ...extra } } });
const objects = (e: ReturnType<typeof env>, cluster = 'workload') => renderComponent(clusterAdminRbac, e, cluster).objects!;
const byName = (list: K8sObject[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);
const viewerRules = (list: K8sObject[]) => byName(list, 'ClusterRole', `${PLATFORM_VIEWER_ROLE}-cluster`)!.rules as PolicyRule[];

const ADMINS = { users: ['root@example.com'], groups: ['platform-team'] };
const AUDITORS = { groups: ['auditors'] };

describe('cluster-admin-rbac', () => {
  it('runs on both roles, enabled by default, and renders nothing without names', () => {
    expect(clusterAdminRbac.roles).toEqual(['management', 'workload']);
    const e = testEnvironment();
    for (const c of e.clusters) {
      expect(componentSettings(clusterAdminRbac, c.settings.components).enabled).toBe(true);
      expect(objects(e, c.name)).toEqual([]);
    }
  });

  it('binds cluster-admin to the configured administrators only', () => {
    const list = objects(env({ admins: ADMINS }));
    expect(list.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRoleBinding/platform-admins']);
    const crb = list[0];
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(crb.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'root@example.com' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-team' },
    ]);
  });

  it('gives auditors read-only platform-viewer, aggregated from view plus cluster reads', () => {
    const list = objects(env({ viewers: AUDITORS }));
    expect(byName(list, 'ClusterRoleBinding', 'platform-admins')).toBeUndefined();
    const crb = byName(list, 'ClusterRoleBinding', 'platform-viewers')!;
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PLATFORM_VIEWER_ROLE });
    expect(crb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'auditors' }]);
    const role = byName(list, 'ClusterRole', PLATFORM_VIEWER_ROLE)!;
    expect(role.rules).toBeUndefined();
    const selectors = (role.aggregationRule as { clusterRoleSelectors: { matchLabels: Record<string, string> }[] }).clusterRoleSelectors.map(
      (s) => s.matchLabels,
    );
    expect(selectors).toContainEqual({ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const part = byName(list, 'ClusterRole', `${PLATFORM_VIEWER_ROLE}-cluster`)!;
    for (const sel of selectors.filter((s) => !('rbac.authorization.k8s.io/aggregate-to-view' in s))) expect(part.metadata.labels).toMatchObject(sel);
  });

  it('never lets auditors write or read Secrets', () => {
    const rules = viewerRules(objects(env({ viewers: AUDITORS })));
    for (const r of rules) {
      expect(r.verbs).toEqual(['get', 'list', 'watch']);
      expect(r.resources).not.toContain('secrets');
      if (r.resources.includes('*')) expect(r.apiGroups).not.toContain('');
    }
    const reads = (group: string, resource: string) =>
      rules.some((r) => r.apiGroups.includes(group) && (r.resources.includes(resource) || r.resources.includes('*')));
    for (const [g, r] of [
      ['', 'nodes'],
      ['rbac.authorization.k8s.io', 'clusterrolebindings'],
      ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
      ['helm.toolkit.fluxcd.io', 'helmreleases'],
    ])
      expect(reads(g, r), `${g}/${r}`).toBe(true);
  });

  it('lists custom resource groups only of enabled components', () => {
    const groups = (e: ReturnType<typeof env>) => viewerRules(objects(e)).flatMap((r) => r.apiGroups);
    expect(groups(env({ viewers: AUDITORS }))).toContain('capsule.clastix.io');
    // Every group Gatekeeper installs, expansion templates included.
    expect(groups(env({ viewers: AUDITORS }))).toEqual(expect.arrayContaining(['expansion.gatekeeper.sh', 'constraints.gatekeeper.sh', 'traefik.io']));
    expect(groups(env({ viewers: AUDITORS }, { gatekeeper: { enabled: false } }))).not.toContain('expansion.gatekeeper.sh');
    expect(groups(env({ viewers: AUDITORS }, { capsule: { enabled: false } }))).not.toContain('capsule.clastix.io');
    expect(groups(env({ viewers: AUDITORS }, { kubePrometheusStack: { enabled: false } }))).not.toContain('monitoring.coreos.com');
    // Capsule runs on workload clusters only.
    expect(viewerRules(objects(env({ viewers: AUDITORS }), 'management')).flatMap((r) => r.apiGroups)).not.toContain('capsule.clastix.io');
  });
});
