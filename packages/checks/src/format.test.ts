import { describe, expect, it } from 'vitest';
import type { Finding } from './finding';
import { formatReport } from './format';
import type { EnvironmentReport } from './validate';

const finding = (severity: Finding['severity'], cluster?: string): Finding => ({ check: 'chart-values', severity, cluster, message: 'm' });
const report = (findings: Finding[]): EnvironmentReport => ({
  environment: 'e',
  ok: !findings.some((f) => f.severity === 'error'),
  clusters: [
    // The summaries' own counts are deliberately stale: the printout must count what it prints.
    { cluster: 'a', documents: 3, builds: 1, errors: 0, warnings: 0 },
    { cluster: 'b', documents: 2, builds: 1, errors: 0, warnings: 0 },
  ],
  findings,
});

describe('validate report', () => {
  it('never says 0 warnings above a WARN line, whoever the finding belongs to', () => {
    const text = formatReport(report([finding('warning', 'a'), finding('warning'), finding('error', 'b')]));
    const lines = text.split('\n');
    expect(lines[0]).toBe('FAIL e: 1 error, 2 warnings');
    expect(lines[1]).toBe('  a: 3 documents, 1 kustomize builds, 0 errors, 1 warning');
    expect(lines[2]).toBe('  b: 2 documents, 1 kustomize builds, 1 error, 0 warnings');
    expect(lines[3]).toBe('  environment-wide (no single cluster): 0 errors, 1 warning');
    const warnLines = lines.filter((l) => l.trim().startsWith('WARN')).length;
    const counted = lines.slice(0, 4).map((l) => Number(/(\d+) warnings?$/.exec(l)?.[1] ?? 0));
    expect(counted[0]).toBe(warnLines);
    expect(counted[1] + counted[2] + counted[3]).toBe(warnLines);
  });

  it('prints no environment-wide line when every finding has its cluster', () => {
    expect(formatReport(report([]))).toBe(
      'PASS e: 0 errors, 0 warnings\n  a: 3 documents, 1 kustomize builds, 0 errors, 0 warnings\n  b: 2 documents, 1 kustomize builds, 0 errors, 0 warnings',
    );
  });
});
