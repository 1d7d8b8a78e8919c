import type { ComplianceReport, ControlResult, Gap } from './types';

/** `components.velero.enabled=false on apps-b`: a gap as the diff and validate name it. */
export function gapCause(g: Gap): string {
  const where = g.clusters.length ? ` on ${g.clusters.join(', ')}` : '';
  return g.key ? `${g.key}=${g.actual}${where}` : `${g.what}${where}`;
}

/** The config change that closes a gap, with the file to make it in. */
export function gapFix(g: Gap, env: string): string {
  if (!g.key) return `${g.what}: not a config setting; report it as a defect`;
  const file =
    g.clusters.length === 1 ? `environments/${env}/config.yaml (or ${g.clusters[0]}.yaml for that cluster alone)` : `environments/${env}/config.yaml`;
  return `set ${g.key}: ${g.want} in ${file}`;
}

/** The gaps that keep a control from being met: those of failing required rules, else of failing recommended ones. */
export function blockingGaps(report: Pick<ComplianceReport, 'rules'>, c: ControlResult): Gap[] {
  const failing = c.rules.filter((r) => !r.holds);
  const required = failing.filter((r) => r.required);
  const ids = new Set((required.length ? required : failing).map((r) => r.id));
  return report.rules.filter((r) => ids.has(r.id)).flatMap((r) => r.gaps);
}
