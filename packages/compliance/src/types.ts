import type { ClusterConfig, ComplianceFramework, EnvironmentConfig } from '@ck8s/config';
import type { ComponentOutput } from '@ck8s/components';

/** What a control's status is in one environment. */
export type Status = 'met' | 'partly met' | 'not met' | 'operator responsibility';

/**
 * One component as planned on one cluster (render's PlannedComponent has this shape): its name,
 * namespace, the controls it declares and what it rendered.
 */
export interface PlannedComponentView {
  component: { name: string; namespace: string; controls?: readonly string[] };
  output: ComponentOutput;
}

export interface ClusterView {
  cluster: ClusterConfig;
  components: readonly PlannedComponentView[];
}

/** Everything an evidence rule may look at: the resolved config, the plans and the rendered files. */
export interface EvidenceInput {
  env: EnvironmentConfig;
  clusters: readonly ClusterView[];
  /** Rendered files by repository-relative path (`clusters/<env>/...`): evidence links only to files that exist. */
  files: ReadonlyMap<string, string>;
}

/** A fact that supports a rule, with the rendered files and config keys that show it. */
export interface Evidence {
  text: string;
  /** Repository-relative paths of rendered files. */
  files: string[];
  /** Config key paths (`components.velero.schedule`). */
  keys: string[];
}

/** Why a rule does not hold, and the config change that makes it hold. */
export interface Gap {
  /** What is missing, without the cluster names (`Velero is off`). */
  what: string;
  /** The config key to change. */
  key: string;
  /** Its value now (as YAML would show it). */
  actual: string;
  /** A value that makes the rule hold. */
  want: string;
  /** Clusters the gap is on; empty for environment-wide keys. */
  clusters: string[];
}

export interface RuleOutcome {
  evidence: Evidence[];
  gaps: Gap[];
}

/** A check of the environment that one or more controls rely on. Pure: same input, same outcome. */
export interface EvidenceRule {
  id: string;
  /** What the rule demands, as a sentence fragment (`every cluster is backed up on a schedule`). */
  title: string;
  /** Components whose settings or output the rule reads: they carry the controls that use it. */
  components: readonly string[];
  check(input: EvidenceInput): RuleOutcome;
}

/** A rule as a control uses it: required rules decide met / not met, recommended ones met / partly met. */
export interface RuleUse {
  rule: EvidenceRule;
  required: boolean;
}

export interface Control {
  /** Framework name and the framework's own reference: `ISO 27001 A.12.3.1`. */
  id: string;
  framework: ComplianceFramework;
  /** The framework's reference (`A.12.3.1`, `4 kap. 14 §`, `3.8.9`). */
  ref: string;
  title: string;
  rules: readonly RuleUse[];
  /**
   * What the operator (processes, infrastructure, people) must do for the control; a control with
   * no rules is the operator's alone and only listed.
   */
  operator?: string;
}

/** A rule's outcome in one environment (reported once, however many controls use it). */
export interface RuleResult {
  id: string;
  title: string;
  holds: boolean;
  evidence: Evidence[];
  gaps: Gap[];
}

/** How a control uses a rule, and whether the rule holds here. */
export interface ControlRule {
  id: string;
  required: boolean;
  holds: boolean;
}

export interface ControlResult {
  id: string;
  framework: ComplianceFramework;
  ref: string;
  title: string;
  status: Status;
  /** Whether the environment's `compliance.frameworks` includes this control's framework. */
  required: boolean;
  /** Components that declare the control and run in this environment, with their clusters. */
  components: { name: string; clusters: string[] }[];
  rules: ControlRule[];
  operator?: string;
}

/** The machine-readable report: clusters/<env>/compliance.json. */
export interface ComplianceReport {
  environment: string;
  flavor: string;
  /** Frameworks the environment must satisfy (config key compliance.frameworks). */
  required: ComplianceFramework[];
  frameworks: { framework: ComplianceFramework; controls: number; counts: Record<Status, number> }[];
  controls: ControlResult[];
  /** Every rule the controls use, with its evidence and gaps, by id order. */
  rules: RuleResult[];
}
