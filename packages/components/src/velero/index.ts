import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { defineComponent, type RenderContext } from '../lib/component';
import { renderAlertGroup } from '../lib/alerts/rules';
import { alertTarget } from '../lib/alerts/runbooks';
import { objectStorage, objectStoragePorts, ownObjectStorage, ownStoreHint } from '../lib/object-storage';
import { allow, meta, resources } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';
import { platformNamespaces, SYSTEM_NAMESPACES } from '../lib/platform-namespaces';
import { VELERO_ALERTS } from './alerts';
import { VELERO_BACKUPS } from './backups';
import { backupStorageLocation, credentialsHint, pluginInitContainers, veleroProvider } from './storage';

const NS = 'velero';
const C = 'velero';
/** Resources carrying this label are left out of the workload clusters' backups. */
export const NO_BACKUP_LABEL = 'compliantkubernetes.io/nobackup';
/** Shortest backup retention each flavor accepts. */
export const MIN_BACKUP_RETENTION_DAYS = { dev: 1, prod: 7, 'air-gapped': 7 } as const;

const Hours = z.string().regex(/^[0-9]+h$/, { message: 'a number of hours such as "168h"' });

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Back up the cluster with Velero (required outside dev)'),
  schedule: z.string().min(9).default('0 2 * * *').describe('Cron schedule of the daily backup (UTC)'),
  retention: Hours.default('168h').describe('How long backups are kept (Velero TTL)'),
  fsBackup: z.boolean().default(true).describe('Back up persistent volume contents with the node agent (kopia); otherwise only Kubernetes objects'),
  skipVolumesWithOwnBackup: z
    .boolean()
    .default(true)
    .describe(
      'Management: leave out the volumes whose state has a backup of its own ' +
        '(OpenSearch snapshots, Harbor database dump and registry bucket, Thanos blocks in object storage); ' +
        'their namespaces get an objects-only schedule. false: file-level copies of every platform volume',
    ),
  maxBackupAgeHours: z.number().int().min(1).default(26).describe('Alert when the newest successful scheduled backup is older than this'),
  azure: z
    .strictObject({
      resourceGroup: z.string().default('').describe('Resource group of the storage account (azure object storage)'),
      storageAccount: z.string().default('').describe('Storage account holding the velero container (azure object storage)'),
      subscriptionId: z.string().default('').describe("Subscription of the storage account when it differs from the cluster's"),
    })
    .prefault({}),
});

type Settings = z.output<typeof settings>;
type Ctx = RenderContext<Settings>;

const hours = (h: string) => Number(h.slice(0, -1));
const azureComplete = (a: Settings['azure']) => !!a.resourceGroup && !!a.storageAccount;

function scheduleObject(ctx: Ctx, name: string, scope: JsonObject, volumes: boolean): K8sObject {
  const { settings: s } = ctx;
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: meta(C, name, NS),
    spec: {
      schedule: s.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        ...scope,
        labelSelector: { matchExpressions: [{ key: NO_BACKUP_LABEL, operator: 'DoesNotExist' }] },
        storageLocation: 'default',
        ttl: s.retention,
        snapshotVolumes: false,
        defaultVolumesToFsBackup: volumes,
      },
    },
  };
}

/** Platform namespaces whose components back their volumes up with a mechanism of their own. */
export function ownBackupNamespaces(ctx: Pick<Ctx, 'enabledComponents' | 'settings'>): string[] {
  if (!ctx.settings.skipVolumesWithOwnBackup) return [];
  return [...new Set(ctx.enabledComponents.filter((c) => c.ownVolumeBackups).map((c) => c.namespace))].sort();
}

/**
 * What each role backs up: the management cluster its platform namespaces (Grafana, Dex,
 * Alertmanager...), those whose volumes have their own backup (OpenSearch, Thanos, Harbor) as
 * Kubernetes objects only; a workload cluster everything but the platform's namespaces, that is every
 * user namespace, including ones created later. Users opt single resources out with a label.
 */
function schedules(ctx: Ctx): K8sObject[] {
  const { cluster, settings: s } = ctx;
  const platform = platformNamespaces(ctx.enabledComponents);
  if (cluster.role !== 'management') return [scheduleObject(ctx, 'user-namespaces', { includedNamespaces: ['*'], excludedNamespaces: platform }, s.fsBackup)];
  const own = ownBackupNamespaces(ctx);
  const managed = platform.filter((n) => !(SYSTEM_NAMESPACES as readonly string[]).includes(n) && n !== NS);
  const withVolumes = managed.filter((n) => !own.includes(n));
  const objectsOnly = managed.filter((n) => own.includes(n));
  return [
    scheduleObject(ctx, 'platform-namespaces', { includedNamespaces: withVolumes }, s.fsBackup),
    ...(objectsOnly.length ? [scheduleObject(ctx, 'platform-objects', { includedNamespaces: objectsOnly }, false)] : []),
  ];
}

/** The chart renders the PrometheusRule from a list of rules (its own group). */
function veleroRules(ctx: Ctx): JsonObject[] {
  return renderAlertGroup(VELERO_ALERTS, ctx.settings, alertTarget(ctx.env, ctx.cluster)).rules as JsonObject[];
}

function networkPolicies(ctx: Ctx): K8sObject[] {
  const { cluster } = ctx;
  return [
    allow.apiServer(C, cluster, NS),
    httpsTo(C, cluster, 'objectStorage', NS, 'allow-object-storage', {}, objectStoragePorts(cluster)),
    ...(ctx.isEnabled('kube-prometheus-stack') ? [allow.fromMonitoring(C, NS, [{ port: 8085 }])] : []),
  ];
}

/**
 * Velero: scheduled backups to object storage (`<prefix>-velero`, one prefix per cluster), with
 * volume contents through the node agent. The BackupStorageLocation comes from the chart values; the
 * Schedule is config (it needs the velero.io CRDs). Alerts fire on failed and on missing backups.
 */
export const velero = defineComponent({
  name: 'velero',
  description: 'Scheduled backups of platform (management) and user (workload) namespaces to object storage',
  roles: ['management', 'workload'],
  namespace: NS,
  // The node agent reads pod volumes from the host (hostPath /var/lib/kubelet/pods).
  podSecurity: 'privileged',
  chart: 'velero',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  providesApiGroups: ['velero.io'],
  alerts: [VELERO_ALERTS],
  controls: [
    'MSBFS 2020:7 4 kap. 14 §',
    'MSBFS 2020:7 4 kap. 15 §',
    'MSBFS 2020:7 4 kap. 22 §',
    'ISO 27001 A.12.3.1',
    'ISO 27001 A.17.1.1',
    'NIST SP 800-171 3.6.3',
  ],
  settings,
  backups: VELERO_BACKUPS,
  defaults: flavorPresets({ production: { retention: '720h' } }),
  checkSettings(s, env, cluster) {
    const problems: { path: PropertyKey[]; message: string }[] = [];
    const type = objectStorage(cluster).type;
    if (env.flavor !== 'dev') {
      if (!s.enabled) problems.push({ path: ['enabled'], message: `backups must be on in the ${env.flavor} flavor` });
      else if (!veleroProvider(type)) problems.push({ path: ['enabled'], message: `backups need object storage; storage.objectStorage.type is "${type}"` });
    }
    const min = MIN_BACKUP_RETENTION_DAYS[env.flavor];
    if (s.enabled && hours(s.retention) < min * 24)
      problems.push({ path: ['retention'], message: `backup retention "${s.retention}" is below the ${env.flavor} minimum of ${min} days` });
    // dev renders no backup location until they are set; elsewhere backups are required, so they must be.
    if (env.flavor !== 'dev' && s.enabled && type === 'azure' && !azureComplete(s.azure)) {
      problems.push({ path: ['azure'], message: 'azure object storage needs azure.resourceGroup and azure.storageAccount' });
    }
    return problems;
  },
  secrets(ctx) {
    const os = objectStorage(ctx.cluster);
    if (!veleroProvider(os.type) || (os.type === 'azure' && !azureComplete(ctx.settings.azure))) return [];
    return [
      {
        name: os.credentialsSecret,
        namespace: NS,
        keys: ['cloud'],
        description: `Velero object storage credentials, key "cloud": ${credentialsHint(os.type)}`,
        generate: { cloud: { type: 'user', hint: ownStoreHint(ctx.env, ctx.cluster, credentialsHint(os.type)) } },
        clusterScoped: ownObjectStorage(ctx.env, ctx.cluster),
      },
    ];
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const os = objectStorage(cluster);
    const location = os.type === 'azure' && !azureComplete(s.azure) ? undefined : backupStorageLocation(env, cluster, s.azure);
    const values: JsonObject = {
      initContainers: pluginInitContainers(os.type),
      resources: resources('100m', '256Mi', '1Gi'),
      credentials: location ? { useSecret: true, existingSecret: os.credentialsSecret } : { useSecret: false },
      backupsEnabled: !!location,
      // Volume contents go through the node agent; provider snapshots are not portable across providers.
      snapshotsEnabled: false,
      deployNodeAgent: !!location && s.fsBackup,
      nodeAgent: { resources: resources('100m', '256Mi', '1Gi'), tolerations: [{ operator: 'Exists' }] },
      configuration: {
        backupStorageLocation: location ? [location] : [],
        volumeSnapshotLocation: [],
        uploaderType: 'kopia',
        defaultVolumesToFsBackup: s.fsBackup,
        defaultBackupTTL: s.retention,
      },
      // helm-controller replaces the chart's CRDs on every upgrade (crds: CreateReplace), so the chart's
      // own kubectl upgrade Job — whose image would follow the cluster version, unpinned — is not needed.
      upgradeCRDs: false,
      metrics: {
        enabled: true,
        serviceMonitor: { autodetect: false, enabled: monitored },
        nodeAgentPodMonitor: { autodetect: false, enabled: monitored && !!location && s.fsBackup },
        prometheusRule: { autodetect: false, enabled: monitored && !!location, spec: monitored && location ? veleroRules(ctx) : [] },
      },
    };
    return { values, objects: networkPolicies(ctx), config: location ? schedules(ctx) : [] };
  },
});
