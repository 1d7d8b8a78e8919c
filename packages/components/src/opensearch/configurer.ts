import type { EnvironmentConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';
import { LOG_STREAMS, logIndex } from '../lib/wiring';
import { restApiJob } from '../lib/workloads';
import { contentHash } from '../lib/naming';
import { ADMIN_USER, CA_BUNDLE_FILE, CA_BUNDLE_SECRET, METRICS_SECRET, METRICS_USER, OPENSEARCH_NS, opensearchUrl, USERS_SECRET } from './names';
import { ADMIN_PASSWORD_ENV, logWriters, platformRoleMappings, platformRoles, securityConfig, writerEnv, writerKey, type OidcMapping } from './security';
import { SNAPSHOT_REPOSITORY, type SnapshotPlan } from './snapshots';

export const ISM_POLICY = 'platform-logs';
const SM_POLICY = 'platform-daily';

export interface ConfigurerInput {
  env: EnvironmentConfig;
  retentionDays: number;
  rolloverSize: string;
  indexReplicas: number;
  dexIssuer?: string;
  oidc?: OidcMapping;
  snapshots?: SnapshotPlan & { schedule: string; retentionDays: number; minCount: number };
  /** Keep the metrics exporter's user (password from the Secret METRICS_SECRET). */
  metricsUser?: boolean;
  /** OpenSearch serves HTTPS: every call verifies its certificate against the platform CA. */
  tls?: boolean;
}

const METRICS_PASSWORD_ENV = 'OPENSEARCH_METRICS_PASSWORD';

const streamPatterns = () => LOG_STREAMS.map((s) => `${s}-*`);

/** Index lifecycle: roll the write index over daily (or at the size limit), delete indices after the retention. */
export function ismPolicy(retentionDays: number, rolloverSize: string) {
  return {
    policy: {
      description: `Platform logs: roll over daily or at ${rolloverSize}, delete after ${retentionDays} days`,
      default_state: 'hot',
      states: [
        {
          name: 'hot',
          actions: [{ rollover: { min_index_age: '1d', min_size: rolloverSize } }],
          transitions: [{ state_name: 'delete', conditions: { min_index_age: `${retentionDays}d` } }],
        },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: streamPatterns(), priority: 100 }],
    },
  };
}

/** Write aliases the senders use: one per stream and shipping cluster. */
export function writeAliases(env: EnvironmentConfig): string[] {
  return logWriters(env).flatMap((c) => LOG_STREAMS.map((s) => logIndex(s, c)));
}

/**
 * One template per write alias (ISM needs each index to name its rollover alias). Longer aliases
 * get a higher priority, so `kubernetes-a-b-*` wins over `kubernetes-a-*` for cluster `a-b`.
 */
export function indexTemplate(alias: string, replicas: number) {
  return {
    index_patterns: [`${alias}-*`],
    priority: 100 + alias.length,
    template: { settings: { 'plugins.index_state_management.rollover_alias': alias, number_of_shards: 1, number_of_replicas: replicas } },
  };
}

function smPolicy(s: NonNullable<ConfigurerInput['snapshots']>) {
  return {
    description: 'Daily snapshot of the platform logs to object storage',
    creation: { schedule: { cron: { expression: s.schedule, timezone: 'UTC' } } },
    deletion: { schedule: { cron: { expression: s.schedule, timezone: 'UTC' } }, condition: { max_age: `${s.retentionDays}d`, min_count: s.minCount } },
    snapshot_config: { repository: SNAPSHOT_REPOSITORY, indices: streamPatterns().join(','), include_global_state: false },
  };
}

/** The configurer's files: JSON request bodies and the script that sends them. */
export function configurerFiles(i: ConfigurerInput): Record<string, string> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: Record<string, string> = {};
  files['securityconfig.json'] = json(securityConfig(i.dexIssuer).config as { dynamic: unknown });
  for (const [name, role] of Object.entries(platformRoles(i.env, i.metricsUser))) files[`role-${name}.json`] = json(role);
  for (const [name, mapping] of Object.entries(platformRoleMappings(i.env, i.oidc, i.metricsUser))) files[`rolesmapping-${name}.json`] = json(mapping);
  files['ism-policy.json'] = json(ismPolicy(i.retentionDays, i.rolloverSize));
  for (const alias of writeAliases(i.env)) files[`template-${alias}.json`] = json(indexTemplate(alias, i.indexReplicas));
  if (i.snapshots) {
    files['snapshot-repository.json'] = json(i.snapshots.repository);
    files['sm-policy.json'] = json(smPolicy(i.snapshots));
  }

  const writers = logWriters(i.env).map((c) => `put_user ${writerKey(i.env, c)} "$${writerEnv(i.env, c)}" 'log shipping from cluster ${c}'`);
  if (i.metricsUser) writers.push(`put_user ${METRICS_USER} "$${METRICS_PASSWORD_ENV}" 'Prometheus exporter (monitoring APIs only)'`);
  files['configure.sh'] = [
    '#!/bin/sh',
    '# Keeps OpenSearch configured as rendered: idempotent, safe to run again.',
    'set -eu',
    `OS=${opensearchUrl(!!i.tls)}`,
    `c() { curl -sS --fail-with-body -u "${ADMIN_USER}:$${ADMIN_PASSWORD_ENV}" -H 'Content-Type: application/json' "$@"; echo; }`,
    '# create-or-update of documents that need the current sequence number to be updated',
    'seq_of() { sed -n \'s/.*"_seq_no":\\([0-9]*\\).*/\\1/p\'; }',
    'term_of() { sed -n \'s/.*"_primary_term":\\([0-9]*\\).*/\\1/p\'; }',
    'upsert() { # $1 path, $2 body file, $3 method used to create',
    '  current=$(c "$OS/$1" 2>/dev/null || true)',
    '  seq=$(printf %s "$current" | seq_of); term=$(printf %s "$current" | term_of)',
    '  if [ -n "$seq" ]; then c -X PUT "$OS/$1?if_seq_no=$seq&if_primary_term=$term" -d @"$2"; UPDATED=1; else c -X "$3" "$OS/$1" -d @"$2"; UPDATED=0; fi',
    '}',
    'put_user() { printf \'{"password":"%s","description":"%s"}\' "$2" "$3" | c -X PUT "$OS/_plugins/_security/api/internalusers/$1" -d @-; }',
    '',
    'i=0',
    'until c "$OS/_cluster/health?wait_for_status=yellow&timeout=10s" >/dev/null 2>&1; do',
    '  i=$((i + 1)); [ "$i" -lt 90 ] || { echo "OpenSearch not reachable" >&2; exit 1; }; sleep 10',
    'done',
    'cd /config',
    '',
    '# Authentication domains, roles, role mappings, writer users.',
    'c -X PUT "$OS/_plugins/_security/api/securityconfig/config" -d @securityconfig.json',
    'for f in role-*.json; do n=${f#role-}; c -X PUT "$OS/_plugins/_security/api/roles/${n%.json}" -d @"$f"; done',
    'for f in rolesmapping-*.json; do n=${f#rolesmapping-}; c -X PUT "$OS/_plugins/_security/api/rolesmapping/${n%.json}" -d @"$f"; done',
    ...writers,
    '',
    '# Index lifecycle; indices already managed move to the new policy version.',
    `upsert _plugins/_ism/policies/${ISM_POLICY} ism-policy.json PUT`,
    `if [ "$UPDATED" = 1 ]; then c -X POST "$OS/_plugins/_ism/change_policy/${streamPatterns().join(',')}" -d '{"policy_id":"${ISM_POLICY}"}'; fi`,
    'for f in template-*.json; do n=${f#template-}; c -X PUT "$OS/_index_template/platform-${n%.json}" -d @"$f"; done',
    '# Each write alias starts on index <alias>-000001 (created once).',
    'for f in template-*.json; do a=${f#template-}; a=${a%.json}',
    '  code=$(curl -s -o /dev/null -w "%{http_code}" -u "' + ADMIN_USER + ':$' + ADMIN_PASSWORD_ENV + '" "$OS/_alias/$a")',
    '  [ "$code" = 200 ] || c -X PUT "$OS/$a-000001" -d "{\\"aliases\\":{\\"$a\\":{\\"is_write_index\\":true}}}"',
    'done',
    ...(i.snapshots
      ? [
          '',
          '# Snapshots to object storage.',
          `c -X PUT "$OS/_snapshot/${SNAPSHOT_REPOSITORY}" -d @snapshot-repository.json`,
          `upsert _plugins/_sm/policies/${SM_POLICY} sm-policy.json POST`,
        ]
      : []),
    '',
  ].join('\n');
  return files;
}

/**
 * A ConfigMap with the configuration and a Job that applies it through the REST API, both named after
 * the digest of what they apply: a change in the rendered configuration (a new workload cluster, a
 * new retention) is a new Job; Flux prunes the previous one.
 */
export function configurer(i: ConfigurerInput): K8sObject[] {
  const files = configurerFiles(i);
  const name = `opensearch-configurer-${contentHash(files)}`;
  const labels = { 'app.kubernetes.io/name': 'opensearch-configurer' };
  const secretEnv = (env: string, key: string) => ({ name: env, valueFrom: { secretKeyRef: { name: USERS_SECRET, key } } });
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('opensearch', name, OPENSEARCH_NS), data: files },
    restApiJob('opensearch', OPENSEARCH_NS, name, {
      labels,
      command: ['/bin/sh', '/config/configure.sh'],
      env: [
        secretEnv(ADMIN_PASSWORD_ENV, 'admin-password'),
        ...logWriters(i.env).map((c) => secretEnv(writerEnv(i.env, c), writerKey(i.env, c))),
        ...(i.metricsUser ? [{ name: METRICS_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: METRICS_SECRET, key: 'password' } } }] : []),
        // curl verifies every HTTPS call against this file (no -k anywhere).
        ...(i.tls ? [{ name: 'CURL_CA_BUNDLE', value: `/ca/${CA_BUNDLE_FILE}` }] : []),
      ],
      volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, ...(i.tls ? [{ name: 'ca', mountPath: '/ca', readOnly: true }] : [])],
      volumes: [
        { name: 'config', configMap: { name } },
        ...(i.tls ? [{ name: 'ca', secret: { secretName: CA_BUNDLE_SECRET, items: [{ key: CA_BUNDLE_FILE, path: CA_BUNDLE_FILE }] } }] : []),
      ],
    }),
  ];
}
