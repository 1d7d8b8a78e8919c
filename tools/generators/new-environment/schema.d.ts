export interface NewEnvironmentSchema {
  /** Environment name: folder under environments/ and clusters/, and the Nx project name. */
  name: string;
  flavor: 'dev' | 'prod' | 'air-gapped';
  provider: 'exoscale' | 'safespring' | 'elastx' | 'upcloud' | 'openstack' | 'aws' | 'azure' | 'baremetal' | 'none';
  domain: string;
  /** Workload cluster names (comma-separated on the command line). */
  workloadClusters?: string | string[];
  managementCluster?: string;
  /** age recipients (comma-separated on the command line). */
  ageRecipient: string | string[];
  gitUrl: string;
  gitBranch?: string;
  email: string;
  /** Extra config.yaml settings as YAML/JSON (a map), merged into the generated file. */
  settings?: string | Record<string, unknown>;
}
