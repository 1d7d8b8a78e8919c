export interface AddWorkloadClusterSchema {
  /** Existing environment (folder under environments/). */
  environment: string;
  /** Name of the new workload cluster. */
  name: string;
  /** Provider of the new cluster when it differs from the environment's (writes <name>.yaml). */
  provider?: 'exoscale' | 'safespring' | 'elastx' | 'upcloud' | 'openstack' | 'aws' | 'azure' | 'baremetal' | 'none';
  /** age key file to decrypt existing secrets with, when shared values must be reused or updated. */
  ageKeyFile?: string;
}
