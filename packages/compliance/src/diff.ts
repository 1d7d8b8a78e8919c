import { blockingGaps, gapCause } from './gaps';
import type { ComplianceReport, ControlResult, Status } from './types';

/** One control whose status differs between two renders of an environment. */
export interface StatusChange {
  environment: string;
  id: string;
  title: string;
  before: Status | 'absent';
  after: Status | 'absent';
  /** What made it worse (the head's gaps) or what it was missing before (the base's gaps). */
  because: string[];
  /** Whether the head environment requires the control's framework. */
  required: boolean;
}

const REPORT = /^clusters\/([^/]+)\/compliance\.json$/;
const RANK: Record<Status | 'absent', number> = { met: 0, 'operator responsibility': 0, 'partly met': 1, 'not met': 2, absent: 3 };

function reports(tree: ReadonlyMap<string, string>): Map<string, ComplianceReport> {
  const out = new Map<string, ComplianceReport>();
  for (const [path, text] of tree) {
    const m = REPORT.exec(path);
    if (!m) continue;
    try {
      out.set(m[1], JSON.parse(text) as ComplianceReport);
    } catch {
      // A broken report is drift's to find: the diff compares only what it can read.
    }
  }
  return out;
}

const causes = (r: ComplianceReport, c: ControlResult | undefined) => [...new Set(c ? blockingGaps(r, c).map(gapCause) : [])];

/**
 * Controls whose status changes between the base and the head render, read from each environment's
 * compliance.json in the two trees (path → text, as the object-level diff reads them).
 */
export function complianceChanges(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): StatusChange[] {
  const before = reports(base);
  const after = reports(head);
  const changes: StatusChange[] = [];
  for (const env of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(env);
    const a = after.get(env);
    // A new or removed environment has no status changes, only a report.
    if (!a || !b) continue;
    const ids = [...new Set([...b.controls.map((c) => c.id), ...a.controls.map((c) => c.id)])];
    for (const id of ids) {
      const cb = b.controls.find((c) => c.id === id);
      const ca = a.controls.find((c) => c.id === id);
      const sb = cb?.status ?? 'absent';
      const sa = ca?.status ?? 'absent';
      if (sb === sa) continue;
      const worse = RANK[sa] > RANK[sb];
      changes.push({
        environment: env,
        id,
        title: (ca ?? cb)!.title,
        before: sb,
        after: sa,
        because: worse ? causes(a, ca) : causes(b, cb),
        required: !!ca?.required,
      });
    }
  }
  return changes;
}

/** The pull-request section: one line per changed control, worse ones first. */
export function complianceChangesMarkdown(changes: readonly StatusChange[]): string {
  if (!changes.length) return '';
  const sorted = [...changes].sort(
    (x, y) => RANK[y.after] - RANK[y.before] - (RANK[x.after] - RANK[x.before]) || (x.environment + x.id).localeCompare(y.environment + y.id),
  );
  const lines = [
    '### Compliance status changes',
    '',
    'Controls whose status differs between the base and the head (from `clusters/<env>/compliance.json`).',
    '',
  ];
  for (const c of sorted) {
    const worse = RANK[c.after] > RANK[c.before];
    const why = c.because.length ? ` ${worse ? 'because' : 'was'} ${c.because.join('; ')}` : '';
    lines.push(
      `- ${c.environment}: **${c.id}** ${c.title}: ${c.before} → ${c.after}${why}${c.required && c.after === 'not met' ? ' (required: validate fails)' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
