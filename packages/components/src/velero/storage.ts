import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import { bucketName, objectStorage, s3Endpoint, type ObjectStorageType } from '../lib/object-storage';

/** Velero 1.16 pairs with the v1.12 plugin line. */
const PLUGINS: Record<'aws' | 'gcp' | 'azure', string> = {
  aws: 'velero/velero-plugin-for-aws:v1.12.1',
  gcp: 'velero/velero-plugin-for-gcp:v1.12.1',
  azure: 'velero/velero-plugin-for-microsoft-azure:v1.12.1',
};

/** Swift is reached through its S3 API; GCS through Velero's own GCP plugin (S3 interop is a known problem there). */
export function veleroProvider(type: ObjectStorageType): 'aws' | 'gcp' | 'azure' | undefined {
  switch (type) {
    case 's3':
    case 'swift':
      return 'aws';
    case 'gcs':
      return 'gcp';
    case 'azure':
      return 'azure';
    default:
      return undefined;
  }
}

export interface AzureSettings {
  resourceGroup: string;
  storageAccount: string;
  subscriptionId: string;
}

/** The provider-specific `config` of the BackupStorageLocation. */
function locationConfig(cluster: ClusterConfig, provider: 'aws' | 'gcp' | 'azure', azure: AzureSettings): JsonObject {
  const os = objectStorage(cluster);
  if (provider === 'gcp') return {};
  if (provider === 'azure') {
    return {
      resourceGroup: azure.resourceGroup,
      storageAccount: azure.storageAccount,
      ...(azure.subscriptionId ? { subscriptionId: azure.subscriptionId } : {}),
      // The key comes from the credentials file, not from a service principal.
      storageAccountKeyEnvVar: 'AZURE_STORAGE_ACCOUNT_ACCESS_KEY',
    };
  }
  const url = s3Endpoint(cluster);
  return {
    region: os.region || 'us-east-1',
    ...(url
      ? {
          s3Url: url,
          s3ForcePathStyle: 'true',
          // S3-compatible stores (Ceph RGW, Swift s3api, ...) reject the SDK's default checksum headers.
          checksumAlgorithm: '',
        }
      : {}),
  };
}

/** One BackupStorageLocation per cluster: a shared `<prefix>-velero` bucket, the cluster name as prefix. */
export function backupStorageLocation(env: EnvironmentConfig, cluster: ClusterConfig, azure: AzureSettings): JsonObject | undefined {
  const provider = veleroProvider(objectStorage(cluster).type);
  if (!provider) return undefined;
  return {
    name: 'default',
    provider,
    bucket: bucketName(env, cluster, 'velero'),
    prefix: cluster.name,
    default: true,
    accessMode: 'ReadWrite',
    config: locationConfig(cluster, provider, azure),
  };
}

export function pluginInitContainers(type: ObjectStorageType): JsonObject[] {
  const provider = veleroProvider(type);
  if (!provider) return [];
  return [
    {
      name: `velero-plugin-for-${provider}`,
      image: PLUGINS[provider],
      imagePullPolicy: 'IfNotPresent',
      volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
    },
  ];
}

/** What the `cloud` key of the credentials Secret holds for each provider. */
export function credentialsHint(type: ObjectStorageType): string {
  switch (veleroProvider(type)) {
    case 'aws':
      return 'AWS-style credentials file: "[default]" with aws_access_key_id and aws_secret_access_key (S3 or Swift S3 API keys)';
    case 'gcp':
      return 'GCP service account key (JSON) with access to the bucket';
    case 'azure':
      return 'Azure credentials file (KEY=value lines) with AZURE_STORAGE_ACCOUNT_ACCESS_KEY and AZURE_CLOUD_NAME';
    default:
      return 'no object storage configured';
  }
}
