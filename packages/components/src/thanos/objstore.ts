import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import { bucketName, endpointHost, objectStorage } from '../lib/object-storage';

/** Secret with Thanos's object storage configuration; `existingObjstoreSecret` reads key `objstore.yml`. */
export const OBJSTORE_SECRET = 'thanos-objstore';
export const OBJSTORE_KEY = 'objstore.yml';

/**
 * What the person creating the `thanos-objstore` Secret writes into `objstore.yml`, per object storage
 * API: everything but the credentials is known from the config, so the hint spells it out.
 */
export function objstoreHint(env: EnvironmentConfig, cluster: ClusterConfig): string {
  const o = objectStorage(cluster);
  const bucket = bucketName(env, cluster, 'thanos');
  switch (o.type) {
    case 's3':
      return [
        'type: S3',
        'config:',
        `  bucket: ${bucket}`,
        `  endpoint: ${o.endpoint ? endpointHost(o.endpoint) : `s3.${o.region || '<region>'}.amazonaws.com`}`,
        `  region: ${o.region || '<region>'}`,
        '  access_key: <access key>',
        '  secret_key: <secret key>',
      ].join('\n');
    case 'swift':
      return [
        'type: SWIFT',
        'config:',
        `  auth_url: ${o.endpoint || '<keystone URL>'}`,
        `  region_name: ${o.region || '<region>'}`,
        `  container_name: ${bucket}`,
        '  username: <user>',
        '  password: <password>',
        '  project_name: <project>',
        '  user_domain_name: Default',
        '  project_domain_name: Default',
      ].join('\n');
    case 'gcs':
      return ['type: GCS', 'config:', `  bucket: ${bucket}`, '  service_account: |-', '    <service account JSON key>'].join('\n');
    case 'azure':
      return ['type: AZURE', 'config:', '  storage_account: <storage account>', '  storage_account_key: <account key>', `  container: ${bucket}`].join('\n');
    case 'none':
      return '';
  }
}
