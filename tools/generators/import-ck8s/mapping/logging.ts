import { isPlainObject } from '@ck8s/config';
import {
  asBoolean,
  asDays,
  asInteger,
  asString,
  cpuQuantity,
  different,
  fixedAs,
  mapped,
  memoryQuantity,
  none,
  replaced,
  resources,
  type Converted,
  type Rule,
} from './types';
import type { Area } from './area';

/** Indices whose retention our single `retentionDays` governs (ck8s's curator patterns for them). */
const LOG_PATTERNS = ['kubernetes-*', 'kubeaudit-*', 'authlog-*'];

/** The curator's per-pattern ages → one retention: the longest of the log streams we keep, so nothing is deleted earlier than before. */
function retentionDays(v: unknown): Converted {
  if (!Array.isArray(v)) return { skip: 'expected a list of {pattern, ageDays, sizeGB}' };
  const ages = v
    .filter((r) => isPlainObject(r) && LOG_PATTERNS.includes(String(r.pattern)) && typeof r.ageDays === 'number')
    .map((r) => (r as { ageDays: number }).ageDays);
  if (!ages.length) return { skip: `no ageDays for ${LOG_PATTERNS.join(', ')}` };
  return { value: Math.max(...ages) };
}

/** `-Xms1024m -Xmx1024m` → `1024m` (our heap setting; the pod gets twice as much memory). */
function heap(v: unknown): Converted {
  const m = typeof v === 'string' ? /-Xmx([0-9]+[kmgKMG])\b/.exec(v) : null;
  return m ? { value: m[1].toLowerCase() } : { skip: `no -Xmx in ${JSON.stringify(v)}` };
}

/** ck8s role mappings → the Dex groups of our two roles (only mappings by backend role, i.e. group). */
function ssoGroups(v: unknown): Converted {
  if (!Array.isArray(v)) return { skip: 'expected a list of role mappings' };
  const groupsOf = (name: string) =>
    v
      .filter((m) => isPlainObject(m) && m.mapping_name === name)
      .flatMap((m) => ((m as { definition?: { backend_roles?: unknown } }).definition?.backend_roles as string[] | undefined) ?? []);
  const admins = groupsOf('all_access');
  const readers = [...groupsOf('kubernetes_log_reader'), ...groupsOf('readall')];
  if (!admins.length && !readers.length)
    return {
      skip:
        'no mapping by group (backend_roles) to all_access or kubernetes_log_reader; mappings by user name have no equivalent: map Dex groups with ' +
        'components.opensearch.sso.adminGroups/readerGroups',
    };
  const values: Record<string, unknown> = {};
  if (admins.length) values['components.opensearch.sso.adminGroups'] = admins;
  if (readers.length) values['components.opensearch.sso.readerGroups'] = readers;
  return { values };
}

const rolloverSize = (v: unknown): Converted =>
  typeof v === 'number' && v > 0 ? { value: `${v}mb` } : { skip: `expected a size in MB, got ${JSON.stringify(v)}` };

const fixedSubdomain = (name: string, where: 'domain' | 'opsDomain') =>
  fixedAs(name, `our endpoint is ${name}.<${where}>`, `move DNS records and clients to ${name}.<${where}>`);

const FLUENT_BIT =
  'Fluent Bit replaces Fluentd: one DaemonSet per cluster ships container, Kubernetes audit and node auth logs to OpenSearch and audit logs to the ' +
  '<bucketPrefix>-audit bucket; no aggregator, no log manager';

const rules: Rule[] = [
  // ---- OpenSearch ----
  mapped('opensearch.enabled', 'components.opensearch.enabled', { clusters: 'sc', convert: asBoolean }),
  different('opensearch.enabled', "workload clusters always ship their logs to the management cluster's OpenSearch when it runs", {
    clusters: 'wc',
    convert: fixedAs(true, 'logs are always shipped', 'a workload cluster that ships no logs has no equivalent (disable components.fluentBit on it)'),
  }),
  different('opensearch.subdomain', 'fixed endpoint name', { convert: fixedSubdomain('opensearch', 'opsDomain') }),
  different('opensearch.dashboards.subdomain', 'fixed endpoint name', { convert: fixedSubdomain('opensearch', 'domain') }),
  different('opensearch.indexPerNamespace', 'indices are per cluster and stream (kubernetes-<cluster>, kubeaudit-<cluster>, authlog-<cluster>)', {
    convert: fixedAs(false, 'one index per cluster and stream', 'an index per namespace has no equivalent'),
  }),
  ...resources('opensearch.dashboards.resources', 'components.opensearchDashboards.resources', { clusters: 'sc' }),
  none('opensearch.dashboards.contentSecurityPolicy.**', "OpenSearch Dashboards' default content security policy"),
  none('opensearch.clusterName', 'the OpenSearch cluster is named by the chart'),
  none('opensearch.maxClauseCount', 'OpenSearch default'),
  none('opensearch.maxShardsPerNode', 'OpenSearch default; an alert fires when the cluster nears it (components.opensearchExporter.shardsWarningPercent)'),
  different('opensearch.createIndices', 'the index templates and first indices are always created by our configurer job', {
    convert: fixedAs(true, 'always created', 'it cannot be turned off'),
  }),
  different('opensearch.sso.enabled', 'OpenSearch Dashboards always logs in through Dex', {
    convert: fixedAs(true, 'single sign-on is always on', 'internal users only has no equivalent'),
  }),
  different('opensearch.sso.subjectKey', 'the user is the e-mail claim from Dex', {
    convert: fixedAs('email', 'the e-mail claim', 'another subject claim has no equivalent'),
  }),
  different('opensearch.sso.rolesKey', 'roles come from the groups claim from Dex', {
    convert: fixedAs('groups', 'the groups claim', 'another roles claim has no equivalent'),
  }),
  different('opensearch.sso.scope', 'Dashboards asks Dex for openid, profile, email and groups'),
  none('opensearch.extraRoles', 'no extra roles from config: create them in OpenSearch Dashboards (Security)'),
  mapped('opensearch.extraRoleMappings', 'components.opensearch.sso.adminGroups', {
    convert: ssoGroups,
    note:
      'group mappings (backend_roles) to all_access → sso.adminGroups, to kubernetes_log_reader/readall → sso.readerGroups; mappings by user name ' +
      'have no equivalent',
  }),
  different('opensearch.overwriteTemplates', 'our configurer job owns the index templates and rewrites them'),
  different('opensearch.defaultTemplates', 'our configurer job owns the index templates and rewrites them'),
  none('opensearch.additionalTemplates', 'no extra index templates from config'),
  different('opensearch.plugins.installExternalObjectStoragePlugin', 'the S3 repository plugin is part of the image used for snapshots', {
    convert: fixedAs(true, 'installed', 'snapshots need it'),
  }),
  none('opensearch.plugins.additionalPlugins', 'no extra plugins'),
  mapped('opensearch.ism.kubernetes.rolloverSizeMB', 'components.opensearch.rolloverSize', {
    convert: rolloverSize,
    note: 'one rollover size for every stream',
  }),
  different('opensearch.ism.*.rolloverSizeMB', 'one rollover size for every stream (components.opensearch.rolloverSize, taken from ism.kubernetes)'),
  different('opensearch.ism.*.rolloverAgeDays', 'write indices roll over daily (or at the size)', {
    convert: fixedAs(1, 'daily', 'another age has no equivalent'),
  }),
  different('opensearch.ism.overwritePolicies', 'our configurer job owns the lifecycle policies and rewrites them'),
  different('opensearch.ism.defaultPolicies', 'our configurer job owns the lifecycle policies and rewrites them'),
  none('opensearch.ism.additionalPolicies', 'no extra lifecycle policies from config'),
  mapped('opensearch.masterNode.count', 'components.opensearch.replicas', { convert: asInteger, note: 'every node is master-eligible and holds data' }),
  mapped('opensearch.masterNode.storageSize', 'components.opensearch.storageSize', { convert: memoryQuantity }),
  mapped('opensearch.masterNode.javaOpts', 'components.opensearch.heap', { convert: heap, note: 'the -Xmx value; the pod gets twice as much memory' }),
  mapped('opensearch.masterNode.resources.requests.cpu', 'components.opensearch.cpu', { convert: cpuQuantity }),
  different('opensearch.masterNode.resources.*.memory', 'memory follows the heap (components.opensearch.heap): twice the heap'),
  none('opensearch.masterNode.resources.limits.cpu', 'we set no CPU limits on platform services'),
  different('opensearch.masterNode.storageClass', 'volumes use the cluster storage class (storage.storageClass)', {
    convert: (v) => (v === null || v === '' ? { equal: 'the cluster storage class' } : { skip: 'a storage class of its own has no equivalent' }),
  }),
  different(
    'opensearch.dataNode.**',
    'every OpenSearch node is master-eligible and holds data: no dedicated data nodes (scale with components.opensearch.replicas)',
  ),
  different('opensearch.clientNode.**', 'no dedicated client/ingest nodes: every node ingests'),
  different(
    'opensearch.securityadmin.**',
    'the security configuration (users, roles, mappings) is applied by our configurer job on every change; users created by hand are kept',
  ),
  different('opensearch.curator.enabled', 'old indices are deleted by the index lifecycle (ISM), not a curator job'),
  mapped('opensearch.curator.retention', 'components.opensearch.retentionDays', {
    convert: retentionDays,
    note:
      `one retention for every log stream: the longest ageDays of ${LOG_PATTERNS.join(', ')}; sizeGB caps have no equivalent (size alerts: ` +
      `components.opensearchExporter)`,
  }),
  none('opensearch.curator.**', 'no curator job'),
  different('opensearch.promIndexAlerts', 'no per-index size alerts: our alerts watch rollover, deletion and shard counts (components.opensearchExporter)'),
  mapped('opensearch.snapshot.enabled', 'components.opensearch.snapshots.enabled', { convert: asBoolean }),
  none('opensearch.snapshot.repository', 'the snapshot repository name is fixed; it uses the <bucketPrefix>-opensearch bucket'),
  mapped('opensearch.snapshot.min', 'components.opensearch.snapshots.minCount', { convert: asInteger }),
  none('opensearch.snapshot.max', 'no cap on the snapshot count: age (snapshots.retentionDays) and minCount decide'),
  mapped('opensearch.snapshot.retentionAge', 'components.opensearch.snapshots.retentionDays', { convert: asDays }),
  mapped('opensearch.snapshot.backupSchedule', 'components.opensearch.snapshots.schedule', { convert: asString }),
  different('opensearch.snapshot.retentionSchedule', 'snapshot expiry runs with the snapshots (components.opensearch.snapshots.schedule)'),
  different('opensearch.exporter.serviceMonitor.**', 'the exporter is scraped at the platform interval (components.opensearchExporter)'),
  none('opensearch.exporter.resources.**', "the exporter's sizing is the chart's"),
  none('opensearch.ingress.maxbodysize', 'no request body limit setting'),
  none('opensearch.objectStorage.**', 'one object storage per cluster (storage.objectStorage)'),

  // ---- Fluentd → Fluent Bit ----
  mapped('fluentd.enabled', 'components.fluentBit.enabled', { clusters: 'wc', convert: asBoolean, note: FLUENT_BIT }),
  replaced(
    'fluentd.enabled',
    'fluent-bit',
    "on the management cluster Fluentd collected the cluster's own logs into the sc-logs bucket; Fluent Bit ships them to its OpenSearch " +
      '(components.fluentBit.enabled)',
    { clusters: 'sc' },
  ),
  mapped('fluentd.audit.enabled', 'components.fluentBit.auditToObjectStorage', {
    convert: asBoolean,
    note: 'Kubernetes audit logs are also copied to <bucketPrefix>-audit',
  }),
  replaced(
    'fluentd.audit.retention.**',
    'fluent-bit',
    "retention of the audit bucket is the bucket's lifecycle rule (set it at the object storage provider); no retention job",
  ),
  replaced('fluentd.audit.compaction.**', 'fluent-bit', 'no compaction job: Fluent Bit writes compressed objects'),
  replaced(
    'fluentd.audit.filters',
    'fluent-bit',
    'Kubernetes audit logs are read from the API server audit files (components.fluentBit.auditLogPath); no extra filters',
  ),
  replaced(
    'fluentd.forwarder.buffer.totalLimitSize',
    'fluent-bit',
    'the per-output buffer of Fluent Bit is components.fluentBit.bufferLimit (default 1G dev, 5G prod)',
  ),
  replaced('fluentd.**', 'fluent-bit', FLUENT_BIT),
];

export const logging: Area = {
  title: 'Logging: OpenSearch, Fluentd → Fluent Bit',
  roots: ['opensearch', 'fluentd'],
  rules,
};
