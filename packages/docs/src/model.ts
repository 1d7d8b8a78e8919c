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

/** One of the platform's objects exempted from one of its own Gatekeeper constraints. */
export interface DocsPolicyExemption {
  cluster: string;
  /** `Kind namespace/name`. */
  object: string;
  constraint: string;
  reason: string;
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
  /** Gatekeeper policy exemptions; null when no cluster of the environment runs the constraints. */
  policies: { exemptions: DocsPolicyExemption[] } | null;
}
