import { COMPLIANCE_FRAMEWORKS } from '@ck8s/config';
import { CONTROLS } from './controls';
import type { ComplianceReport, Control, ControlResult, ControlRule, EvidenceInput, EvidenceRule, RuleResult, Status } from './types';

export const STATUSES: readonly Status[] = ['met', 'partly met', 'not met', 'operator responsibility'];

/** A control's status from its rules: required rules decide met / not met, recommended ones partly met. */
export function statusOf(rules: readonly Pick<ControlRule, 'required' | 'holds'>[]): Status {
  if (!rules.length) return 'operator responsibility';
  if (rules.some((r) => r.required && !r.holds)) return 'not met';
  return rules.every((r) => r.holds) ? 'met' : 'partly met';
}

/** Components that declare the control and run in the environment, with the clusters they run on. */
function carriers(input: EvidenceInput, id: string): ControlResult['components'] {
  const byName = new Map<string, string[]>();
  for (const c of input.clusters) {
    for (const p of c.components) {
      if (p.component.controls?.includes(id)) byName.set(p.component.name, [...(byName.get(p.component.name) ?? []), c.cluster.name]);
    }
  }
  return [...byName].map(([name, clusters]) => ({ name, clusters }));
}

/**
 * Evaluates every control against one environment. Each rule runs once (several controls share
 * rules); the result is plain data, written as compliance.json and COMPLIANCE.md.
 */
export function evaluateCompliance(input: EvidenceInput, controls: readonly Control[] = CONTROLS): ComplianceReport {
  const outcomes = new Map<string, RuleResult>();
  const outcome = (rule: EvidenceRule): RuleResult => {
    let r = outcomes.get(rule.id);
    if (!r) {
      const o = rule.check(input);
      r = { id: rule.id, title: rule.title, holds: o.gaps.length === 0, evidence: o.evidence, gaps: o.gaps };
      outcomes.set(rule.id, r);
    }
    return r;
  };
  const required = COMPLIANCE_FRAMEWORKS.filter((f) => input.env.compliance.frameworks.includes(f));
  const results: ControlResult[] = controls.map((control) => {
    const rules: ControlRule[] = control.rules.map(({ rule, required: must }) => ({ id: rule.id, required: must, holds: outcome(rule).holds }));
    return {
      id: control.id,
      framework: control.framework,
      ref: control.ref,
      title: control.title,
      status: statusOf(rules),
      required: required.includes(control.framework),
      components: carriers(input, control.id),
      rules,
      ...(control.operator ? { operator: control.operator } : {}),
    };
  });
  const frameworks = COMPLIANCE_FRAMEWORKS.filter((f) => results.some((r) => r.framework === f)).map((framework) => {
    const mine = results.filter((r) => r.framework === framework);
    const counts = Object.fromEntries(STATUSES.map((s) => [s, mine.filter((r) => r.status === s).length])) as Record<Status, number>;
    return { framework, controls: mine.length, counts };
  });
  const rules = [...outcomes.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { environment: input.env.name, flavor: input.env.flavor, required, frameworks, controls: results, rules };
}
