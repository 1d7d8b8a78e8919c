import { formatFinding } from './finding';
import type { EnvironmentReport } from './validate';

/** The human summary of one environment's validation: a line per cluster, then every finding. */
export function formatReport(r: EnvironmentReport): string {
  const lines = [`${r.ok ? 'PASS' : 'FAIL'} ${r.environment}${r.engine ? ` (schema engine: ${r.engine})` : ''}`];
  for (const c of r.clusters) lines.push(`  ${c.cluster}: ${c.documents} documents, ${c.builds} kustomize builds, ${c.errors} errors, ${c.warnings} warnings`);
  for (const f of r.findings) lines.push(`  ${formatFinding(f)}`);
  return lines.join('\n');
}
