import { asBoolean, asInteger, asString, different, fixedAs, mapped, memoryQuantity, none, replaced, resources, type Converted, type Rule } from './types';
import type { Area } from './area';

/** A Go duration (`720h0m0s`, `168h`, `30d` is not Go) → whole hours (`720h`), Velero's TTL as we write it. */
function hours(v: unknown): Converted {
  const m = typeof v === 'string' ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v) : null;
  if (!m || v === '' || Number(m[2] ?? 0) || Number(m[3] ?? 0)) return { skip: `${JSON.stringify(v)} is not a whole number of hours` };
  return { value: `${Number(m[1] ?? 0)}h` };
}

const SINGLE_REPLICAS = 'one replica count for core, portal, jobservice and registry (components.harbor.replicas, taken from core)';

const rules: Rule[] = [
  // ---- Harbor ----
  mapped('harbor.enabled', 'components.harbor.enabled', { clusters: 'sc', convert: asBoolean }),
  different('harbor.enabled', 'Harbor runs on the management cluster; workload clusters pull from it when it is enabled there', { clusters: 'wc' }),
  different('harbor.subdomain', 'fixed endpoint name', {
    convert: fixedAs('harbor', 'our endpoint is harbor.<domain>', 'move DNS records and image references to harbor.<domain>'),
  }),
  mapped('harbor.core.replicas', 'components.harbor.replicas', { convert: asInteger }),
  different('harbor.*.replicas', SINGLE_REPLICAS),
  ...resources('harbor.core.resources', 'components.harbor.resources.core'),
  ...resources('harbor.portal.resources', 'components.harbor.resources.portal'),
  ...resources('harbor.jobservice.resources', 'components.harbor.resources.jobservice'),
  ...resources('harbor.registry.resources', 'components.harbor.resources.registry'),
  ...resources('harbor.database.internal.resources', 'components.harbor.resources.database'),
  ...resources('harbor.redis.internal.resources', 'components.harbor.resources.redis'),
  none('harbor.registry.controller.resources.**', "the registry controller's sizing is the chart's"),
  none('harbor.exporter.**', "Harbor's metrics come from its core; no separate exporter settings"),
  none('harbor.trivy.resources.**', "Harbor's Trivy scanner sizing is the chart's"),
  different('harbor.database.type', "Harbor's PostgreSQL runs in the cluster", {
    convert: fixedAs('internal', 'internal database', 'an external database has no equivalent'),
  }),
  mapped('harbor.database.internal.persistentVolumeClaim.size', 'components.harbor.databaseSize', { convert: memoryQuantity }),
  none('harbor.database.external.**', 'no external database'),
  different('harbor.redis.type', "Harbor's Redis runs in the cluster", {
    convert: fixedAs('internal', 'internal Redis', 'an external Redis has no equivalent'),
  }),
  none('harbor.redis.internal.persistentVolumeClaim.**', "Redis' volume is the chart's"),
  none('harbor.redis.external', 'no external Redis'),
  mapped('harbor.registry.persistentVolumeClaim.size', 'components.harbor.registrySize', {
    convert: memoryQuantity,
    note: 'used when the cluster has no object storage',
  }),
  none('harbor.jobservice.jobLog.**', "the job log volume is the chart's"),
  none('harbor.jobservice.scanDataExports.**', "the scan export volume is the chart's"),
  none('harbor.jobservice.jobLoggers', 'job logs go to the job log volume'),
  none('harbor.trivy.persistentVolumeClaim.**', "the scanner cache volume is the chart's"),
  none('harbor.trivy.extraEnvVars', 'no scanner database mirrors'),
  different(
    'harbor.persistence.type',
    'images are stored in <bucketPrefix>-harbor when the cluster has object storage, otherwise on a volume (components.harbor.registrySize)',
    {
      convert: (v) =>
        v === 'objectStorage'
          ? { equal: 'object storage, as before' }
          : {
              skip:
                v === 'swift'
                  ? 'a Swift container has no equivalent: copy the registry into <bucketPrefix>-harbor (S3 API)'
                  : 'a volume is used only when the cluster has no object storage: copy the registry into <bucketPrefix>-harbor',
            },
    },
  ),
  none('harbor.persistence.disableRedirect', 'no setting'),
  mapped('harbor.oidc.adminGroupName', 'components.harbor.oidcAdminGroup', { convert: asString }),
  different('harbor.oidc.groupClaimName', 'groups come from the groups claim from Dex', {
    convert: fixedAs('groups', 'the groups claim', 'another claim has no equivalent'),
  }),
  different('harbor.oidc.scope', 'Harbor asks Dex for openid, email, profile, offline_access and groups'),
  mapped('harbor.backup.enabled', 'components.harbor.backup.enabled', { convert: asBoolean }),
  mapped('harbor.backup.retentionDays', 'components.harbor.backup.retentionDays', { convert: asInteger }),
  mapped('harbor.backup.schedule', 'components.harbor.backup.schedule', { convert: asString }),
  none('harbor.backup.ephemeralBackupStore.**', 'database dumps go to object storage directly'),
  none('harbor.s3.**', "the registry's multipart settings are the chart's"),
  none('harbor.gc.**', 'garbage collection is scheduled in Harbor (Administration → Clean Up)'),
  none('harbor.alerts.**', 'Harbor alerts: backup age (components.harbor.backup.maxAgeHours); no storage, artifact or latency thresholds'),
  none('harbor.mpuCleaner.**', 'no multipart upload cleaner: set a lifecycle rule for incomplete uploads on the bucket'),
  replaced('harbor.ingress.defaultAnnotations.**', 'traefik', 'ingress-nginx buffering annotations mean nothing to Traefik, which streams uploads'),
  none('harbor.ingress.additionalAnnotations', 'no extra ingress annotations'),
  none('harbor.objectStorage.**', 'one object storage per cluster (storage.objectStorage)'),

  // ---- Velero ----
  mapped('velero.enabled', 'components.velero.enabled', { convert: asBoolean }),
  mapped('velero.schedule', 'components.velero.schedule', { convert: asString }),
  mapped('velero.retentionPeriod', 'components.velero.retention', { convert: hours }),
  different('velero.uploaderType', 'volume contents are backed up with kopia by the node agent', {
    convert: fixedAs('kopia', 'kopia', 'restic has no equivalent (restic backups stay restorable by the old Velero only)'),
  }),
  different('velero.useVolumeSnapshots', 'volume contents are backed up by the node agent (components.velero.fsBackup); CSI snapshots are not used'),
  none('velero.restoreResourcePriorities', "Velero's default restore order"),
  different(
    'velero.excludedNamespaces',
    "on workload clusters the users' namespaces are backed up, on the management cluster the platform's: no exclusion list",
  ),
  different(
    'velero.excludedExtraNamespaces',
    "on workload clusters the users' namespaces are backed up, on the management cluster the platform's: no exclusion list",
  ),
  different(
    'velero.storagePrefix',
    'each cluster writes under its own name in <bucketPrefix>-velero; old backups under the old prefix stay restorable with the old Velero',
  ),
  none('velero.nodeAgent.resources.**', "the node agent's sizing is the chart's"),
  none('velero.resources.**', "Velero's sizing is the chart's"),
  none('velero.objectStorage.**', 'one object storage per cluster (storage.objectStorage)'),
  none('tektonPipelines.**', 'Tekton (the ck8s upgrade pipeline) is not needed: upgrades are pull requests that Flux applies'),
];

export const registryBackup: Area = {
  title: 'Registry and backups: Harbor, Velero',
  roots: ['harbor', 'velero', 'tektonPipelines'],
  rules,
};

/** Placement of pods: no equivalent anywhere. */
export const SCHEDULING: Rule[] = [
  none(
    '**.tolerations',
    'pod placement (tolerations, affinity, node selectors, spread) is fixed per component: no setting; platform pods spread over nodes by hostname',
  ),
  none(
    '**.affinity.**',
    'pod placement (tolerations, affinity, node selectors, spread) is fixed per component: no setting; platform pods spread over nodes by hostname',
  ),
  none('**.podAffinity.**', 'pod placement is fixed per component: no setting'),
  none('**.nodeAffinity.**', 'pod placement is fixed per component: no setting'),
  none('**.nodeSelector.**', 'pod placement is fixed per component: no setting'),
  none('**.topologySpreadConstraints', 'pod placement is fixed per component: no setting; platform pods spread over nodes by hostname'),
  none('**.resources.**', "the sizing of this part is the chart's: no setting"),
];
