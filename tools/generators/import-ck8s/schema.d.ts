export interface ImportCk8sSchema {
  /** The compliantkubernetes-apps config path ($CK8S_CONFIG_PATH) of the service cluster (and its workload cluster). */
  from: string;
  /** Name of the new environment (folder under environments/ and clusters/). */
  name: string;
  /** Config paths of further workload clusters, one per cluster (comma-separated on the command line). */
  workloadConfigPaths?: string | string[];
  /** age recipients the new Secrets are encrypted for (comma-separated on the command line). */
  ageRecipient: string | string[];
  gitUrl: string;
  gitBranch?: string;
  /** Try to decrypt each config path's secrets.yaml with the sops binary and the operator's keys (default true). */
  decryptSecrets?: boolean;
}
