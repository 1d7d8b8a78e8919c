import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { oidcClient } from '../dex/clients';
import { defineComponent, type SecretRequirement } from '../lib/component';
import { HARBOR_BACKUPS } from './backups';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { HARBOR_ALERTS } from './alerts';
import { endpoints } from '../lib/hosts';
import { allow, PROMETHEUS_SELECTOR_LABELS, resources } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { bucketName, objectStorage, objectStoragePorts } from '../lib/object-storage';
import { ingressSettings, tlsAnnotations } from '../lib/ingress';
import { BACKUP_CRONJOB, DATABASE_SECRET, databaseBackup } from './backup';
import { ADMIN_KEY, ADMIN_SECRET, OIDC_SECRET, oidcConfigurer } from './oidc';
import { registryStorage, STORAGE_SECRET } from './storage';
import { gcScheduleJob, housekeepingSettings, multipartCleanup, uploadPurgingValues } from './housekeeping';

export { oidcSettings } from './oidc';

const NS = 'harbor';
const WEB_PORT = 8080;
const METRICS_PORT = 8001;
const S = {
  secretKey: 'harbor-secret-key',
  core: 'harbor-core',
  jobservice: 'harbor-jobservice',
  registry: 'harbor-registry',
  registryCredentials: 'harbor-registry-credentials',
} as const;

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Harbor, the container registry with vulnerability scanning'),
  replicas: z.number().int().min(1).max(5).default(1).describe('Replicas of core, portal, jobservice and (with object storage) registry'),
  registrySize: z.string().default('50Gi').describe('Registry volume when the provider has no object storage'),
  databaseSize: z.string().default('2Gi').describe("Volume of Harbor's internal PostgreSQL"),
  // Requests (and memory limits) for every Harbor pod: the chart sets none but Trivy's.
  resources: z
    .strictObject({
      core: resourceSettings('25m', '128Mi', '512Mi'),
      portal: resourceSettings('10m', '32Mi', '128Mi'),
      jobservice: resourceSettings('25m', '128Mi', '512Mi'),
      registry: resourceSettings('25m', '128Mi', '512Mi'),
      database: resourceSettings('50m', '256Mi', '1Gi'),
      redis: resourceSettings('10m', '32Mi', '256Mi'),
    })
    .prefault({})
    .describe('Requests and memory limits per Harbor service'),
  swift: z
    .strictObject({
      username: z.string().default('').describe('Swift user of the registry storage'),
      tenant: z.string().default('').describe('Swift project (tenant)'),
      domain: z.string().default('').describe('Keystone domain'),
    })
    .prefault({})
    .describe('Swift settings (object storage type swift); the password is in the Secret harbor-registry-storage'),
  azureAccount: z.string().default('').describe('Storage account of the registry (object storage type azure)'),
  backup: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Back up Harbor's database nightly"),
      schedule: z.string().default('30 2 * * *').describe('Cron schedule (UTC) of the database backup'),
      retentionDays: z.number().int().min(1).default(7).describe('Days database dumps are kept'),
      maxAgeHours: z
        .number()
        .int()
        .min(1)
        .default(26)
        .describe('Alert when the newest successful database backup is older than this (HarborDatabaseBackupTooOld)'),
    })
    .prefault({}),
  oidcAdminGroup: z.string().default('').describe('Dex group whose members become Harbor administrators'),
  housekeeping: housekeepingSettings.describe('Garbage collection, purging of abandoned uploads, and cleanup of unfinished multipart uploads in the bucket'),
});

/**
 * Harbor: the platform's registry. Images go to object storage when the provider has it, Trivy scans
 * every push, the database is dumped nightly, and logins go through Dex (set through Harbor's API by
 * a Job, because Harbor takes its authentication mode from its database, not from chart values).
 */
export const harbor = defineComponent({
  name: 'harbor',
  description: 'Harbor container registry with Trivy vulnerability scanning, object storage and database backups',
  roles: ['management'],
  namespace: NS,
  // The internal database's init container fixes volume ownership as root.
  podSecurity: 'baseline',
  chart: 'harbor',
  dependsOn: ['namespaces', 'cert-manager', 'ingress', 'dex', 'kube-prometheus-stack'],
  alerts: [HARBOR_ALERTS],
  controls: [
    'MSBFS 2020:7 4 kap. 1 §',
    'MSBFS 2020:7 4 kap. 2 §',
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 5 §',
    'MSBFS 2020:7 4 kap. 7 §',
    'MSBFS 2020:7 4 kap. 9 §',
    'MSBFS 2020:7 4 kap. 14 §',
    'MSBFS 2020:7 4 kap. 22 §',
    'ISO 27001 A.9.4.1',
    'ISO 27001 A.10',
    'ISO 27001 A.10.1.2',
    'ISO 27001 A.12.3.1',
    'ISO 27001 A.13.1',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.13',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.1.20',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.5.1',
    'NIST SP 800-171 3.5.2',
    'NIST SP 800-171 3.5.4',
    'NIST SP 800-171 3.13.1',
    'NIST SP 800-171 3.13.10',
  ],
  settings,
  backups: HARBOR_BACKUPS,
  defaults: flavorPresets({
    production: {
      replicas: 2,
      registrySize: '200Gi',
      databaseSize: '10Gi',
      backup: { retentionDays: 30 },
      resources: {
        core: { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' },
        portal: { cpu: '25m', memory: '64Mi', memoryLimit: '256Mi' },
        jobservice: { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' },
        registry: { cpu: '100m', memory: '256Mi', memoryLimit: '2Gi' },
        database: { cpu: '250m', memory: '512Mi', memoryLimit: '2Gi' },
        redis: { cpu: '50m', memory: '64Mi', memoryLimit: '512Mi' },
      },
    },
  }),
  checkSettings(s, env) {
    return env.flavor !== 'dev' && !s.backup.enabled
      ? [{ path: ['backup', 'enabled'], message: `Harbor's database backup must stay enabled in the ${env.flavor} flavor` }]
      : [];
  },
  secrets(ctx) {
    const { env, cluster, settings: s } = ctx;
    const storage = registryStorage(env, cluster, s.swift, s.azureAccount);
    const random = (length?: number) => ({ type: 'random' as const, ...(length ? { length } : {}) });
    const reqs: SecretRequirement[] = [
      { name: ADMIN_SECRET, namespace: NS, keys: [ADMIN_KEY], description: 'Password of the Harbor admin user', generate: { [ADMIN_KEY]: random() } },
      // Harbor requires exactly 16 characters here.
      {
        name: S.secretKey,
        namespace: NS,
        keys: ['secretKey'],
        description: 'Key Harbor encrypts stored credentials with',
        generate: { secretKey: random(16) },
      },
      {
        name: S.core,
        namespace: NS,
        keys: ['secret', 'CSRF_KEY'],
        description: 'Harbor core: inter-component secret and CSRF key',
        generate: { secret: random(16), CSRF_KEY: random(32) },
      },
      { name: S.jobservice, namespace: NS, keys: ['JOBSERVICE_SECRET'], description: 'Harbor jobservice secret', generate: { JOBSERVICE_SECRET: random(16) } },
      { name: S.registry, namespace: NS, keys: ['REGISTRY_HTTP_SECRET'], description: 'Registry HTTP secret', generate: { REGISTRY_HTTP_SECRET: random(16) } },
      {
        name: S.registryCredentials,
        namespace: NS,
        keys: ['REGISTRY_PASSWD', 'REGISTRY_HTPASSWD'],
        description: 'Credentials Harbor core uses towards the registry (the password and its htpasswd line)',
        generate: {
          REGISTRY_PASSWD: { type: 'random', shareAs: 'harbor-registry-user' },
          REGISTRY_HTPASSWD: { type: 'htpasswd', user: 'harbor_registry_user', of: 'harbor-registry-user' },
        },
      },
      { name: DATABASE_SECRET, namespace: NS, keys: ['password'], description: "Password of Harbor's internal PostgreSQL", generate: { password: random() } },
    ];
    if (Object.keys(storage.secretKeys).length) {
      reqs.push({
        name: STORAGE_SECRET,
        namespace: NS,
        keys: Object.keys(storage.secretKeys),
        description: `Object storage credentials of the registry (${objectStorage(cluster).type})`,
        generate: Object.fromEntries(Object.entries(storage.secretKeys).map(([k, hint]) => [k, { type: 'user', hint }])),
      });
    }
    if (ctx.isEnabled('dex')) {
      reqs.push({
        name: OIDC_SECRET,
        namespace: NS,
        keys: ['client-secret'],
        description: 'OIDC client secret of Harbor in Dex',
        generate: { 'client-secret': { type: 'random', shareAs: oidcClient(env, 'harbor').share } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const host = endpoints(env).harbor;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const sso = ctx.isEnabled('dex');
    const storage = registryStorage(env, cluster, s.swift, s.azureAccount);
    const filesystem = objectStorage(cluster).type === 'none';
    const storageClass = cluster.settings.storage.storageClass;
    const pvc = (size: string) => ({ storageClass, size });

    const values: JsonObject = {
      externalURL: `https://${host}`,
      expose: {
        type: 'ingress',
        tls: { enabled: true, certSource: 'secret', secret: { secretName: 'harbor-tls' } },
        ingress: {
          hosts: { core: host },
          className: ingressSettings(cluster).className,
          annotations: {
            ...tlsAnnotations(cluster),
            // Image layers are large: no body size limit on ingress-nginx (Traefik has none by default).
            'nginx.ingress.kubernetes.io/proxy-body-size': '0',
            'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
          },
        },
      },
      existingSecretAdminPassword: ADMIN_SECRET,
      existingSecretAdminPasswordKey: ADMIN_KEY,
      existingSecretSecretKey: S.secretKey,
      persistence: {
        enabled: true,
        imageChartStorage: storage.values,
        persistentVolumeClaim: {
          ...(filesystem ? { registry: pvc(s.registrySize) } : {}),
          database: pvc(s.databaseSize),
          redis: pvc('1Gi'),
          trivy: pvc('5Gi'),
        },
      },
      core: {
        replicas: s.replicas,
        existingSecret: S.core,
        existingXsrfSecret: S.core,
        existingXsrfSecretKey: 'CSRF_KEY',
        resources: toResources(s.resources.core),
      },
      portal: { replicas: s.replicas, resources: toResources(s.resources.portal) },
      jobservice: {
        replicas: s.replicas,
        existingSecret: S.jobservice,
        existingSecretKey: 'JOBSERVICE_SECRET',
        // Job logs in the database: no ReadWriteOnce volume that would pin jobservice to one replica.
        jobLoggers: ['database'],
        resources: toResources(s.resources.jobservice),
      },
      registry: {
        // A filesystem registry lives on one ReadWriteOnce volume: one replica.
        replicas: filesystem ? 1 : s.replicas,
        existingSecret: S.registry,
        existingSecretKey: 'REGISTRY_HTTP_SECRET',
        credentials: { existingSecret: S.registryCredentials },
        upload_purging: uploadPurgingValues(s.housekeeping),
        registry: { resources: toResources(s.resources.registry) },
        controller: { resources: resources('10m', '32Mi', '128Mi') },
      },
      // Harbor's scanner has no database mirror setting: with mirrors it scans with the database in its image, never downloading.
      trivy: {
        enabled: true,
        replicas: 1,
        ignoreUnfixed: false,
        ...(env.mirrors?.images ? { skipUpdate: true, skipJavaDBUpdate: true, offlineScan: true } : {}),
      },
      database: { type: 'internal', internal: { resources: toResources(s.resources.database) } },
      redis: { type: 'internal', internal: { resources: toResources(s.resources.redis) } },
      exporter: { resources: resources('10m', '32Mi', '128Mi') },
      metrics: { enabled: monitored, serviceMonitor: { enabled: monitored, additionalLabels: PROMETHEUS_SELECTOR_LABELS } },
    };

    const objects: K8sObject[] = [
      ...alertRules(ctx, 'harbor', NS, [
        alertsWith(HARBOR_ALERTS, {
          namespace: NS,
          backupCronJob: BACKUP_CRONJOB,
          backupMaxAgeHours: s.backup.maxAgeHours,
          backup: s.backup.enabled,
          gc: s.housekeeping.gc.enabled,
          gcMaxAgeHours: s.housekeeping.gc.maxAgeDays * 24,
        }),
      ]),
      ...allow.sameNamespace('harbor', NS),
      // The chart's Ingress routes to core (API, registry protocol) and portal.
      allow.fromIngress('harbor', NS, [{ port: WEB_PORT }]),
      ...(monitored ? [allow.fromMonitoring('harbor', NS, [{ port: METRICS_PORT }])] : []),
      // Object storage, Trivy's vulnerability database, replication endpoints, Dex's issuer URL.
      httpsTo('harbor', cluster, 'objectStorage', NS, 'allow-object-storage', {}, objectStoragePorts(cluster)),
      httpsTo('harbor', cluster, 'registries', NS, 'allow-registries'),
      ...(sso ? [httpsTo('harbor', cluster, 'platformEndpoints', NS, 'allow-dex')] : []),
      ...(sso ? [allow.toIngress('harbor', NS)] : []),
      ...(s.backup.enabled ? databaseBackup(storage, { schedule: s.backup.schedule, retentionDays: s.backup.retentionDays, storageClass }) : []),
      ...multipartCleanup(storage, bucketName(env, cluster, 'harbor'), s.housekeeping.multipartCleanup),
    ];
    const config = [...(sso ? oidcConfigurer(env, s.oidcAdminGroup) : []), ...gcScheduleJob(s.housekeeping.gc)];
    return {
      values,
      // The internal database's password has no existingSecret option in the chart: merged from the Secret at apply time.
      secretValues: [{ secret: DATABASE_SECRET, key: 'password', targetPath: 'database.internal.password' }],
      objects,
      ...(config.length ? { config } : {}),
    };
  },
});
