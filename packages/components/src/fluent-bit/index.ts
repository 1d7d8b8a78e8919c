import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { enabledOn, settingsAccessor } from '../lib/cluster-settings';
import { defineComponent, type RenderContext, type SecretRequirement } from '../lib/component';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { FLUENT_BIT_ALERTS } from './alerts';
import { accessKeyNames, bucketName, endpointPorts, objectStorage, ownObjectStorage, ownStoreHint, s3Endpoint } from '../lib/object-storage';
import { allow, netpol, peers, resources } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';
import { logIndex, logsTarget, senderSecret, type LogStream } from '../lib/wiring';
import { CA_BUNDLE_FILE, CA_BUNDLE_SECRET, OPENSEARCH_HTTP_PORT, OPENSEARCH_NS, OPENSEARCH_SERVICE } from '../opensearch/names';
import { opensearchSettings } from '../opensearch';
import { caBundleCertificate } from '../opensearch/tls';
import { archiveProblems, archiveSettings } from './archive';
import {
  archiveOutput,
  filters,
  inputs,
  opensearchOutputs,
  renderSections,
  section,
  serviceSection,
  STATE_DIR,
  type ArchiveTarget,
  type OpensearchTarget,
} from './pipeline';

const NS = 'fluent-bit';
const C = 'fluent-bit';
/** Where the platform CA's certificate is mounted on the management cluster (to verify the in-cluster OpenSearch). */
const OPENSEARCH_CA_DIR = '/fluent-bit/opensearch-ca';

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Collect container, Kubernetes audit and node auth logs on every node and ship them'),
  auditLogPath: z.string().min(1).default('/var/log/kubernetes/audit/*.log').describe('Glob of the API server audit log files on control-plane nodes'),
  authLogPaths: z
    .array(z.string().min(1))
    .min(1)
    .default(['/var/log/auth.log', '/var/log/secure'])
    .describe('Node authentication logs (Debian/Ubuntu and RHEL locations)'),
  auditToObjectStorage: z
    .boolean()
    .default(true)
    .describe("Also copy Kubernetes audit logs to the `<bucketPrefix>-audit` bucket (kept beyond the log store's retention)"),
  archive: archiveSettings.describe('The audit log archive in object storage: what goes there, how long the bucket keeps it, and whether it is immutable'),
  bufferLimit: z
    .string()
    .regex(/^[0-9]+[KMG]$/, { message: 'a size such as "512M" or "5G"' })
    .default('1G')
    .describe('Per-output filesystem buffer on each node while the log store is unreachable'),
  localOpensearch: z
    .strictObject({
      host: z
        .string()
        .default(`${OPENSEARCH_SERVICE}.${OPENSEARCH_NS}.svc`)
        .describe("Management only: in-cluster OpenSearch service the management cluster's own logs go to"),
      port: z.number().int().min(1).max(65535).default(OPENSEARCH_HTTP_PORT).describe('Port of that service'),
      tls: z
        .boolean()
        .default(true)
        .describe(
          'Use TLS to the in-cluster service, verified against the platform CA (must match opensearch.httpTls when writing to the in-cluster OpenSearch)',
        ),
      namespace: z.string().default(OPENSEARCH_NS).describe('Namespace of the in-cluster OpenSearch pods (for the egress NetworkPolicy)'),
    })
    .prefault({}),
});

type Settings = z.output<typeof settings>;

/** Fluent Bit's settings on a cluster, for the components that depend on them (the audit bucket off-site copy). */
export const fluentBitSettings = settingsAccessor('fluent-bit', settings);
type Ctx = RenderContext<Settings>;

/** Where this cluster's logs go: the management cluster's public endpoint, or its own in-cluster OpenSearch. */
function opensearchTarget(ctx: Ctx): OpensearchTarget | undefined {
  const { env, cluster, settings: s } = ctx;
  const index = (stream: LogStream) => logIndex(stream, cluster.name);
  if (cluster.role === 'workload') {
    const url = new URL(logsTarget(env, cluster.name).url);
    return { host: url.hostname, port: Number(url.port || 443), tls: true, index, bufferLimit: s.bufferLimit };
  }
  if (!ctx.isEnabled('opensearch')) return undefined;
  const caFile = s.localOpensearch.tls ? `${OPENSEARCH_CA_DIR}/${CA_BUNDLE_FILE}` : undefined;
  return { host: s.localOpensearch.host, port: s.localOpensearch.port, tls: s.localOpensearch.tls, caFile, index, bufferLimit: s.bufferLimit };
}

function archiveTarget(ctx: Ctx): ArchiveTarget | undefined {
  const os = objectStorage(ctx.cluster);
  if (!ctx.settings.auditToObjectStorage || os.type === 'none') return undefined;
  const bucket = bucketName(ctx.env, ctx.cluster, 'audit');
  if (os.type === 'azure') return { type: 'azure', container: bucket, cluster: ctx.cluster.name };
  return {
    type: 's3',
    bucket,
    region: os.region,
    endpoint: s3Endpoint(ctx.cluster),
    cluster: ctx.cluster.name,
    contentMd5: ctx.settings.archive.objectLock !== 'none',
  };
}

const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

function envVars(ctx: Ctx, target: OpensearchTarget | undefined, archive: ArchiveTarget | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  if (target) {
    const secret = logsTarget(ctx.env, ctx.cluster.name).senderSecret;
    out.push(secretEnv('OPENSEARCH_USERNAME', secret, 'username'), secretEnv('OPENSEARCH_PASSWORD', secret, 'password'));
  }
  if (archive) {
    const os = objectStorage(ctx.cluster);
    const keys = accessKeyNames(os.type);
    const [idVar, secretVar] = archive.type === 'azure' ? ['AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY'] : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
    out.push(secretEnv(idVar, os.credentialsSecret, keys.id), secretEnv(secretVar, os.credentialsSecret, keys.secret));
  }
  return out;
}

function networkPolicies(ctx: Ctx, target: OpensearchTarget | undefined, archive: ArchiveTarget | undefined): K8sObject[] {
  const { cluster, settings: s } = ctx;
  const objects: K8sObject[] = [
    // The kubernetes filter looks up pod metadata.
    allow.apiServer(C, cluster, NS),
  ];
  // The management cluster's public OpenSearch endpoint (workload) and the archive's endpoint.
  if (cluster.role === 'workload' && target) objects.push(httpsTo(C, cluster, 'managementEndpoints', NS, 'allow-log-targets', {}, [target.port]));
  if (archive) objects.push(httpsTo(C, cluster, 'objectStorage', NS, 'allow-log-archive', {}, endpointPorts(archive.type === 's3' ? archive.endpoint : '')));
  if (cluster.role === 'management' && target) {
    objects.push(netpol.allowEgress(C, NS, 'allow-local-opensearch', [peers.namespace(s.localOpensearch.namespace)], [{ port: target.port }]));
  }
  if (ctx.isEnabled('kube-prometheus-stack')) objects.push(allow.fromMonitoring(C, NS, [{ port: 2020 }]));
  return objects;
}

/**
 * Log collection and shipping: a Fluent Bit DaemonSet on every node (control-plane nodes included,
 * where the audit logs are) tails container logs, Kubernetes audit logs and node auth logs, buffers
 * them on the node's disk and writes them to OpenSearch, one index per stream and cluster
 * (`logIndex`), with a write-only user per cluster. Workload clusters write to the management
 * cluster's OpenSearch endpoint; the management cluster writes its own logs to its in-cluster
 * OpenSearch. Audit logs are also copied to the `<prefix>-audit` bucket.
 *
 * Why Fluent Bit alone (no Fluentd aggregator): Fluent Bit has every output this needs built in
 * (opensearch, s3, azure_blob), while the maintained Fluentd images carry one output plugin each
 * (an aggregator writing to both OpenSearch and S3 would need a custom image the platform must then
 * build, scan and mirror). Buffering on each node's disk gives the outage tolerance an aggregator
 * would, without a second hop; and the credentials a node holds can only append to its own
 * cluster's indices.
 */
export const fluentBit = defineComponent({
  name: 'fluent-bit',
  description: 'Ships container, Kubernetes audit and node auth logs to OpenSearch and audit logs to object storage',
  roles: ['management', 'workload'],
  namespace: NS,
  // Tails log files on the host (hostPath) and keeps its positions and buffers there.
  podSecurity: 'privileged',
  chart: 'fluent-bit',
  dependsOn: ['namespaces', 'kube-prometheus-stack', 'opensearch'],
  alerts: [FLUENT_BIT_ALERTS],
  controls: [
    'MSBFS 2020:7 2 kap. 4 §',
    'MSBFS 2020:7 4 kap. 16 §',
    'MSBFS 2020:7 4 kap. 17 §',
    'ISO 27001 A.12.4.1',
    'ISO 27001 A.12.4.2',
    'ISO 27001 A.12.4.3',
    'ISO 27001 A.16',
    'NIST SP 800-171 3.1.7',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.3.1',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.3.5',
    'NIST SP 800-171 3.14.7',
  ],
  settings,
  defaults: flavorPresets({ production: { bufferLimit: '5G', archive: { retentionDays: 365 } } }),
  checkSettings(s, env, cluster) {
    const local = s.localOpensearch;
    if (
      cluster.role === 'management' &&
      enabledOn(cluster, 'opensearch') &&
      local.host === `${OPENSEARCH_SERVICE}.${OPENSEARCH_NS}.svc` &&
      local.tls !== opensearchSettings(cluster).httpTls
    ) {
      const serves = opensearchSettings(cluster).httpTls ? 'HTTPS' : 'plain HTTP';
      return [
        {
          path: ['localOpensearch', 'tls'],
          message: `the in-cluster OpenSearch serves ${serves} (opensearch.httpTls); set localOpensearch.tls to ${opensearchSettings(cluster).httpTls}`,
        },
      ];
    }
    if (env.flavor === 'dev') return [];
    const problems: { path: PropertyKey[]; message: string }[] = [];
    if (!s.enabled) problems.push({ path: ['enabled'], message: `audit logs must be collected in the ${env.flavor} flavor` });
    if (!s.auditToObjectStorage)
      problems.push({ path: ['auditToObjectStorage'], message: `audit logs must be archived to object storage in the ${env.flavor} flavor` });
    else if (objectStorage(cluster).type === 'none')
      problems.push({ path: ['auditToObjectStorage'], message: 'audit logs are archived to object storage, but storage.objectStorage.type is "none"' });
    problems.push(...archiveProblems(env.flavor, s.archive));
    return problems;
  },
  secrets(ctx) {
    const reqs: SecretRequirement[] = [];
    if (opensearchTarget(ctx)) {
      reqs.push(senderSecret(logsTarget(ctx.env, ctx.cluster.name), NS, `Write-only OpenSearch user of cluster ${ctx.cluster.name}`));
    }
    const archive = archiveTarget(ctx);
    if (archive) {
      const os = objectStorage(ctx.cluster);
      const keys = accessKeyNames(os.type);
      const credentials = os.type === 'azure' ? 'storage account and key' : 'S3 access key pair; HMAC keys for GCS';
      const bucket = archive.type === 'azure' ? archive.container : archive.bucket;
      reqs.push({
        name: os.credentialsSecret,
        namespace: NS,
        keys: [keys.id, keys.secret],
        description: `Object storage credentials for the audit log archive (${credentials}); write access to the ${bucket} bucket is enough`,
        generate: {
          [keys.id]: { type: 'user', hint: ownStoreHint(ctx.env, ctx.cluster, `${keys.id} of the object storage account`) },
          [keys.secret]: { type: 'user', hint: ownStoreHint(ctx.env, ctx.cluster, `${keys.secret} of the object storage account`) },
        },
        clusterScoped: ownObjectStorage(ctx.env, ctx.cluster),
      });
    }
    return reqs;
  },
  render(ctx) {
    const { cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const target = opensearchTarget(ctx);
    const archive = archiveTarget(ctx);
    const archived = archive ? [archiveOutput(archive), ...(s.archive.authLogs ? [archiveOutput(archive, 'authlog')] : [])] : [];
    const outputs = [...(target ? opensearchOutputs(target) : []), ...archived];
    const values: JsonObject = {
      kind: 'DaemonSet',
      testFramework: { enabled: false },
      // Log collection must run on every node, tainted ones included.
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'system-node-critical',
      // Root, because the logs it tails belong to root (and auth logs to syslog:adm, mode 0640), but no
      // more: of root's capabilities only reading files it does not own, no privilege escalation, and a
      // read-only image (positions and buffers live on the host's state directory).
      podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] } },
      resources: resources('50m', '64Mi', '256Mi'),
      env: envVars(ctx, target, archive),
      serviceMonitor: { enabled: monitored },
      dashboards: { enabled: monitored && cluster.role === 'management' },
      config: {
        service: serviceSection(),
        inputs: renderSections(inputs(s)),
        filters: renderSections(filters(cluster.name)),
        // Without a destination (management without OpenSearch, no archive) logs are read and dropped.
        outputs: outputs.length ? renderSections(outputs) : renderSections([section('OUTPUT', { Name: 'null', Match: '*' })]),
      },
      daemonSetVolumes: [
        { name: 'varlog', hostPath: { path: '/var/log' } },
        { name: 'varlibdockercontainers', hostPath: { path: '/var/lib/docker/containers' } },
        { name: 'etcmachineid', hostPath: { path: '/etc/machine-id', type: 'File' } },
        { name: 'state', hostPath: { path: STATE_DIR, type: 'DirectoryOrCreate' } },
        ...(target?.caFile
          ? [{ name: 'opensearch-ca', secret: { secretName: CA_BUNDLE_SECRET, items: [{ key: CA_BUNDLE_FILE, path: CA_BUNDLE_FILE }] } }]
          : []),
      ],
      daemonSetVolumeMounts: [
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'varlibdockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
        { name: 'etcmachineid', mountPath: '/etc/machine-id', readOnly: true },
        { name: 'state', mountPath: STATE_DIR },
        ...(target?.caFile ? [{ name: 'opensearch-ca', mountPath: OPENSEARCH_CA_DIR, readOnly: true }] : []),
      ],
    };
    // The platform CA's certificate for verifying the in-cluster OpenSearch (cert-manager writes it here).
    const ca = target?.caFile ? [caBundleCertificate(C, NS)] : [];
    return { values, objects: [...ca, ...networkPolicies(ctx, target, archive), ...alertRules(ctx, 'fluent-bit', NS, [alertsWith(FLUENT_BIT_ALERTS, {})])] };
  },
});
