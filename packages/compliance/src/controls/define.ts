import type { ComplianceFramework } from '@ck8s/config';
import type { Control, EvidenceRule, RuleUse } from '../types';

/** A rule the control cannot do without: when it fails the control is not met. */
export const req = (rule: EvidenceRule): RuleUse => ({ rule, required: true });
/** A rule that strengthens the control: when it fails the control is only partly met. */
export const rec = (rule: EvidenceRule): RuleUse => ({ rule, required: false });

/** Controls of one framework, their ids formed as `<framework> <ref>` (the way the frameworks cite them). */
export function framework(name: ComplianceFramework, controls: { ref: string; title: string; rules?: RuleUse[]; operator?: string }[]): Control[] {
  return controls.map((c) => ({ id: `${name} ${c.ref}`, framework: name, ref: c.ref, title: c.title, rules: c.rules ?? [], operator: c.operator }));
}

/** Operator duties several controls share, worded once. */
export const OPERATOR = {
  ntp: "Synchronise every node's clock with at least two trusted NTP sources (set where the nodes are provisioned).",
  provider: 'Choose and audit the infrastructure provider: physical security, encryption at rest, media disposal, jurisdiction.',
  encryptionAtRest: "Encrypt volumes and object storage at rest (a property of the infrastructure provider's storage).",
  cryptoPolicy: "Keep a cryptography policy (algorithms, key sizes, TLS versions) and check the platform's endpoints against it.",
  accessReview: "Grant, review and revoke people's group memberships in the identity provider; review the admin and auditor groups regularly.",
  logReview: 'Review the logs regularly and act on what they show; decide which events must be logged.',
  restoreTests: 'Test restores from the backups regularly and record the results.',
  patching: "Upgrade Kubernetes, the node OS and the platform's charts on a schedule; track security advisories.",
  incident: 'Run the incident process: on-call, runbooks, post-mortems, reporting to authorities where required.',
  separation: 'Keep production and non-production in separate environments (separate config folders and clusters).',
  changeReview: "Review every pull request's rendered diff and compliance changes before it merges.",
  architecture: 'Document the architecture, its risk assessment and security requirements (the environment README and this report are inputs).',
  identity: 'Enforce identifier lifecycle, inactivity lock-out, session lifetime and multi-factor authentication in the identity provider.',
} as const;
