/** What the environment README shows: built by the renderer from the same plan it renders. */

/** One setting an auditor asks about (retention, enforcement mode, schedule, replicas, receivers), with its effective value. */
export interface DocsSetting {
  label: string;
  value: string;
}

export interface DocsComponent {
  name: string;
  description: string;
  namespace: string;
  chart?: string;
  version?: string;
  controls: string[];
  /** `components.<key>` in the config. */
  configKey: string;
  /** The settings that matter to an auditor, as this cluster has them. */
  settings: DocsSetting[];
}

/** A component that could run on the cluster's role but is switched off. */
export interface DocsDisabledComponent {
  name: string;
  description: string;
  configKey: string;
}

/** The alerts one component renders on a cluster, each with the runbook section its runbook_url points at. */
export interface DocsComponentAlerts {
  component: string;
  alerts: { name: string; severity: string; runbook: string }[];
}

export interface DocsCluster {
  name: string;
  role: 'management' | 'workload';
  provider: string;
  components: DocsComponent[];
  /** Alerts evaluated on this cluster, per component (only components that render some). */
  alerts: DocsComponentAlerts[];
  disabled: DocsDisabledComponent[];
  /** Where this cluster's Flux sends its events (drift corrections, failed reconciliations). */
  fluxEvents: string[];
}

export interface DocsEndpoint {
  name: string;
  host: string;
  audience: 'operators' | 'application developers' | 'workload clusters';
  /** Component whose rendered Ingress serves the host. */
  component: string;
}

/** One of the platform's objects exempted from one of its own Gatekeeper constraints. */
export interface DocsPolicyExemption {
  cluster: string;
  /** `Kind namespace/name`. */
  object: string;
  constraint: string;
  reason: string;
}

/** A box in a per-concern diagram: label lines, and the group (cluster, storage provider) it sits in. */
export interface FlowNode {
  id: string;
  label: string[];
  shape?: 'box' | 'person' | 'store' | 'external' | 'system';
  group?: string;
}

export interface FlowGroup {
  id: string;
  label: string;
}

/** An arrow with its own label lines (what flows, where to, under which identity). */
export interface FlowEdge {
  from: string;
  to: string;
  label: string[];
  dotted?: boolean;
}

/** A Level-3 view of one concern (authentication, backup, metrics, logs, access control), drawn from the wiring. */
export interface ConcernView {
  id: string;
  /** C4 level: 1 system context, 2 containers (clusters), 3 one concern inside them. */
  level: 1 | 2 | 3;
  title: string;
  /** A sentence or two on what the diagram shows. */
  intro: string;
  direction: 'LR' | 'TB';
  groups: FlowGroup[];
  nodes: FlowNode[];
  edges: FlowEdge[];
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
  /** The architecture views: Level 1, Level 2 and the per-concern Level-3 views. */
  views: ConcernView[];
}
