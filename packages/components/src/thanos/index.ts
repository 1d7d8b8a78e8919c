import { z } from 'zod';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import { toYaml, type JsonObject, type K8sObject } from '@ck8s/manifest';
import { settingsAccessor } from '../lib/cluster-settings';
import { defineComponent, type SecretRequirement } from '../lib/component';
import { THANOS_BACKUPS } from './backups';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { renderAlertGroup } from '../lib/alerts/rules';
import { alertTarget } from '../lib/alerts/runbooks';
import { endpoints } from '../lib/hosts';
import { allow, netpol, peers, PROMETHEUS_SELECTOR_LABELS } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { IN_CLUSTER_ALERTMANAGER_URL, metricsTarget, workloadClusters } from '../lib/wiring';
import { MONITORING_NAMESPACE, USER_GRAFANA_NAMESPACE } from '../lib/platform-namespaces';
import { BASIC_AUTH_KEY, basicAuthIngress } from '../lib/ingress';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { objectStorage, objectStoragePorts } from '../lib/object-storage';
import { THANOS_ALERTS, THANOS_TENANT_ALERTS } from './alerts';
import { OBJSTORE_KEY, OBJSTORE_SECRET, objstoreHint } from './objstore';

export { OBJSTORE_SECRET } from './objstore';

const NS = 'thanos';
/** Release name = chart key, so the chart names every object `thanos-<component>`. */
const RELEASE = 'thanos';
export const THANOS_QUERY_SERVICE = `${RELEASE}-query-frontend`;
/** In-cluster query endpoint for Grafana datasources (query-frontend caches and splits queries). */
export const THANOS_QUERY_URL = `http://${THANOS_QUERY_SERVICE}.${NS}.svc:9090`;
/** Header the remote-writing Prometheus sets to its tenant (`metricsTarget(...).tenant`). */
export const THANOS_TENANT_HEADER = 'THANOS-TENANT';
/** Label Thanos receive adds to every series with the tenant it was written for. */
export const THANOS_TENANT_LABEL = 'tenant_id';

const RECEIVE_AUTH_SECRET = 'thanos-receive-auth';
const QUERY_AUTH_SECRET = 'thanos-query-auth';
const PORTS = { http: 10902, grpc: 10901, remote: 19291, capnproto: 19391, frontend: 9090 } as const;
/** In-cluster remote-write endpoint: the management cluster's own Prometheus writes here, past the ingress. */
export const THANOS_RECEIVE_URL = `http://${RELEASE}-receive.${NS}.svc:${PORTS.remote}/api/v1/receive`;

const Retention = z.strictObject({
  rawDays: z.number().int().min(1).default(7).describe('Days raw samples are kept in object storage'),
  fiveMinuteDays: z.number().int().min(1).default(14).describe('Days 5-minute downsampled data is kept'),
  oneHourDays: z.number().int().min(1).default(30).describe('Days 1-hour downsampled data is kept'),
});

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Thanos: receive (remote-write from workload clusters), query, compactor, store gateway, ruler'),
  retention: Retention.prefault({}).describe('Retention per resolution (compactor)'),
  receive: z
    .strictObject({
      replicas: z.number().int().min(1).max(9).default(1).describe('Receive replicas (StatefulSet, one hashring endpoint each)'),
      replicationFactor: z.number().int().min(1).max(5).default(1).describe('Copies of each sample across receive replicas (odd, at most replicas)'),
      localRetention: z
        .string()
        .regex(/^[0-9]+[hdw]$/)
        .default('1d')
        .describe('How long receive keeps its local TSDB (blocks are uploaded every 2h)'),
      storageSize: z.string().default('10Gi').describe('Persistent volume per receive replica'),
      resources: resourceSettings('50m', '256Mi', '1Gi'),
    })
    .prefault({}),
  query: z
    .strictObject({
      replicas: z.number().int().min(1).max(9).default(1).describe('Query and query-frontend replicas'),
      ingress: z.boolean().default(false).describe('Expose query-frontend at the thanos.<opsDomain> endpoint (basic auth, Secret thanos-query-auth)'),
      enforceTenancy: z
        .boolean()
        .default(false)
        .describe(
          'Let queries only see the tenant named in their THANOS-TENANT header ' +
            '(the user Grafana has one datasource per workload cluster, the ops Grafana then one per cluster)',
        ),
      resources: resourceSettings('25m', '128Mi', '512Mi'),
      frontendResources: resourceSettings('10m', '64Mi', '256Mi').describe('Requests and memory limit of query-frontend'),
    })
    .prefault({}),
  storegateway: z
    .strictObject({
      replicas: z.number().int().min(1).max(9).default(1).describe('Store gateway replicas (they serve the blocks in object storage to queries)'),
      storageSize: z.string().default('10Gi').describe('Index cache volume per store gateway'),
      resources: resourceSettings('25m', '128Mi', '512Mi'),
    })
    .prefault({}),
  compactor: z
    .strictObject({
      storageSize: z.string().default('20Gi').describe('Scratch volume for compaction and downsampling'),
      resources: resourceSettings('50m', '256Mi', '1Gi'),
    })
    .prefault({}),
  ruler: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Evaluate platform rules over all tenants (e.g. a workload cluster stopped sending metrics)'),
      replicas: z.number().int().min(1).max(5).default(1).describe('Ruler replicas'),
      resources: resourceSettings('25m', '128Mi', '512Mi'),
    })
    .prefault({}),
});

type ThanosSettings = z.output<typeof settings>;

/** Thanos's settings on a cluster, for the components that wire to it (query exposure, tenancy). */
export const thanosSettings = settingsAccessor('thanos', settings);

/** Production sizing and retention. */
const PRODUCTION = {
  retention: { rawDays: 30, fiveMinuteDays: 90, oneHourDays: 365 },
  receive: { replicas: 3, replicationFactor: 3, storageSize: '50Gi', resources: { cpu: '250m', memory: '1Gi', memoryLimit: '4Gi' } },
  query: {
    replicas: 2,
    resources: { cpu: '100m', memory: '512Mi', memoryLimit: '2Gi' },
    frontendResources: { cpu: '50m', memory: '128Mi', memoryLimit: '512Mi' },
  },
  storegateway: { replicas: 2, storageSize: '20Gi', resources: { cpu: '100m', memory: '512Mi', memoryLimit: '2Gi' } },
  compactor: { storageSize: '100Gi', resources: { cpu: '200m', memory: '1Gi', memoryLimit: '4Gi' } },
  ruler: { replicas: 2, resources: { cpu: '50m', memory: '256Mi', memoryLimit: '1Gi' } },
};

/** Hashring endpoints: every receive replica, by the stable names of its StatefulSet pods. */
function receiveEndpoints(replicas: number) {
  return Array.from({ length: replicas }, (_, i) => {
    const host = `${RELEASE}-receive-${i}.${RELEASE}-receive-headless.${NS}.svc.cluster.local`;
    return { address: `${host}:${PORTS.grpc}`, capnproto_address: `${host}:${PORTS.capnproto}` };
  });
}

/**
 * A Grafana datasource that queries Thanos as one tenant: it sends the tenant in the THANOS-TENANT
 * header, which is what `query.enforceTenancy` filters on. (A tenant name is not a secret; Grafana
 * only takes header values from secureJsonData.)
 */
export function tenantDatasource(tenant: string, isDefault: boolean): JsonObject {
  return {
    name: `Thanos ${tenant}`,
    uid: `thanos-${tenant}`,
    type: 'prometheus',
    access: 'proxy',
    url: THANOS_QUERY_URL,
    isDefault,
    editable: false,
    jsonData: { httpHeaderName1: THANOS_TENANT_HEADER, timeInterval: '30s' },
    secureJsonData: { httpHeaderValue1: tenant },
  };
}

/** Whether Thanos on this (management) cluster only answers queries for the tenant they name. */
export function thanosEnforcesTenancy(cluster: ClusterConfig): boolean {
  return thanosSettings(cluster).query.enforceTenancy;
}

/** Tenants that may write: every workload cluster, and the management cluster's own Prometheus. */
export function thanosTenants(env: EnvironmentConfig): string[] {
  const management = env.clusters.filter((c) => c.role === 'management').map((c) => c.name);
  return [...workloadClusters(env).map((c) => metricsTarget(env, c.name).tenant), ...management];
}

/**
 * One hashring per tenant and no catch-all: a write for a tenant the platform does not know is
 * refused instead of landing in a default tenant.
 */
export function hashrings(env: EnvironmentConfig, replicas: number) {
  return thanosTenants(env).map((tenant) => ({ hashring: tenant, tenants: [tenant], endpoints: receiveEndpoints(replicas) }));
}

/** Rules the ruler evaluates over every received tenant (the management Prometheus only sees its own cluster). */
function rulerConfig(env: EnvironmentConfig, cluster: ClusterConfig): string {
  const tenants = workloadClusters(env).map((c) => ({ cluster: c.name, tenant: metricsTarget(env, c.name).tenant }));
  const params = { tenants, tenantLabel: THANOS_TENANT_LABEL };
  return toYaml({ groups: tenants.length ? [renderAlertGroup(THANOS_TENANT_ALERTS, params, alertTarget(env, cluster))] : [] });
}

function thanosValues(env: EnvironmentConfig, cluster: ClusterConfig, s: ThanosSettings, monitored: boolean): JsonObject {
  const storageClass = cluster.settings.storage.storageClass;
  const hasObjstore = objectStorage(cluster).type !== 'none';
  const pdb = (replicas: number) => ({ create: replicas > 1, minAvailable: '', maxUnavailable: 1 });
  const chartPolicy = { enabled: false };
  const rawRetention = `${s.retention.rawDays}d`;

  return {
    // Bitnami moved its Debian-based images (docker.io/bitnami/*) to docker.io/bitnamilegacy, where they
    // are still published but no longer updated; the chart's default repository stops resolving.
    // `allowInsecureImages` acknowledges the substitution, which the chart otherwise refuses to render.
    image: { repository: 'bitnamilegacy/thanos' },
    global: { security: { allowInsecureImages: true } },
    ...(hasObjstore ? { existingObjstoreSecret: OBJSTORE_SECRET } : {}),
    metrics: { enabled: monitored, serviceMonitor: { enabled: monitored, labels: PROMETHEUS_SELECTOR_LABELS } },
    receive: {
      enabled: true,
      mode: 'standalone',
      replicaCount: s.receive.replicas,
      replicationFactor: Math.min(s.receive.replicationFactor, s.receive.replicas),
      replicaLabel: 'replica',
      // Without object storage receive is the only store: it keeps raw data for the whole raw retention.
      tsdbRetention: hasObjstore ? s.receive.localRetention : rawRetention,
      // Pod DNS names are the hashring endpoints.
      service: { additionalHeadless: true },
      config: hashrings(env, s.receive.replicas),
      extraFlags: [`--receive.tenant-header=${THANOS_TENANT_HEADER}`, `--receive.tenant-label-name=${THANOS_TENANT_LABEL}`],
      persistence: { enabled: true, storageClass, size: s.receive.storageSize },
      resources: toResources(s.receive.resources),
      pdb: pdb(s.receive.replicas),
      networkPolicy: chartPolicy,
    },
    query: {
      enabled: true,
      replicaCount: s.query.replicas,
      // Receive replicas label their series `replica`; query deduplicates across them.
      replicaLabel: ['replica', 'prometheus_replica'],
      dnsDiscovery: { enabled: true },
      extraFlags: s.query.enforceTenancy
        ? ['--query.enforce-tenancy', `--query.tenant-header=${THANOS_TENANT_HEADER}`, `--query.tenant-label-name=${THANOS_TENANT_LABEL}`]
        : [],
      resources: toResources(s.query.resources),
      pdb: pdb(s.query.replicas),
      networkPolicy: chartPolicy,
    },
    queryFrontend: {
      enabled: true,
      replicaCount: s.query.replicas,
      resources: toResources(s.query.frontendResources),
      pdb: pdb(s.query.replicas),
      networkPolicy: chartPolicy,
      ...(s.query.enforceTenancy ? { extraFlags: [`--query-frontend.forward-header=${THANOS_TENANT_HEADER}`] } : {}),
    },
    storegateway: {
      enabled: hasObjstore,
      replicaCount: s.storegateway.replicas,
      persistence: { enabled: true, storageClass, size: s.storegateway.storageSize },
      resources: toResources(s.storegateway.resources),
      pdb: pdb(s.storegateway.replicas),
      networkPolicy: chartPolicy,
    },
    compactor: {
      enabled: hasObjstore,
      retentionResolutionRaw: rawRetention,
      retentionResolution5m: `${s.retention.fiveMinuteDays}d`,
      retentionResolution1h: `${s.retention.oneHourDays}d`,
      // Replicated receive writes one block per replica: merge them (vertical compaction) on the replica label.
      extraFlags: s.receive.replicationFactor > 1 ? ['--deduplication.replica-label=replica', '--compact.enable-vertical-compaction'] : [],
      persistence: { enabled: true, storageClass, size: s.compactor.storageSize },
      resources: toResources(s.compactor.resources),
      networkPolicy: chartPolicy,
    },
    ruler: {
      enabled: s.ruler.enabled,
      replicaCount: s.ruler.replicas,
      alertmanagers: monitored ? [IN_CLUSTER_ALERTMANAGER_URL] : [],
      clusterName: cluster.name,
      config: rulerConfig(env, cluster),
      persistence: { enabled: true, storageClass, size: '5Gi' },
      resources: toResources(s.ruler.resources),
      pdb: pdb(s.ruler.replicas),
      networkPolicy: chartPolicy,
    },
    bucketweb: { enabled: false },
  } as JsonObject;
}

const component = (name: string) => ({ matchLabels: { 'app.kubernetes.io/instance': RELEASE, 'app.kubernetes.io/component': name } });

/**
 * Thanos on the management cluster: workload clusters remote-write into receive (one tenant and
 * hashring per cluster, basic auth per cluster at the ingress), blocks go to object storage, the
 * compactor enforces retention and downsamples, store gateway and query serve it all to Grafana.
 */
export const thanos = defineComponent({
  name: 'thanos',
  description: 'Thanos: long-term, multi-tenant metrics from every cluster (receive, query, compactor, store gateway, ruler)',
  roles: ['management'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'thanos',
  dependsOn: ['namespaces', 'cert-manager', 'ingress', 'kube-prometheus-stack'],
  controls: ['MSBFS 2020:7 2 kap. 4 §', 'ISO 27001 A.12.1.3'],
  alerts: [THANOS_ALERTS, THANOS_TENANT_ALERTS],
  settings,
  backups: THANOS_BACKUPS,
  defaults: flavorPresets({ production: PRODUCTION }),
  secrets(ctx) {
    const { env, cluster, settings: s } = ctx;
    const reqs: SecretRequirement[] = [
      {
        name: RECEIVE_AUTH_SECRET,
        namespace: NS,
        keys: [BASIC_AUTH_KEY],
        description: 'htpasswd file for remote-write into Thanos receive: one line per workload cluster, each with the password its Prometheus sends',
        generate: {
          [BASIC_AUTH_KEY]: {
            type: 'htpasswd-file',
            entries: workloadClusters(env).map((c) => ({ user: metricsTarget(env, c.name).username, of: metricsTarget(env, c.name).share })),
          },
        },
      },
    ];
    if (objectStorage(cluster).type !== 'none') {
      reqs.push({
        name: OBJSTORE_SECRET,
        namespace: NS,
        keys: [OBJSTORE_KEY],
        description: `Thanos object storage configuration (${objectStorage(cluster).type}) for the bucket of metrics blocks`,
        generate: { [OBJSTORE_KEY]: { type: 'user', hint: objstoreHint(env, cluster) } },
      });
    }
    if (s.query.ingress) {
      reqs.push({
        name: QUERY_AUTH_SECRET,
        namespace: NS,
        keys: [BASIC_AUTH_KEY],
        description: 'htpasswd file for the Thanos query endpoint (operators)',
        generate: { [BASIC_AUTH_KEY]: { type: 'htpasswd-file', entries: [{ user: 'ops', of: 'thanos-query-ops' }] } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const userGrafana = ctx.isEnabled('user-grafana');
    const hasObjstore = objectStorage(cluster).type !== 'none';
    const objects: K8sObject[] = [
      // Remote write from the workload clusters, each with its own identity from the htpasswd Secret.
      basicAuthIngress(cluster, {
        component: 'thanos',
        namespace: NS,
        name: 'thanos-receive',
        host: endpoints(env).thanosReceive,
        service: `${RELEASE}-receive`,
        port: PORTS.remote,
        secret: RECEIVE_AUTH_SECRET,
      }),
      // Query fans out to receive, store gateway and ruler; receive replicates between replicas.
      ...allow.sameNamespace('thanos', NS),
      allow.fromIngress('thanos', NS, [{ port: PORTS.remote }], component('receive'), 'allow-remote-write'),
      // Ops Grafana (monitoring) and the user Grafana query through query-frontend; the management
      // cluster's Prometheus may remote-write to receive directly.
      netpol.allowIngress(
        'thanos',
        NS,
        'allow-query',
        [peers.namespace(MONITORING_NAMESPACE), ...(userGrafana ? [peers.namespace(USER_GRAFANA_NAMESPACE)] : [])],
        [{ port: PORTS.frontend }],
        component('query-frontend'),
      ),
      netpol.allowIngress(
        'thanos',
        NS,
        'allow-in-cluster-remote-write',
        [peers.namespace(MONITORING_NAMESPACE)],
        [{ port: PORTS.remote }],
        component('receive'),
      ),
      ...(monitored ? [allow.fromMonitoring('thanos', NS, [{ port: PORTS.http }, { port: PORTS.frontend }])] : []),
      ...(hasObjstore ? [httpsTo('thanos', cluster, 'objectStorage', NS, 'allow-object-storage', {}, objectStoragePorts(cluster))] : []),
      ...alertRules(ctx, 'thanos', NS, [
        alertsWith(THANOS_ALERTS, { replicated: s.receive.replicationFactor > 1 && s.receive.replicas > 1, objectStorage: hasObjstore }),
      ]),
      ...(monitored && s.ruler.enabled
        ? [netpol.allowEgress('thanos', NS, 'allow-alertmanager', [peers.namespace(MONITORING_NAMESPACE)], [{ port: 9093 }], component('ruler'))]
        : []),
    ];
    if (s.query.ingress) {
      objects.push(
        basicAuthIngress(cluster, {
          component: 'thanos',
          namespace: NS,
          name: 'thanos-query',
          host: endpoints(env).thanosQuery,
          service: THANOS_QUERY_SERVICE,
          port: PORTS.frontend,
          secret: QUERY_AUTH_SECRET,
        }),
        allow.fromIngress('thanos', NS, [{ port: PORTS.frontend }], component('query-frontend'), 'allow-query-from-ingress'),
      );
    }
    return { values: thanosValues(env, cluster, s, monitored), objects };
  },
});
