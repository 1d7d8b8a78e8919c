/** What the environment README shows: built by the renderer from the same plan it renders. */
export interface DocsComponent {
  name: string;
  description: string;
  namespace: string;
  chart?: string;
  version?: string;
  controls: string[];
  /** `components.<key>` in the config. */
  configKey: string;
}

export interface DocsCluster {
  name: string;
  role: 'management' | 'workload';
  provider: string;
  components: DocsComponent[];
}

export interface DocsEndpoint {
  name: string;
  host: string;
  audience: 'operators' | 'application developers' | 'workload clusters';
}

export interface DocsModel {
  environment: string;
  flavor: string;
  provider: string;
  domain: string;
  opsDomain: string;
  gitUrl: string;
  branch: string;
  clusters: DocsCluster[];
  endpoints: DocsEndpoint[];
}
