/** An object as the platform renders it: a workload is named itself, not the pods it would create. */
export interface PolicyObject {
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** One of the platform's own objects that breaks one constraint on purpose, and why. */
export interface PolicyExemption {
  object: PolicyObject;
  /** The constraint's name (`metadata.name`), e.g. `disallow-host-path`. */
  constraint: string;
  /** Why the object cannot meet the rule; shown in the README of every environment that renders it. */
  reason: string;
}

/** A constraint's finding on one object (gator reports a workload's pods against the workload). */
export interface PolicyViolation {
  object: PolicyObject;
  constraint: string;
  message: string;
}

/**
 * The one place the platform exempts its own objects from its own policies. Every object rendered for
 * every cluster is run through gator against that cluster's constraints, once as rendered and once with
 * the platform namespaces included (packages/checks/src/policies.test.ts): a violation passes only when
 * it is listed here, and an entry that no longer matches a violation fails the same test, so the list
 * cannot outlive its reason. Empty today: every plain object the platform renders meets every rule.
 * (Helm charts' workloads are not rendered as objects and run in namespaces the constraints exclude.)
 */
export const POLICY_EXEMPTIONS: readonly PolicyExemption[] = [];

export function sameObject(a: PolicyObject, b: PolicyObject): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** The exemption that covers a violation, if any. */
export function exemptionFor(
  v: Pick<PolicyViolation, 'object' | 'constraint'>,
  list: readonly PolicyExemption[] = POLICY_EXEMPTIONS,
): PolicyExemption | undefined {
  return list.find((e) => e.constraint === v.constraint && sameObject(e.object, v.object));
}

/** Exemptions that match none of `violations`: they have outlived their reason. */
export function unusedExemptions(
  violations: readonly Pick<PolicyViolation, 'object' | 'constraint'>[],
  list: readonly PolicyExemption[] = POLICY_EXEMPTIONS,
): PolicyExemption[] {
  return list.filter((e) => !violations.some((v) => exemptionFor(v, [e])));
}

/**
 * The exemptions that concern one cluster: their object is rendered there and their constraint too
 * (what the environment README lists per cluster).
 */
export function exemptionsOn(
  objects: readonly PolicyObject[],
  constraints: readonly string[],
  list: readonly PolicyExemption[] = POLICY_EXEMPTIONS,
): PolicyExemption[] {
  return list.filter((e) => constraints.includes(e.constraint) && objects.some((o) => sameObject(o, e.object)));
}

/** `Kind namespace/name` (or `Kind name`), the way findings and the README name an object. */
export function describeObject(o: PolicyObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
