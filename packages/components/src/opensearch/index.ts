import { z } from 'zod';
import type { Flavor } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { dexIssuer } from '../dex/clients';
import { settingsAccessor } from '../lib/cluster-settings';
import { defineComponent, type SecretRequirement, type SettingsProblem } from '../lib/component';
import { OPENSEARCH_BACKUPS } from './backups';
import { endpoints } from '../lib/hosts';
import { logsTarget } from '../lib/wiring';
import { allow, netpol, peers } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { ingressSettings, webIngress } from '../lib/ingress';
import { flavorPresets } from '../lib/presets';
import { CpuQuantity } from '../lib/resources';
import { endpointPorts, objectStorage } from '../lib/object-storage';
import { configurer } from './configurer';
import {
  DASHBOARDS_SHARE,
  OPENSEARCH_CLUSTER,
  OPENSEARCH_HTTP_PORT,
  OPENSEARCH_NS,
  OPENSEARCH_POD,
  OPENSEARCH_SERVICE,
  USERS_SECRET,
  METRICS_SECRET,
} from './names';
import { ADMIN_PASSWORD_ENV, DASHBOARDS_PASSWORD_ENV, logWriters, securityFiles, writerKey } from './security';
import { SNAPSHOT_SECRET, snapshotPlan } from './snapshots';
import { caBundleCertificate, NODE_DN, NODE_TLS_SECRET, opensearchCertificates } from './tls';
import { backendTls } from './backend-tls';

export * from './names';
export { ISM_POLICY, writeAliases } from './configurer';
export { logWriters, writerIndexPatterns } from './security';

/** Production keeps logs at least this long (audit logs are evidence): a config check outside dev. */
export const MIN_PROD_RETENTION_DAYS = 30;

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy OpenSearch, the log store workload clusters ship their logs to'),
  replicas: z.number().int().min(1).max(9).default(1).describe('OpenSearch nodes (each master-eligible and data)'),
  heap: z
    .string()
    .regex(/^[0-9]+[mg]$/)
    .default('512m')
    .describe('JVM heap per node (the pod gets twice as much memory)'),
  cpu: CpuQuantity.default('100m').describe('CPU request per node'),
  antiAffinity: z
    .enum(['soft', 'hard'])
    .default('soft')
    .describe('Spread nodes over Kubernetes nodes: hard refuses to schedule two on one node, soft only prefers not to'),
  storageSize: z.string().default('20Gi').describe('Persistent volume per node'),
  retentionDays: z
    .number()
    .int()
    .min(1)
    .default(7)
    .describe(`Days log indices are kept before the index lifecycle deletes them (at least ${MIN_PROD_RETENTION_DAYS} outside dev)`),
  rolloverSize: z
    .string()
    .regex(/^[0-9]+(mb|gb)$/)
    .default('1gb')
    .describe('Roll a write index over at this size (or daily)'),
  httpTls: z
    .boolean()
    .default(true)
    .describe(
      'Serve the REST API over TLS inside the cluster too ' +
        '(certificate from the platform CA, verified by every client: ingress, Dashboards, Fluent Bit, jobs, exporter); ' +
        'false: plain HTTP behind the ingress',
    ),
  snapshots: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Snapshot the log indices to object storage (off when the provider has none)'),
      schedule: z.string().default('0 1 * * *').describe('Cron schedule (UTC) of snapshots and snapshot expiry'),
      retentionDays: z.number().int().min(1).default(7).describe('Days snapshots are kept'),
      minCount: z.number().int().min(1).default(3).describe('Snapshots kept regardless of age'),
      s3Endpoint: z
        .string()
        .default('')
        .describe('S3 API endpoint for snapshots when it differs from the object storage endpoint (Swift providers: their S3-compatible API)'),
      pluginUrl: z
        .string()
        .regex(/^(https?|file):\/\/\S+\.zip$/, { message: 'a URL of the plugin zip (https://..., file://...)' })
        .or(z.literal(''))
        .default('')
        .describe(
          'Where OpenSearch installs the snapshot repository plugin from; ' +
            "empty: by name from OpenSearch's public artifacts (required in the air-gapped flavor: a mirrored zip)",
        ),
    })
    .prefault({}),
  sso: z
    .strictObject({
      adminGroups: z.array(z.string()).default([]).describe('Dex groups with full access (all_access)'),
      readerGroups: z.array(z.string()).default([]).describe('Dex groups that may read application logs in Dashboards'),
    })
    .prefault({}),
});

type OpenSearchSettings = z.output<typeof settings>;

/** OpenSearch's settings on a cluster, for the components that depend on them (the snapshot bucket off-site copy). */
export const opensearchSettings = settingsAccessor('opensearch', settings);

/** Production sizing and retention. */
const PRODUCTION = {
  replicas: 3,
  heap: '2g',
  cpu: '500m',
  antiAffinity: 'hard',
  storageSize: '100Gi',
  retentionDays: MIN_PROD_RETENTION_DAYS,
  rolloverSize: '10gb',
  snapshots: { retentionDays: 30 },
};

/** Settings problems that depend on the flavor, for the config semantic checks. */
export function opensearchSettingsProblems(flavor: Flavor, s: Pick<OpenSearchSettings, 'retentionDays'>): SettingsProblem[] {
  return flavor !== 'dev' && s.retentionDays < MIN_PROD_RETENTION_DAYS
    ? [{ path: ['retentionDays'], message: `is ${s.retentionDays}; flavor "${flavor}" keeps logs at least ${MIN_PROD_RETENTION_DAYS} days` }]
    : [];
}

function memoryFor(heap: string): string {
  const n = parseInt(heap, 10) * 2;
  return heap.endsWith('g') ? `${n}Gi` : `${n}Mi`;
}

function opensearchYml(snapshotClient: Record<string, string | boolean>, httpTls: boolean): string {
  const lines: Record<string, unknown> = {
    'cluster.name': OPENSEARCH_CLUSTER,
    'network.host': '0.0.0.0',
    // Node-to-node TLS with certificates from the namespace's private CA (cert-manager).
    'plugins.security.ssl.transport.pemcert_filepath': 'certs/tls.crt',
    'plugins.security.ssl.transport.pemkey_filepath': 'certs/tls.key',
    'plugins.security.ssl.transport.pemtrustedcas_filepath': 'certs/ca.crt',
    'plugins.security.ssl.transport.enforce_hostname_verification': false,
    // REST over TLS with the same node certificate; its clients verify it against the CA (httpTls).
    'plugins.security.ssl.http.enabled': httpTls,
    ...(httpTls
      ? {
          'plugins.security.ssl.http.pemcert_filepath': 'certs/tls.crt',
          'plugins.security.ssl.http.pemkey_filepath': 'certs/tls.key',
          'plugins.security.ssl.http.pemtrustedcas_filepath': 'certs/ca.crt',
        }
      : {}),
    'plugins.security.nodes_dn': [NODE_DN],
    'plugins.security.allow_default_init_securityindex': true,
    'plugins.security.audit.type': 'internal_opensearch',
    'plugins.security.enable_snapshot_restore_privilege': true,
    'plugins.security.check_snapshot_restore_write_privileges': true,
    'plugins.security.restapi.roles_enabled': ['all_access', 'security_rest_api_access'],
    // The configurer Job updates the authentication domains through the REST API.
    'plugins.security.unsupported.restapi.allow_securityconfig_modification': true,
    'plugins.security.system_indices.enabled': true,
    ...snapshotClient,
  };
  return `${Object.entries(lines)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n`;
}

/**
 * OpenSearch: the tamper-proof log store. Each workload cluster ships into its own write aliases
 * (`logIndex(stream, cluster)`) as a write-only user; an index lifecycle policy rolls indices over
 * and deletes them after the retention; snapshots go to object storage. A configurer Job keeps
 * users, roles, lifecycle, templates and snapshots in sync through the REST API.
 */
export const opensearch = defineComponent({
  name: 'opensearch',
  description: 'OpenSearch log store: per-cluster write-only users, index lifecycle and retention, snapshots to object storage',
  roles: ['management'],
  namespace: OPENSEARCH_NS,
  // The chart's keystore init container sets no securityContext, which `restricted` rejects.
  podSecurity: 'baseline',
  chart: 'opensearch',
  dependsOn: ['namespaces', 'cert-manager', 'ingress'],
  controls: [
    'MSBFS 2020:7 2 kap. 4 §',
    'MSBFS 2020:7 4 kap. 14 §',
    'MSBFS 2020:7 4 kap. 16 §',
    'MSBFS 2020:7 4 kap. 22 §',
    'ISO 27001 A.12.3.1',
    'ISO 27001 A.12.4.1',
    'ISO 27001 A.12.4.2',
    'ISO 27001 A.12.4.3',
    'ISO 27001 A.16',
    'NIST SP 800-171 3.1.7',
    'NIST SP 800-171 3.3.1',
    'NIST SP 800-171 3.3.5',
    'NIST SP 800-171 3.6.3',
    'NIST SP 800-171 3.14.7',
  ],
  settings,
  backups: OPENSEARCH_BACKUPS,
  defaults: flavorPresets({ production: PRODUCTION }),
  checkSettings(s, env, cluster) {
    const problems = opensearchSettingsProblems(env.flavor, s);
    // Backups are a production invariant: snapshots stay on wherever there is object storage.
    if (env.flavor !== 'dev' && !s.snapshots.enabled && objectStorage(cluster).type !== 'none') {
      problems.push({ path: ['snapshots', 'enabled'], message: `snapshots of the log store must stay enabled in the ${env.flavor} flavor` });
    }
    // Nothing is downloaded from the internet in an air-gapped environment: the plugin comes from a mirror.
    if (env.flavor === 'air-gapped' && s.snapshots.enabled && objectStorage(cluster).type !== 'none' && !s.snapshots.pluginUrl) {
      problems.push({
        path: ['snapshots', 'pluginUrl'],
        message: 'the air-gapped flavor downloads nothing from the internet: set the URL of a mirrored snapshot repository plugin zip',
      });
    }
    return problems;
  },
  secrets(ctx) {
    const { env, cluster, settings: s } = ctx;
    const reqs: SecretRequirement[] = [
      {
        name: USERS_SECRET,
        namespace: OPENSEARCH_NS,
        keys: ['admin-password', 'dashboards-password', ...logWriters(env).map((c) => writerKey(env, c))],
        description:
          "Passwords of OpenSearch's internal users: admin, the Dashboards server, " +
          'one log writer per cluster (workload clusters and the management cluster itself)',
        generate: {
          // The break-glass admin's password belongs to nobody else: a random value of its own.
          'admin-password': { type: 'random' },
          'dashboards-password': { type: 'random', shareAs: DASHBOARDS_SHARE },
          ...Object.fromEntries(logWriters(env).map((c) => [writerKey(env, c), { type: 'random', shareAs: logsTarget(env, c).share }])),
        },
      },
    ];
    const plan = s.snapshots.enabled ? snapshotPlan(env, cluster, s.snapshots.s3Endpoint) : undefined;
    if (plan) {
      reqs.push({
        name: SNAPSHOT_SECRET,
        namespace: OPENSEARCH_NS,
        keys: Object.keys(plan.keystore),
        description: `Object storage credentials of the snapshot repository (${plan.repository.type}), added to the OpenSearch keystore`,
        generate: Object.fromEntries(Object.entries(plan.keystore).map(([k, hint]) => [k, { type: 'user', hint }])),
      });
    }
    if (ctx.isEnabled('opensearch-exporter')) {
      reqs.push({
        name: METRICS_SECRET,
        namespace: OPENSEARCH_NS,
        keys: ['password'],
        description: 'Password of the internal user the metrics exporter (opensearch-exporter) reads the monitoring APIs with',
        generate: { password: { type: 'random' } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const sso = ctx.isEnabled('dex') && ctx.isEnabled('opensearch-dashboards');
    const plan = s.snapshots.enabled ? snapshotPlan(env, cluster, s.snapshots.s3Endpoint) : undefined;
    const memory = memoryFor(s.heap);
    const shipper = ctx.enabledComponents.find((c) => c.name === 'fluent-bit');
    const passwordEnv = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: USERS_SECRET, key } } });
    const backend = backendTls(cluster, s.httpTls);

    const values: JsonObject = {
      replicas: s.replicas,
      singleNode: s.replicas === 1,
      opensearchJavaOpts: `-Xms${s.heap} -Xmx${s.heap}`,
      resources: { requests: { cpu: s.cpu, memory }, limits: { memory } },
      antiAffinity: s.antiAffinity,
      persistence: { enabled: true, storageClass: cluster.settings.storage.storageClass, size: s.storageSize, enableInitChown: false },
      config: { 'opensearch.yml': opensearchYml(plan?.clientSettings ?? {}, s.httpTls) },
      protocol: s.httpTls ? 'https' : 'http',
      extraEnvs: [
        // No demo certificates or demo users: security comes from the files below.
        { name: 'DISABLE_INSTALL_DEMO_CONFIG', value: 'true' },
        passwordEnv(ADMIN_PASSWORD_ENV, 'admin-password'),
        passwordEnv(DASHBOARDS_PASSWORD_ENV, 'dashboards-password'),
      ],
      secretMounts: [{ name: 'node-tls', secretName: NODE_TLS_SECRET, path: '/usr/share/opensearch/config/certs' }],
      securityConfig: { enabled: true, config: { dataComplete: true, data: securityFiles(sso ? dexIssuer(env) : undefined) } },
      ...(plan ? { keystore: [{ secretName: SNAPSHOT_SECRET }], plugins: { enabled: true, installList: [s.snapshots.pluginUrl || plan.plugin] } } : {}),
      podSecurityContext: { fsGroup: 1000, runAsUser: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false },
      networkPolicy: { create: false },
    };

    const ingressAnnotations: Record<string, string> = {
      ...(ingressSettings(cluster).controller === 'ingress-nginx' ? { 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' } : {}),
      ...backend.ingressAnnotations,
    };
    const objects: K8sObject[] = [
      ...opensearchCertificates(),
      // The CA certificate for the clients in this namespace (Dashboards, the configurer, the exporter, the ingress backend).
      ...(s.httpTls ? [caBundleCertificate('opensearch', OPENSEARCH_NS)] : []),
      // The log shipping endpoint of the workload clusters (basic auth by OpenSearch's security plugin).
      webIngress(
        cluster,
        {
          component: 'opensearch',
          namespace: OPENSEARCH_NS,
          name: 'opensearch',
          host: endpoints(env).opensearch,
          service: OPENSEARCH_SERVICE,
          port: OPENSEARCH_HTTP_PORT,
          annotations: ingressAnnotations,
        },
        backend.ingressClass,
      ),
      // Transport between nodes; Dashboards and the configurer reach the REST API.
      ...allow.sameNamespace('opensearch', OPENSEARCH_NS),
      allow.fromIngress('opensearch', OPENSEARCH_NS, [{ port: OPENSEARCH_HTTP_PORT }], OPENSEARCH_POD),
      // The management cluster's own log shipper writes in-cluster (same write-only contract as the workload clusters).
      ...(shipper
        ? [
            netpol.allowIngress(
              'opensearch',
              OPENSEARCH_NS,
              'allow-local-log-shipper',
              [peers.namespace(shipper.namespace)],
              [{ port: OPENSEARCH_HTTP_PORT }],
              OPENSEARCH_POD,
            ),
          ]
        : []),
      ...(plan ? [httpsTo('opensearch', cluster, 'objectStorage', OPENSEARCH_NS, 'allow-object-storage', OPENSEARCH_POD, endpointPorts(plan.endpoint))] : []),
      // Token validation against Dex's public issuer URL.
      ...(sso
        ? [
            httpsTo('opensearch', cluster, 'platformEndpoints', OPENSEARCH_NS, 'allow-dex', OPENSEARCH_POD),
            allow.toIngress('opensearch', OPENSEARCH_NS, OPENSEARCH_POD),
          ]
        : []),
    ];

    const config = configurer({
      env,
      retentionDays: s.retentionDays,
      rolloverSize: s.rolloverSize,
      indexReplicas: s.replicas > 1 ? 1 : 0,
      dexIssuer: sso ? dexIssuer(env) : undefined,
      oidc: sso ? s.sso : undefined,
      metricsUser: ctx.isEnabled('opensearch-exporter'),
      tls: s.httpTls,
      snapshots: plan ? { ...plan, schedule: s.snapshots.schedule, retentionDays: s.snapshots.retentionDays, minCount: s.snapshots.minCount } : undefined,
    });
    return { values, objects, config };
  },
});
