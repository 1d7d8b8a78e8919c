import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import { bucketName, endpointHost, objectStorage } from '../lib/object-storage';

/** Credentials of the registry's object storage, under the key names the chart's `existingSecret` expects. */
export const STORAGE_SECRET = 'harbor-registry-storage';

export interface SwiftSettings {
  username: string;
  tenant: string;
  domain: string;
}

export interface RegistryStorage {
  /** `persistence.imageChartStorage` values. */
  values: JsonObject;
  /** Keys of the credentials Secret and how to fill them; empty for filesystem storage. */
  secretKeys: Record<string, string>;
  /**
   * The same storage as rclone environment variables (remote `backup`), so the database backup can
   * upload next to the images with the registry's own credentials.
   */
  rcloneEnv: { name: string; value?: string; secretKey?: string }[];
  /** Where backups go inside the remote. */
  backupPath?: string;
}

/** Image storage by object storage API: s3 → s3, swift → swift, gcs/azure likewise, none → a PVC. */
export function registryStorage(env: EnvironmentConfig, cluster: ClusterConfig, swift: SwiftSettings, azureAccount: string): RegistryStorage {
  const o = objectStorage(cluster);
  const bucket = bucketName(env, cluster, 'harbor');
  const backupPath = `${bucket}/database-backups`;
  switch (o.type) {
    case 's3':
      return {
        values: {
          type: 's3',
          s3: {
            bucket,
            region: o.region || 'us-east-1',
            ...(o.endpoint ? { regionendpoint: o.endpoint } : {}),
            existingSecret: STORAGE_SECRET,
            secure: true,
            v4auth: true,
          },
        },
        secretKeys: {
          REGISTRY_STORAGE_S3_ACCESSKEY: `access key of the bucket ${bucket}`,
          REGISTRY_STORAGE_S3_SECRETKEY: `secret key of the bucket ${bucket}`,
        },
        rcloneEnv: [
          { name: 'RCLONE_CONFIG_BACKUP_TYPE', value: 's3' },
          { name: 'RCLONE_CONFIG_BACKUP_PROVIDER', value: o.endpoint ? 'Other' : 'AWS' },
          ...(o.endpoint ? [{ name: 'RCLONE_CONFIG_BACKUP_ENDPOINT', value: endpointHost(o.endpoint) }] : []),
          ...(o.region ? [{ name: 'RCLONE_CONFIG_BACKUP_REGION', value: o.region }] : []),
          { name: 'RCLONE_CONFIG_BACKUP_ACCESS_KEY_ID', secretKey: 'REGISTRY_STORAGE_S3_ACCESSKEY' },
          { name: 'RCLONE_CONFIG_BACKUP_SECRET_ACCESS_KEY', secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY' },
        ],
        backupPath,
      };
    case 'swift':
      return {
        values: {
          type: 'swift',
          swift: {
            authurl: o.endpoint,
            ...(o.region ? { region: o.region } : {}),
            container: bucket,
            username: swift.username,
            ...(swift.tenant ? { tenant: swift.tenant } : {}),
            ...(swift.domain ? { domain: swift.domain } : {}),
            existingSecret: STORAGE_SECRET,
          },
        },
        // The chart reads all three keys from the Secret; only the password matters for Keystone auth.
        secretKeys: {
          REGISTRY_STORAGE_SWIFT_PASSWORD: `password of the Swift user ${swift.username || '<username>'}`,
          REGISTRY_STORAGE_SWIFT_SECRETKEY: 'secret key for Swift temp URLs (may be empty)',
          REGISTRY_STORAGE_SWIFT_ACCESSKEY: 'access key for Swift temp URLs (may be empty)',
        },
        rcloneEnv: [
          { name: 'RCLONE_CONFIG_BACKUP_TYPE', value: 'swift' },
          { name: 'RCLONE_CONFIG_BACKUP_AUTH', value: o.endpoint },
          { name: 'RCLONE_CONFIG_BACKUP_USER', value: swift.username },
          ...(swift.tenant ? [{ name: 'RCLONE_CONFIG_BACKUP_TENANT', value: swift.tenant }] : []),
          ...(swift.domain ? [{ name: 'RCLONE_CONFIG_BACKUP_DOMAIN', value: swift.domain }] : []),
          ...(o.region ? [{ name: 'RCLONE_CONFIG_BACKUP_REGION', value: o.region }] : []),
          { name: 'RCLONE_CONFIG_BACKUP_KEY', secretKey: 'REGISTRY_STORAGE_SWIFT_PASSWORD' },
        ],
        backupPath,
      };
    case 'gcs':
      return {
        values: { type: 'gcs', gcs: { bucket, existingSecret: STORAGE_SECRET } },
        secretKeys: { GCS_KEY_DATA: `service account JSON key with access to the bucket ${bucket}` },
        rcloneEnv: [
          { name: 'RCLONE_CONFIG_BACKUP_TYPE', value: 'google cloud storage' },
          { name: 'RCLONE_CONFIG_BACKUP_SERVICE_ACCOUNT_CREDENTIALS', secretKey: 'GCS_KEY_DATA' },
        ],
        backupPath,
      };
    case 'azure':
      return {
        values: { type: 'azure', azure: { accountname: azureAccount, container: bucket, existingSecret: STORAGE_SECRET } },
        secretKeys: { AZURE_STORAGE_ACCESS_KEY: `access key of the storage account ${azureAccount || '<account>'}` },
        rcloneEnv: [
          { name: 'RCLONE_CONFIG_BACKUP_TYPE', value: 'azureblob' },
          { name: 'RCLONE_CONFIG_BACKUP_ACCOUNT', value: azureAccount },
          { name: 'RCLONE_CONFIG_BACKUP_KEY', secretKey: 'AZURE_STORAGE_ACCESS_KEY' },
        ],
        backupPath,
      };
    case 'none':
      return { values: { type: 'filesystem' }, secretKeys: {}, rcloneEnv: [] };
  }
}
