import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';

/**
 * Object storage as the platform's components see it. One bucket per purpose and environment
 * (`<bucketPrefix or environment name>-<purpose>`); clusters write under their own prefix inside it.
 * Swift is used through its S3 API (s3api middleware), GCS through its S3-interoperable XML API when
 * a client only speaks S3 (HMAC keys).
 */
export type ObjectStorageType = 's3' | 'gcs' | 'azure' | 'swift' | 'none';

export function objectStorage(cluster: ClusterConfig) {
  return cluster.settings.storage.objectStorage as {
    type: ObjectStorageType;
    region: string;
    endpoint: string;
    s3Endpoint: string;
    bucketPrefix: string;
    credentialsSecret: string;
  };
}

export function bucketName(env: EnvironmentConfig, cluster: ClusterConfig, purpose: string): string {
  const prefix = objectStorage(cluster).bucketPrefix || env.name;
  return `${prefix}-${purpose}`;
}

/** Where a store is, for messages: its type and endpoint (or region). */
function describeStore(os: { type: string; endpoint: string; s3Endpoint: string; region: string }): string {
  const where = os.s3Endpoint || os.endpoint || (os.region ? `region ${os.region}` : 'the default endpoint');
  return `${os.type} at ${where}`;
}

/**
 * Why a cluster needs object storage credentials of its own, or undefined when the environment's
 * serve it: its store (type, endpoint, S3 endpoint or region) differs from the one config.yaml
 * describes, e.g. a workload cluster at another provider. The environment-level credentials under
 * secrets/ belong to the environment's store; sending them to another provider's endpoint would fail
 * at best and hand them to a third party at worst.
 */
export function ownObjectStorage(env: EnvironmentConfig, cluster: ClusterConfig): string | undefined {
  const mine = objectStorage(cluster);
  const theirs = env.objectStorage;
  if (!theirs || mine.type === 'none') return undefined;
  const same = mine.type === theirs.type && mine.endpoint === theirs.endpoint && mine.s3Endpoint === theirs.s3Endpoint && mine.region === theirs.region;
  return same ? undefined : `cluster ${cluster.name} stores objects in ${describeStore(mine)}, not in the environment's ${describeStore(theirs)}`;
}

/** A placeholder hint that, for a cluster with its own store, says which store's credentials belong there. */
export function ownStoreHint(env: EnvironmentConfig, cluster: ClusterConfig, hint: string): string {
  return ownObjectStorage(env, cluster) ? `${hint}, for ${describeStore(objectStorage(cluster))} (cluster ${cluster.name}'s own store)` : hint;
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
