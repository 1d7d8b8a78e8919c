import type { EnvironmentConfig } from '@ck8s/config';
import { toYaml } from '@ck8s/manifest';
import { LOG_STREAMS, logIndex, logsTarget, workloadClusters } from '../lib/wiring';
import { envName } from '../lib/naming';
import { ADMIN_USER, DASHBOARDS_USER, METRICS_ROLE, METRICS_USER } from './names';

/** Environment variables on OpenSearch pods that carry internal users' passwords. */
export const ADMIN_PASSWORD_ENV = 'OPENSEARCH_ADMIN_PASSWORD';
export const DASHBOARDS_PASSWORD_ENV = 'OPENSEARCH_DASHBOARDS_PASSWORD';

/**
 * Clusters that ship logs into this OpenSearch: every workload cluster through the public endpoint,
 * and the management cluster itself in-cluster (its own log shipper uses the same contract).
 */
export function logWriters(env: EnvironmentConfig): string[] {
  return [...workloadClusters(env).map((c) => c.name), ...env.clusters.filter((c) => c.role === 'management').map((c) => c.name)];
}

/** Key of a cluster's writer password in the users Secret. */
export const writerKey = (env: EnvironmentConfig, cluster: string) => logsTarget(env, cluster).username;
export const writerEnv = (env: EnvironmentConfig, cluster: string) => envName('OPENSEARCH', writerKey(env, cluster), 'PASSWORD');
export const writerRole = (cluster: string) => `log-writer-${cluster}`;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Index patterns a workload cluster may write: its write aliases (`logIndex(stream, cluster)`) and
 * the indices behind them (`<alias>-000001`, or dated indices). A regex, not `<alias>*`: with
 * clusters `a` and `a-b`, `kubernetes-a*` would let `a` write into `b`'s neighbour's logs.
 */
export function writerIndexPatterns(cluster: string): string[] {
  return LOG_STREAMS.map((stream) => `/${escapeRegex(logIndex(stream, cluster))}(-[0-9][0-9.]*)?/`);
}

/** What a writer may do: append documents and extend mappings. No read, update, delete or index admin. */
export const WRITER_INDEX_ACTIONS = ['indices:data/write/index', 'indices:data/write/bulk*', 'indices:admin/mapping/put'];
/** Bulk is a cluster-level action; `cluster:monitor/main` lets log shippers read the version banner. */
export const WRITER_CLUSTER_ACTIONS = ['cluster:monitor/main', 'indices:data/write/bulk'];

export interface SecurityRole {
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
  description: string;
}

export interface OidcMapping {
  adminGroups: string[];
  readerGroups: string[];
}

/**
 * What the metrics exporter reads: cluster and node health and stats, cluster settings (watermarks,
 * shard limit), snapshots, and per-index stats and settings. Nothing it could change, no documents.
 */
export const METRICS_READER: SecurityRole = {
  description: 'Monitoring APIs for the Prometheus exporter (health, stats, settings, snapshots); no document access',
  cluster_permissions: ['cluster_monitor', 'cluster:admin/snapshot/get', 'cluster:admin/repository/get', 'cluster:admin/settings/get'],
  index_permissions: [{ index_patterns: ['*'], allowed_actions: ['indices_monitor', 'indices:monitor/settings/get', 'indices:admin/aliases/get'] }],
};

/** Roles the configurer Job keeps in OpenSearch (besides the plugin's static roles); `metrics` adds the exporter's. */
export function platformRoles(env: EnvironmentConfig, metrics = false): Record<string, SecurityRole> {
  const roles: Record<string, SecurityRole> = {
    'log-reader': {
      description: 'Read application logs of every workload cluster (not audit or node logs)',
      cluster_permissions: ['cluster_composite_ops_ro'],
      index_permissions: [
        { index_patterns: workloadClusters(env).map((c) => `${logIndex('kubernetes', c.name)}*`), allowed_actions: ['read', 'indices:admin/resolve/index'] },
      ],
    },
  };
  if (metrics) roles[METRICS_ROLE] = METRICS_READER;
  for (const c of logWriters(env)) {
    roles[writerRole(c)] = {
      description: `Append-only log shipping from cluster ${c}`,
      cluster_permissions: WRITER_CLUSTER_ACTIONS,
      index_permissions: [{ index_patterns: writerIndexPatterns(c), allowed_actions: WRITER_INDEX_ACTIONS }],
    };
  }
  return roles;
}

/** Role mappings the configurer Job keeps: writers to their role, SSO groups to roles, the Dashboards server user. */
export function platformRoleMappings(
  env: EnvironmentConfig,
  oidc: OidcMapping | undefined,
  metrics = false,
): Record<string, { users: string[]; backend_roles: string[] }> {
  const mappings: Record<string, { users: string[]; backend_roles: string[] }> = {
    all_access: { users: [ADMIN_USER], backend_roles: oidc?.adminGroups ?? [] },
    kibana_server: { users: [DASHBOARDS_USER], backend_roles: [] },
    'log-reader': { users: [], backend_roles: oidc?.readerGroups ?? [] },
    kibana_user: { users: [], backend_roles: oidc ? [...oidc.adminGroups, ...oidc.readerGroups] : [] },
  };
  if (metrics) mappings[METRICS_ROLE] = { users: [METRICS_USER], backend_roles: [] };
  for (const c of logWriters(env)) mappings[writerRole(c)] = { users: [writerKey(env, c)], backend_roles: [] };
  return mappings;
}

/** The authentication domains: internal users (basic auth) and, with Dex, OpenID Connect tokens from Dashboards. */
export function securityConfig(dexIssuer: string | undefined): Record<string, unknown> {
  const authc: Record<string, unknown> = {
    basic_internal_auth_domain: {
      description: 'Internal users: log shippers, the Dashboards server, the admin',
      http_enabled: true,
      transport_enabled: true,
      order: 0,
      // With SSO the browser must not get a basic-auth challenge: Dashboards handles the login.
      http_authenticator: { type: 'basic', challenge: !dexIssuer },
      authentication_backend: { type: 'intern' },
    },
  };
  if (dexIssuer) {
    authc.openid_auth_domain = {
      description: 'Single sign-on through Dex',
      http_enabled: true,
      transport_enabled: true,
      order: 1,
      http_authenticator: {
        type: 'openid',
        challenge: false,
        config: { subject_key: 'email', roles_key: 'groups', openid_connect_url: `${dexIssuer}/.well-known/openid-configuration` },
      },
      authentication_backend: { type: 'noop' },
    };
  }
  return { _meta: { type: 'config', config_version: 2 }, config: { dynamic: { http: { anonymous_auth_enabled: false }, authc } } };
}

/**
 * The security plugin's bootstrap files. They initialise the security index once; afterwards the
 * configurer Job keeps users, roles, mappings and the auth config in sync through the REST API.
 * Passwords are `${envbc.VAR}` references: the plugin bcrypts the pod's environment variable when it
 * loads the configuration, so neither the password nor a hash is in the rendered files.
 */
export function securityFiles(dexIssuer: string | undefined): Record<string, string> {
  const meta = (type: string) => ({ _meta: { type, config_version: 2 } });
  return {
    'config.yml': toYaml(securityConfig(dexIssuer)),
    'internal_users.yml': toYaml({
      ...meta('internalusers'),
      [ADMIN_USER]: { hash: `\${envbc.${ADMIN_PASSWORD_ENV}}`, reserved: true, description: 'Platform administrator (break-glass, configurer Job)' },
      [DASHBOARDS_USER]: { hash: `\${envbc.${DASHBOARDS_PASSWORD_ENV}}`, reserved: true, description: 'OpenSearch Dashboards server' },
    }),
    'roles.yml': toYaml(meta('roles')),
    'roles_mapping.yml': toYaml({ ...meta('rolesmapping'), all_access: { users: [ADMIN_USER] }, kibana_server: { users: [DASHBOARDS_USER] } }),
    'action_groups.yml': toYaml(meta('actiongroups')),
    'tenants.yml': toYaml(meta('tenants')),
    'nodes_dn.yml': toYaml(meta('nodesdn')),
    'allowlist.yml': toYaml({ ...meta('allowlist'), config: { enabled: false } }),
  };
}
