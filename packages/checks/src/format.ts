import { formatFinding, type Finding } from './finding';
import type { EnvironmentReport } from './validate';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function tally(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}`;
}

/**
 * The human summary of one environment's validation: a line per cluster, a line for what belongs to
 * no cluster, then every finding. Counts are taken from the findings printed below them, so a
 * summary never says "0 warnings" above a WARN line.
 */
export function formatReport(r: EnvironmentReport): string {
  const lines = [`${r.ok ? 'PASS' : 'FAIL'} ${r.environment}: ${tally(r.findings)}${r.engine ? ` (schema engine: ${r.engine})` : ''}`];
  const names = new Set(r.clusters.map((c) => c.cluster));
  for (const c of r.clusters) {
    lines.push(`  ${c.cluster}: ${c.documents} documents, ${c.builds} kustomize builds, ${tally(r.findings.filter((f) => f.cluster === c.cluster))}`);
  }
  const elsewhere = r.findings.filter((f) => !f.cluster || !names.has(f.cluster));
  if (elsewhere.length) lines.push(`  environment-wide (no single cluster): ${tally(elsewhere)}`);
  for (const f of r.findings) lines.push(`  ${formatFinding(f)}`);
  return lines.join('\n');
}
