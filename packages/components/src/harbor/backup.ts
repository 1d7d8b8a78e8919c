import type { K8sObject } from '@ck8s/manifest';
import { meta, RESTRICTED_CONTAINER } from '../lib/objects';
import { JOB_IMAGES, platformCronJob } from '../lib/workloads';
import { STORAGE_SECRET, type RegistryStorage } from './storage';

/** Same image (and pg_dump version) as the chart's internal database; pinned by tag. */
export const DATABASE_IMAGE = 'docker.io/goharbor/harbor-db:v2.13.1';
export const DATABASE_SECRET = 'harbor-database';
const BACKUP_PVC = 'harbor-database-backup';
/** The CronJob that dumps the database (its alerts watch it by name). */
export const BACKUP_CRONJOB = 'harbor-database-backup';
const NS = 'harbor';

export interface BackupSettings {
  schedule: string;
  retentionDays: number;
  storageClass: string;
}

/**
 * Nightly `pg_dump` of Harbor's database. With object storage the dump is uploaded next to the
 * images (with the registry's credentials) and dumps older than the retention are removed there;
 * without it, dumps stay on a volume of their own.
 */
export function databaseBackup(storage: RegistryStorage, s: BackupSettings): K8sObject[] {
  const upload = storage.backupPath !== undefined;
  const labels = { 'app.kubernetes.io/name': 'harbor-database-backup' };
  const dump = {
    name: 'dump',
    image: DATABASE_IMAGE,
    command: ['/bin/sh', '-c'],
    args: [
      [
        'set -eu',
        'file=/backup/registry-$(date -u +%Y%m%dT%H%M%SZ).dump',
        'pg_dump -h harbor-database -U postgres -Fc -f "$file.partial" registry',
        'mv "$file.partial" "$file"',
        ...(upload ? [] : [`find /backup -name 'registry-*.dump' -mtime +${s.retentionDays} -delete`]),
      ].join('\n'),
    ],
    env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: DATABASE_SECRET, key: 'password' } } }],
    securityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
    volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
  };
  const uploader = {
    name: 'upload',
    image: JOB_IMAGES.rclone,
    command: ['/bin/sh', '-c'],
    args: [[`rclone copy /backup backup:${storage.backupPath}`, `rclone delete --min-age ${s.retentionDays}d backup:${storage.backupPath}`].join(' && ')],
    env: storage.rcloneEnv.map((e) =>
      e.secretKey ? { name: e.name, valueFrom: { secretKeyRef: { name: STORAGE_SECRET, key: e.secretKey } } } : { name: e.name, value: e.value ?? '' },
    ),
    securityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    volumeMounts: [
      { name: 'backup', mountPath: '/backup', readOnly: true },
      { name: 'rclone-cache', mountPath: '/.cache' },
      { name: 'rclone-config', mountPath: '/config/rclone' },
    ],
  };
  const cronJob = platformCronJob('harbor', NS, BACKUP_CRONJOB, s.schedule, {
    labels,
    runAs: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
    spec: {
      // The dump runs first; the upload container starts once it is complete.
      ...(upload ? { initContainers: [dump], containers: [uploader] } : { containers: [dump] }),
      volumes: [
        upload ? { name: 'backup', emptyDir: {} } : { name: 'backup', persistentVolumeClaim: { claimName: BACKUP_PVC } },
        ...(upload
          ? [
              { name: 'rclone-cache', emptyDir: {} },
              { name: 'rclone-config', emptyDir: {} },
            ]
          : []),
      ],
    },
  });
  if (upload) return [cronJob];
  const pvc: K8sObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('harbor', BACKUP_PVC, NS),
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: s.storageClass, resources: { requests: { storage: '10Gi' } } },
  };
  return [pvc, cronJob];
}
