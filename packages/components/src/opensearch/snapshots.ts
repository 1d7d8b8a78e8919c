import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import { bucketName, endpointHost, objectStorage, s3Endpoint as s3ApiEndpoint } from '../lib/object-storage';

/** Secret whose keys are added to the OpenSearch keystore (the repository plugins read credentials there). */
export const SNAPSHOT_SECRET = 'opensearch-snapshot-credentials';
export const SNAPSHOT_REPOSITORY = 'platform';

export interface SnapshotPlan {
  /** Repository plugin to install (not part of the OpenSearch image). */
  plugin: string;
  repository: { type: string; settings: Record<string, string> };
  /** Keystore entries and how the person creating the Secret fills them. */
  keystore: Record<string, string>;
  /** Client settings for opensearch.yml. */
  clientSettings: Record<string, string | boolean>;
  /** Endpoint URL the repository client connects to; empty means the cloud's default (HTTPS). */
  endpoint: string;
}

/**
 * Where snapshots go, per object storage API. Swift has no OpenSearch repository plugin: Swift
 * deployments use their S3-compatible API (set `snapshots.s3Endpoint` to it).
 */
export function snapshotPlan(env: EnvironmentConfig, cluster: ClusterConfig, s3Endpoint: string): SnapshotPlan | undefined {
  const o = objectStorage(cluster);
  const bucket = bucketName(env, cluster, 'opensearch');
  const basePath = 'snapshots';
  switch (o.type) {
    case 's3':
    case 'swift': {
      const endpoint = s3Endpoint || s3ApiEndpoint(cluster);
      return {
        plugin: 'repository-s3',
        repository: { type: 's3', settings: { bucket, base_path: basePath, client: 'default' } },
        keystore: {
          's3.client.default.access_key': `access key of the ${o.type} bucket ${bucket}`,
          's3.client.default.secret_key': `secret key of the ${o.type} bucket ${bucket}`,
        },
        clientSettings: {
          ...(endpoint ? { 's3.client.default.endpoint': endpointHost(endpoint), 's3.client.default.path_style_access': true } : {}),
          ...(o.region ? { 's3.client.default.region': o.region } : {}),
        },
        endpoint,
      };
    }
    case 'gcs':
      return {
        plugin: 'repository-gcs',
        repository: { type: 'gcs', settings: { bucket, base_path: basePath, client: 'default' } },
        keystore: { 'gcs.client.default.credentials_file': `service account JSON key with write access to the GCS bucket ${bucket}` },
        clientSettings: {},
        endpoint: '',
      };
    case 'azure':
      return {
        plugin: 'repository-azure',
        repository: { type: 'azure', settings: { container: bucket, base_path: basePath, client: 'default' } },
        keystore: { 'azure.client.default.account': 'storage account name', 'azure.client.default.key': `storage account key (container ${bucket})` },
        clientSettings: {},
        endpoint: '',
      };
    case 'none':
      return undefined;
  }
}
