import { blockingGaps, gapFix } from './gaps';
import type { ComplianceReport } from './types';

export interface GateFinding {
  severity: 'error' | 'warning';
  control: string;
  message: string;
}

/**
 * What validate reports for the frameworks the environment requires: an error per control not met
 * (naming it, the reason and the config change), a warning per control only partly met.
 */
export function complianceGate(report: ComplianceReport): GateFinding[] {
  const out: GateFinding[] = [];
  for (const c of report.controls.filter((x) => x.required && (x.status === 'not met' || x.status === 'partly met'))) {
    const reasons = blockingGaps(report, c).map(
      (g) => `${g.what}${g.clusters.length ? ` on ${g.clusters.join(', ')}` : ''} (${gapFix(g, report.environment)})`,
    );
    out.push({
      severity: c.status === 'not met' ? 'error' : 'warning',
      control: c.id,
      message: `${c.id} ${c.title}: ${c.status}: ${[...new Set(reasons)].join('; ')}`,
    });
  }
  return out;
}
