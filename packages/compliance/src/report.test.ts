import { describe, expect, it } from 'vitest';
import { CONTROLS } from './controls';
import { complianceChanges, complianceChangesMarkdown } from './diff';
import { evaluateCompliance, statusOf } from './evaluate';
import { complianceFiles } from './files';
import { complianceGate } from './gate';
import { complianceMarkdown } from './markdown';
import { environment, evidenceInput } from './test-support';
import type { ComplianceReport } from './types';

const REQUIRED = { compliance: { frameworks: ['MSBFS 2020:7', 'ISO 27001'] } };
const report = (config: Record<string, unknown> = {}, clusterOverrides?: Record<string, Record<string, unknown>>) =>
  evaluateCompliance(evidenceInput(environment({ ...REQUIRED, ...config }, { clusterOverrides })));
const compliant = report();
const noFalcoOnWorkload = report({}, { workload: { components: { falco: { enabled: false } } } });
const byId = (r: ComplianceReport, id: string) => r.controls.find((c) => c.id === id)!;
const treeOf = (r: ComplianceReport) => new Map([[`clusters/${r.environment}/compliance.json`, JSON.stringify(r)]]);

describe('control status', () => {
  it('is met when every rule holds, partly met when only a recommended one fails, not met when a required one fails', () => {
    expect(statusOf([])).toBe('operator responsibility');
    expect(
      statusOf([
        { required: true, holds: true },
        { required: false, holds: true },
      ]),
    ).toBe('met');
    expect(
      statusOf([
        { required: true, holds: true },
        { required: false, holds: false },
      ]),
    ).toBe('partly met');
    expect(
      statusOf([
        { required: true, holds: false },
        { required: false, holds: true },
      ]),
    ).toBe('not met');
  });

  it('meets every control with rules in the compliant environment, and counts per framework', () => {
    expect(compliant.controls.filter((c) => c.status !== 'met' && c.status !== 'operator responsibility').map((c) => c.id)).toEqual([]);
    expect(compliant.required).toEqual(['MSBFS 2020:7', 'ISO 27001']);
    for (const f of compliant.frameworks) expect(Object.values(f.counts).reduce((a, b) => a + b, 0)).toBe(f.controls);
    expect(compliant.frameworks.reduce((n, f) => n + f.controls, 0)).toBe(CONTROLS.length);
  });

  it('lists the components that carry a control where they run', () => {
    expect(byId(compliant, 'ISO 27001 A.12.3.1').components).toContainEqual({ name: 'velero', clusters: ['management', 'workload'] });
    expect(byId(noFalcoOnWorkload, 'MSBFS 2020:7 4 kap. 18 §').components).toContainEqual({ name: 'falco', clusters: ['management'] });
  });

  it('turns a required control to not met when a component it depends on is off', () => {
    const c = byId(noFalcoOnWorkload, 'MSBFS 2020:7 4 kap. 18 §');
    expect(c.status).toBe('not met');
    expect(c.rules.find((r) => r.id === 'intrusion-detection')).toMatchObject({ required: true, holds: false });
  });
});

describe('gate', () => {
  it('passes the compliant environment', () => {
    expect(complianceGate(compliant)).toEqual([]);
  });

  it('fails a required control not met, naming the control, the reason and the key', () => {
    const errors = complianceGate(noFalcoOnWorkload).filter((f) => f.severity === 'error');
    const msbfs = errors.find((e) => e.control === 'MSBFS 2020:7 4 kap. 18 §');
    expect(msbfs?.message).toContain('Intrusion detection (Falco) is off on workload');
    expect(msbfs?.message).toContain('components.falco.enabled: true');
    // NIST SP 800-171 is not required here: its controls stay out of the gate.
    expect(errors.some((e) => e.control.startsWith('NIST'))).toBe(false);
  });

  it('warns about a required control only partly met', () => {
    const partly = report({ components: { rcloneSync: { enabled: false } } });
    const findings = complianceGate(partly);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(findings.map((f) => f.control)).toContain('ISO 27001 A.12.3.1');
  });

  it('enforces nothing when no framework is required', () => {
    const free = evaluateCompliance(evidenceInput(environment({}, { clusterOverrides: { workload: { components: { falco: { enabled: false } } } } })));
    expect(free.required).toEqual([]);
    expect(byId(free, 'MSBFS 2020:7 4 kap. 18 §').status).toBe('not met');
    expect(complianceGate(free)).toEqual([]);
  });
});

describe('status changes between two renders', () => {
  it('names each control that changed, with the setting that caused it', () => {
    const backupsOff = report({}, { workload: { components: { velero: { enabled: false } } } });
    const changes = complianceChanges(treeOf(compliant), treeOf(backupsOff));
    const backup = changes.find((c) => c.id === 'ISO 27001 A.12.3.1');
    expect(backup).toMatchObject({ before: 'met', after: 'not met', because: ['components.velero.enabled=false on workload'], required: true });
    expect(changes.every((c) => c.environment === 'test-env')).toBe(true);
    const md = complianceChangesMarkdown(changes);
    expect(md).toContain(
      '**ISO 27001 A.12.3.1** Information backup: met → not met because components.velero.enabled=false on workload (required: validate fails)',
    );
    // The way back names what was missing.
    expect(complianceChangesMarkdown(complianceChanges(treeOf(backupsOff), treeOf(compliant)))).toContain(
      'not met → met was components.velero.enabled=false on workload',
    );
  });

  it('reports nothing for an unchanged environment, a new one, or an unreadable report', () => {
    expect(complianceChanges(treeOf(compliant), treeOf(compliant))).toEqual([]);
    expect(complianceChanges(new Map(), treeOf(compliant))).toEqual([]);
    expect(complianceChanges(new Map([['clusters/test-env/compliance.json', '{not json']]), treeOf(compliant))).toEqual([]);
    expect(complianceChangesMarkdown([])).toBe('');
  });
});

describe('report files', () => {
  const input = evidenceInput(environment(REQUIRED, { clusterOverrides: { workload: { components: { falco: { enabled: false } } } } }));
  const files = new Map(complianceFiles(input));
  const md = files.get('clusters/test-env/COMPLIANCE.md')!;

  it('writes COMPLIANCE.md and compliance.json beside the clusters, the same bytes every time', () => {
    expect([...files.keys()]).toEqual(['clusters/test-env/COMPLIANCE.md', 'clusters/test-env/compliance.json']);
    expect(new Map(complianceFiles(input))).toEqual(files);
    expect(JSON.parse(files.get('clusters/test-env/compliance.json')!)).toEqual(evaluateCompliance(input));
  });

  it('has a table per framework with a row per control', () => {
    for (const f of ['MSBFS 2020:7 (required)', 'ISO 27001 (required)', 'NIST SP 800-171']) expect(md).toContain(`## ${f}\n`);
    const rows = md.split('\n').filter((l) => /^\| \*\*/.test(l));
    expect(rows).toHaveLength(CONTROLS.length);
  });

  it('links evidence to rendered files relative to the report, and gives the change for what is not met', () => {
    const links = [...md.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]).filter((l) => l !== 'compliance.json');
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !input.files.has(`clusters/test-env/${l}`))).toEqual([]);
    const row = md.split('\n').find((l) => l.startsWith('| **4 kap. 18 §**'))!;
    expect(row).toContain('❌ not met');
    expect(row).toContain('set components.falco.enabled: true in environments/test-env/config.yaml (or workload.yaml for that cluster alone)');
  });

  it('anchors every rule the tables link to', () => {
    const anchors = new Set([...md.matchAll(/^### Rule: (.+)$/gm)].map((m) => `rule-${m[1]}`));
    const targets = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !anchors.has(t))).toEqual([]);
  });

  it('says when nothing is enforced', () => {
    const free = complianceMarkdown(evaluateCompliance(evidenceInput(environment())));
    expect(free).toContain('No framework is required');
  });
});
