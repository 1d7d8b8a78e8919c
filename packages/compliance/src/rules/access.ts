import { dexIssuer, OIDC_APPS } from '@ck8s/components/src/dex/clients';
import { clustersWith, filesOf, Findings, key, managementOf, planned, requireComponent, setting } from '../input';
import type { EvidenceRule } from '../types';

/**
 * Every web application people log into authenticates them through Dex (OIDC), so each person has
 * an individual identity from the organisation's identity provider and no shared application login.
 */
export const oidcOnEveryUi: EvidenceRule = {
  id: 'oidc-on-every-ui',
  components: ['dex', 'kube-prometheus-stack', 'user-grafana', 'opensearch-dashboards', 'harbor'],
  title: 'every web application people log into authenticates them through Dex (OIDC)',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'dex', 'Single sign-on (Dex)')) return f.outcome();
    const issuer = dexIssuer(input.env);
    f.saw(`Dex issues identities at ${issuer}; kubectl logs in through it (kubelogin)`, filesOf(input, m.cluster.name, 'dex', 'values.yaml'), [
      key('dex', 'enabled'),
    ]);
    for (const [id, app] of Object.entries(OIDC_APPS)) {
      const p = planned(m, app.component);
      if (!p) continue;
      // The application's rendered configuration must name the issuer: that is what makes it an OIDC client.
      if (JSON.stringify(p.output).includes(issuer))
        f.saw(`${app.name} at https://${app.host(input.env)} logs in through Dex (client ${id})`, filesOf(input, m.cluster.name, app.component));
      else f.gap(`${app.name} does not log in through Dex (a defect of component ${app.component})`, '', 'no OIDC issuer', issuer, m.cluster.name);
    }
    return f.outcome();
  },
};

/** Dex delegates logins to the organisation's identity provider, and keeps no static passwords. */
export const identityProvider: EvidenceRule = {
  id: 'identity-provider',
  components: ['dex'],
  title: "logins are delegated to the organisation's identity provider, with no static passwords",
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'dex', 'Single sign-on (Dex)')) return f.outcome();
    const connectors = (setting(m.cluster, 'dex', 'connectors') as { id: string; type: string; name: string }[] | undefined) ?? [];
    if (!connectors.length)
      f.gap(
        'Dex has no identity provider connected, so nobody can log in with a personal account',
        key('dex', 'connectors'),
        [],
        '[{ type: oidc | ldap | saml | github | google, ... }]',
        m.cluster.name,
      );
    else
      f.saw(
        `Dex delegates logins to ${connectors.map((c) => `${c.name} (${c.type}, connector ${c.id})`).join(', ')}`,
        filesOf(input, m.cluster.name, 'dex', 'values.yaml'),
        [key('dex', 'connectors')],
      );
    // The rendered Dex config decides (the setting only takes effect in the dev flavor).
    const config = (planned(m, 'dex')?.output.values as { config?: { staticPasswords?: unknown[] } } | undefined)?.config;
    if (config?.staticPasswords?.length) f.gap('Dex keeps a static password login', key('dex', 'staticPasswords'), true, false, m.cluster.name);
    return f.outcome();
  },
};

/** Application teams get least-privilege roles in their own namespaces on every workload cluster. */
export const userRbac: EvidenceRule = {
  id: 'user-rbac',
  components: ['user-rbac'],
  title: 'application teams get least-privilege roles (user-admin, user-view) on every workload cluster',
  check(input) {
    const f = new Findings();
    for (const c of clustersWith(input, ['workload'])) {
      if (requireComponent(f, input, c, 'user-rbac', 'User RBAC'))
        f.saw(
          `${c.cluster.name}: ClusterRoles user-admin and user-view, bound per user namespace`,
          filesOf(input, c.cluster.name, 'user-rbac', 'objects.yaml'),
          [key('user-rbac', 'enabled')],
        );
    }
    return f.outcome();
  },
};

/** Named administrators and read-only auditors are bound by group, on every cluster. */
export const adminRbac: EvidenceRule = {
  id: 'admin-rbac',
  components: ['cluster-admin-rbac'],
  title: 'platform administrators and auditors are bound by name on every cluster',
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      if (requireComponent(f, input, c, 'cluster-admin-rbac', 'Cluster administrator RBAC'))
        f.saw(`${c.cluster.name}: administrators and auditors bound by group`, filesOf(input, c.cluster.name, 'cluster-admin-rbac', 'objects.yaml'), [
          key('cluster-admin-rbac', 'enabled'),
        ]);
    }
    return f.outcome();
  },
};
