import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@ck8s/render';
import { repoRoot, tempDir } from '@ck8s/testing';
import { checkCompliance } from './compliance';

describe('compliance gate in validate', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('ck8s-compliance-');
    cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
  });
  afterAll(() => t.cleanup());

  it('passes the shipped prod example, which requires MSBFS 2020:7 and ISO 27001', () => {
    const env = loadEnvironment(repoRoot, 'example-prod');
    expect(env.compliance.frameworks).toEqual(['MSBFS 2020:7', 'ISO 27001']);
    expect(checkCompliance(repoRoot, env).filter((f) => f.severity === 'error')).toEqual([]);
  }, 60_000);

  it('enforces nothing on the dev example, which requires no framework', () => {
    expect(checkCompliance(repoRoot, loadEnvironment(repoRoot, 'example-dev'))).toEqual([]);
  }, 60_000);

  it('fails when a component a required control depends on is turned off, naming the control and the key', () => {
    // Falco has no prod invariant of its own: only the compliance gate stops this change.
    appendFileSync(join(t.dir, 'environments/example-prod/apps-b.yaml'), '  falco:\n    enabled: false\n');
    const findings = checkCompliance(t.dir, loadEnvironment(t.dir, 'example-prod'));
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.message.split(':')[0])).toEqual([
      'MSBFS 2020',
      'ISO 27001 A.12.2.1 Controls against malware',
      'ISO 27001 A.16 Information security incident management',
    ]);
    expect(errors[0]).toMatchObject({ check: 'compliance', file: 'clusters/example-prod/compliance.json' });
    expect(errors[0].message).toContain('MSBFS 2020:7 4 kap. 18 §');
    expect(errors[0].message).toContain('Intrusion detection (Falco) is off on apps-b (set components.falco.enabled: true');
  }, 60_000);
});
