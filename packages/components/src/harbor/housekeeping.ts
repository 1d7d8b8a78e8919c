import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { contentHash } from '../lib/naming';
import { RESTRICTED_CONTAINER } from '../lib/objects';
import { JOB_IMAGES, platformCronJob, restApiJob } from '../lib/workloads';
import { ADMIN_KEY, ADMIN_SECRET } from './oidc';
import { STORAGE_SECRET, type RegistryStorage } from './storage';

/**
 * Harbor's housekeeping, declared: garbage collection of unreferenced blobs on a schedule (Harbor keeps
 * that schedule in its database, so a Job sets it through the API, as for OIDC), the registry's purge
 * of abandoned uploads (chart values), and on S3 a CronJob that aborts multipart uploads the registry
 * left unfinished in the bucket (they are invisible as objects but stored and billed).
 */

const NS = 'harbor';
/** Five-field cron (UTC), as Kubernetes takes it; Harbor's API wants six fields (seconds first). */
const Cron = z.string().regex(/^\S+( \S+){4}$/, { message: 'a five-field cron schedule such as "0 3 * * 6"' });
const Hours = z.string().regex(/^[0-9]+h$/, { message: 'a number of hours such as "168h"' });
export const MULTIPART_CLEANUP_CRONJOB = 'harbor-multipart-cleanup';

export const housekeepingSettings = z
  .strictObject({
    gc: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Schedule Harbor garbage collection (removes blobs no artifact references)'),
        schedule: Cron.default('0 3 * * 6').describe('Cron schedule (UTC) of garbage collection'),
        deleteUntagged: z.boolean().default(true).describe('Garbage collection also deletes untagged artifacts'),
        workers: z.number().int().min(1).max(5).default(1).describe('Parallel garbage collection workers'),
        maxAgeDays: z
          .number()
          .int()
          .min(1)
          .default(8)
          .describe('Alert when no garbage collection succeeded for this many days (HarborGarbageCollectionTooOld)'),
      })
      .prefault({}),
    uploadPurging: z
      .strictObject({
        enabled: z.boolean().default(true).describe('The registry purges upload directories abandoned for longer than `age`'),
        age: Hours.default('168h').describe('Age after which an unfinished upload is purged'),
        interval: Hours.default('24h').describe('How often the registry purges'),
      })
      .prefault({}),
    multipartCleanup: z
      .strictObject({
        enabled: z.boolean().default(true).describe('S3 object storage: abort multipart uploads left unfinished in the registry bucket'),
        schedule: Cron.default('15 4 * * *').describe('Cron schedule (UTC) of the cleanup'),
        maxAge: z
          .string()
          .regex(/^[0-9]+[hdw]$/, { message: 'a duration such as "7d"' })
          .default('7d')
          .describe('Only uploads older than this are aborted (a push in progress is never touched)'),
      })
      .prefault({}),
  })
  .prefault({});

export type HousekeepingSettings = z.output<typeof housekeepingSettings>;

/** `registry.upload_purging` of the chart. */
export function uploadPurgingValues(s: HousekeepingSettings): JsonObject {
  const p = s.uploadPurging;
  return { enabled: p.enabled, age: p.age, interval: p.interval, dryrun: false };
}

/** The body of `PUT/POST /api/v2.0/system/gc/schedule`. */
export function gcSchedule(s: HousekeepingSettings['gc']): JsonObject {
  return { schedule: { type: 'Custom', cron: `0 ${s.schedule}` }, parameters: { delete_untagged: s.deleteUntagged, workers: s.workers } };
}

/**
 * A Job that sets the GC schedule once Harbor answers: update the schedule, or create it when there is
 * none yet. Named after its content, so a changed schedule runs a new Job.
 */
export function gcScheduleJob(s: HousekeepingSettings['gc']): K8sObject[] {
  if (!s.enabled) return [];
  const body = JSON.stringify(gcSchedule(s));
  const api = 'http://harbor-core/api/v2.0/system/gc/schedule';
  const call = (method: string) =>
    `curl -sS --fail-with-body -X ${method} -u "admin:$HARBOR_ADMIN_PASSWORD" -H 'Content-Type: application/json' -d '${body}' ${api}`;
  const script = [
    'set -eu',
    'i=0',
    'until curl -sf -o /dev/null http://harbor-core/api/v2.0/ping; do i=$((i + 1)); [ "$i" -lt 60 ] || exit 1; sleep 10; done',
    `${call('PUT')} || ${call('POST')}`,
  ].join('\n');
  return [
    restApiJob('harbor', NS, `harbor-gc-schedule-${contentHash(script)}`, {
      labels: { 'app.kubernetes.io/name': 'harbor-gc-schedule' },
      command: ['/bin/sh', '-c', script],
      env: [{ name: 'HARBOR_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: ADMIN_SECRET, key: ADMIN_KEY } } }],
    }),
  ];
}

/** rclone's S3 `cleanup` aborts unfinished multipart uploads older than max-age, with the registry's own credentials. */
export function multipartCleanup(storage: RegistryStorage, bucket: string, s: HousekeepingSettings['multipartCleanup']): K8sObject[] {
  const s3 = storage.rcloneEnv.some((e) => e.name === 'RCLONE_CONFIG_BACKUP_TYPE' && e.value === 's3');
  if (!s.enabled || !s3) return [];
  return [
    platformCronJob('harbor', NS, MULTIPART_CLEANUP_CRONJOB, s.schedule, {
      labels: { 'app.kubernetes.io/name': MULTIPART_CLEANUP_CRONJOB },
      runAs: { runAsUser: 65534, runAsGroup: 65534 },
      spec: {
        containers: [
          {
            name: 'cleanup',
            image: JOB_IMAGES.rclone,
            args: ['backend', 'cleanup', `backup:${bucket}`, '-o', `max-age=${s.maxAge}`],
            env: storage.rcloneEnv.map((e) =>
              e.secretKey ? { name: e.name, valueFrom: { secretKeyRef: { name: STORAGE_SECRET, key: e.secretKey } } } : { name: e.name, value: e.value ?? '' },
            ),
            securityContext: RESTRICTED_CONTAINER,
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
            volumeMounts: [
              { name: 'rclone-cache', mountPath: '/.cache' },
              { name: 'rclone-config', mountPath: '/config/rclone' },
            ],
          },
        ],
        volumes: [
          { name: 'rclone-cache', emptyDir: {} },
          { name: 'rclone-config', emptyDir: {} },
        ],
      },
    }),
  ];
}
