import { z } from 'zod';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { enabledOn } from '../lib/cluster-settings';
import { defineComponent } from '../lib/component';
import { RESTRICTED_CONTAINER } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { bucketName, endpointHost, objectStorage, objectStoragePorts } from '../lib/object-storage';
import { JOB_IMAGES, platformCronJob } from '../lib/workloads';
import { fluentBitSettings } from '../fluent-bit';
import { opensearchSettings } from '../opensearch';

const NS = 'rclone';
export const CONFIG_SECRET = 'rclone-config';
const CONFIG_KEY = 'rclone.conf';

const settings = z.strictObject({
  enabled: z.boolean().default(false).describe('Copy every platform bucket to an off-site object store on a schedule'),
  schedule: z.string().default('0 4 * * *').describe('Cron schedule (UTC) of the sync'),
  mode: z
    .enum(['sync', 'copy'])
    .default('sync')
    .describe('`sync` mirrors deletions to the off-site store; `copy` only adds (an off-site copy that survives deletions at the source)'),
  destinationPrefix: z.string().default('').describe('Prefix of the bucket names at the destination (`<prefix><bucket>`)'),
  extraBuckets: z.array(z.string().min(3)).default([]).describe('More source buckets to copy'),
});

/**
 * Every bucket the platform writes, derived from the components enabled on each cluster: metrics
 * blocks (thanos), log snapshots (opensearch), images and database dumps (harbor), cluster backups
 * (velero) and archived audit logs (fluent-bit).
 */
export function platformBuckets(env: EnvironmentConfig): string[] {
  const buckets = new Set<string>();
  for (const cluster of env.clusters) {
    if (objectStorage(cluster).type === 'none') continue;
    const add = (purpose: string) => buckets.add(bucketName(env, cluster, purpose));
    if (cluster.role === 'management') {
      if (enabledOn(cluster, 'thanos')) add('thanos');
      if (enabledOn(cluster, 'opensearch') && opensearchSettings(cluster).snapshots.enabled) add('opensearch');
      if (enabledOn(cluster, 'harbor')) add('harbor');
    }
    if (enabledOn(cluster, 'velero')) add('velero');
    if (enabledOn(cluster, 'fluent-bit') && fluentBitSettings(cluster).auditToObjectStorage) add('audit');
  }
  return [...buckets].sort();
}

/** What the person creating the `rclone-config` Secret writes: the source is known from the config, the destination is theirs. */
function configHint(cluster: ClusterConfig): string {
  const o = objectStorage(cluster);
  const source =
    o.type === 'azure'
      ? ['[source]', 'type = azureblob', 'account = <storage account>', 'key = <account key>']
      : o.type === 'gcs'
        ? ['[source]', 'type = google cloud storage', 'service_account_credentials = <service account JSON>']
        : o.type === 'swift'
          ? [
              '[source]',
              'type = swift',
              `auth = ${o.endpoint || '<keystone URL>'}`,
              'user = <user>',
              'key = <password>',
              'tenant = <project>',
              `region = ${o.region}`,
            ]
          : [
              '[source]',
              'type = s3',
              `provider = ${o.endpoint ? 'Other' : 'AWS'}`,
              ...(o.endpoint ? [`endpoint = ${endpointHost(o.endpoint)}`] : []),
              `region = ${o.region}`,
              'access_key_id = <access key>',
              'secret_access_key = <secret key>',
            ];
  return [...source, '', '[offsite]', 'type = <s3, swift, azureblob, ...>', '# credentials and endpoint of the off-site store'].join('\n');
}

const jobName = (bucket: string, env: EnvironmentConfig, cluster: ClusterConfig) => {
  const prefix = `${objectStorage(cluster).bucketPrefix || env.name}-`;
  const short = bucket.startsWith(prefix) ? bucket.slice(prefix.length) : bucket;
  return `rclone-sync-${short}`
    .slice(0, 52)
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+$/, '');
};

/**
 * Off-site copies of the platform's buckets: one CronJob per bucket (a failure names the bucket),
 * plain objects, no chart. The source and destination remotes come from the `rclone-config` Secret.
 */
export const rcloneSync = defineComponent({
  name: 'rclone-sync',
  description: 'Off-site copies of every platform bucket with rclone',
  roles: ['management'],
  namespace: NS,
  podSecurity: 'restricted',
  dependsOn: ['namespaces'],
  controls: ['MSBFS 2020:7 4 kap. 14 §', 'MSBFS 2020:7 4 kap. 15 §', 'MSBFS 2020:7 4 kap. 22 §', 'ISO 27001 A.12.3.1', 'ISO 27001 A.17.1.1'],
  settings,
  secrets(ctx) {
    return [
      {
        name: CONFIG_SECRET,
        namespace: NS,
        keys: [CONFIG_KEY],
        description: 'rclone configuration with two remotes: `source` (the platform object storage) and `offsite` (the destination)',
        generate: { [CONFIG_KEY]: { type: 'user', hint: configHint(ctx.cluster) } },
      },
    ];
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const buckets = [...new Set([...platformBuckets(env), ...s.extraBuckets])].sort();
    const labels = { 'app.kubernetes.io/name': 'rclone-sync' };
    const cronJobs: K8sObject[] = buckets.map((bucket) =>
      platformCronJob(
        'rclone-sync',
        NS,
        jobName(bucket, env, cluster),
        s.schedule,
        {
          labels,
          runAs: { runAsUser: 65534, runAsGroup: 65534 },
          spec: {
            containers: [
              {
                name: 'rclone',
                image: JOB_IMAGES.rclone,
                args: [
                  s.mode,
                  `source:${bucket}`,
                  `offsite:${s.destinationPrefix}${bucket}`,
                  '--config',
                  `/config/${CONFIG_KEY}`,
                  '--cache-dir',
                  '/tmp/cache',
                  '--use-json-log',
                  '--stats',
                  '1m',
                  '--log-level',
                  'INFO',
                ],
                env: [{ name: 'HOME', value: '/tmp' }],
                securityContext: RESTRICTED_CONTAINER,
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '1Gi' } },
                volumeMounts: [
                  { name: 'config', mountPath: '/config', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', secret: { secretName: CONFIG_SECRET } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
        { 'ck8s.io/bucket': bucket },
      ),
    );
    // The source's endpoint is known; the off-site store's lives only in the Secret (HTTPS on 443).
    return { objects: [...cronJobs, httpsTo('rclone-sync', cluster, 'objectStorage', NS, 'allow-object-storage', {}, objectStoragePorts(cluster))] };
  },
});
