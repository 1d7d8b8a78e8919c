import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';

/**
 * Object storage as the platform's components see it. One bucket per purpose and environment
 * (`<bucketPrefix or environment name>-<purpose>`); clusters write under their own prefix inside it.
 * Swift is used through its S3 API (s3api middleware), GCS through its S3-interoperable XML API when
 * a client only speaks S3 (HMAC keys).
 */
export type ObjectStorageType = 's3' | 'gcs' | 'azure' | 'swift' | 'none';

export function objectStorage(cluster: ClusterConfig) {
  return cluster.settings.storage.objectStorage as { type: ObjectStorageType; region: string; endpoint: string; s3Endpoint: string; bucketPrefix: string; credentialsSecret: string };
}

export function bucketName(env: EnvironmentConfig, cluster: ClusterConfig, purpose: string): string {
  const prefix = objectStorage(cluster).bucketPrefix || env.name;
  return `${prefix}-${purpose}`;
}

/** S3 endpoint for clients that need one; empty means the client's AWS default. */
export function s3Endpoint(cluster: ClusterConfig): string {
  const os = objectStorage(cluster);
  if (os.type === 'gcs') return os.endpoint || 'https://storage.googleapis.com';
  // Swift's `endpoint` is its Keystone URL; S3 clients use the store's S3 API (required by the config).
  if (os.type === 'swift') return os.s3Endpoint;
  return os.endpoint;
}

/**
 * Keys of the credentials Secret (`storage.objectStorage.credentialsSecret`) for clients that read
 * access keys from environment variables: S3-style access keys (HMAC keys for GCS), or the Azure
 * storage account and its key.
 */
export function accessKeyNames(type: ObjectStorageType): { id: string; secret: string } {
  return type === 'azure' ? { id: 'storage-account', secret: 'storage-key' } : { id: 'access-key-id', secret: 'secret-access-key' };
}

/**
 * TCP ports an object storage client connects to: 443, plus the port each given endpoint URL names
 * (a Keystone URL on :5000, an S3 gateway on :8080, plain http on 80). Egress NetworkPolicies open
 * exactly these; empty or unparsable URLs add nothing.
 */
export function endpointPorts(...urls: string[]): number[] {
  const ports = new Set([443]);
  for (const url of urls) {
    if (!url) continue;
    try {
      const u = new URL(url);
      ports.add(Number(u.port || (u.protocol === 'http:' ? 80 : 443)));
    } catch {
      // Not a URL: the config's own validation reports it; here it only cannot widen the policy.
    }
  }
  return [...ports];
}

/** Ports of the cluster's object storage endpoint (`storage.objectStorage.endpoint`) and any further endpoints. */
export function objectStoragePorts(cluster: ClusterConfig, ...more: string[]): number[] {
  return endpointPorts(objectStorage(cluster).endpoint, objectStorage(cluster).s3Endpoint, ...more);
}

/** Host (and port) of an endpoint URL, without scheme: what S3 clients that take a host want. */
export function endpointHost(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}
