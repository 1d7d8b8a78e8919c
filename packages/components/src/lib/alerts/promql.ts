/** Small PromQL builders the platform's alert expressions share. */

/** A regex matching `s` literally, written for a PromQL double-quoted string (backslashes doubled). */
export function promRegexLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
}

/** `expr` with fixed labels added (nested `label_replace` on an always-matching empty source). */
export function withLabels(expr: string, labels: Record<string, string>): string {
  return Object.entries(labels).reduce((e, [k, v]) => `label_replace(${e}, "${k}", "${v}", "", "")`, expr);
}

/**
 * The members of an expected set that are missing: one series per member (its labels) unless
 * `present(member)` returns a series for it. Fires for a member that never reported, which
 * `absent()` cannot express for several members in one rule.
 */
export function missingMembers(members: Record<string, string>[], present: (m: Record<string, string>) => string): string {
  if (members.length === 0) throw new Error('missingMembers: no member to expect');
  const keys = Object.keys(members[0]);
  const expected = members.map((m) => withLabels('vector(1)', m)).join(' or ');
  const seen = members.map((m) => withLabels(`max(${present(m)})`, m)).join(' or ');
  return `(${expected}) unless on (${keys.join(', ')}) (${seen})`;
}
