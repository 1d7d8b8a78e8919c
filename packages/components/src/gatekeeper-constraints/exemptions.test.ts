import { describe, expect, it } from 'vitest';
import { CONSTRAINT_NAMES } from '.';
import { describeObject, exemptionFor, exemptionsOn, POLICY_EXEMPTIONS, unusedExemptions, type PolicyExemption } from './exemptions';

const hostPath: PolicyExemption = {
  object: { kind: 'DaemonSet', namespace: 'logging', name: 'shipper' },
  constraint: 'disallow-host-path',
  reason: 'reads node logs',
};
const list = [hostPath];

describe('policy exemptions', () => {
  it('cover one constraint on one object, nothing else', () => {
    expect(exemptionFor({ object: { kind: 'DaemonSet', namespace: 'logging', name: 'shipper' }, constraint: 'disallow-host-path' }, list)).toBe(hostPath);
    expect(exemptionFor({ object: { kind: 'DaemonSet', namespace: 'logging', name: 'shipper' }, constraint: 'disallow-privileged' }, list)).toBeUndefined();
    expect(exemptionFor({ object: { kind: 'DaemonSet', namespace: 'shop', name: 'shipper' }, constraint: 'disallow-host-path' }, list)).toBeUndefined();
    expect(exemptionFor({ object: { kind: 'Deployment', namespace: 'logging', name: 'shipper' }, constraint: 'disallow-host-path' }, list)).toBeUndefined();
    expect(exemptionFor({ object: { kind: 'DaemonSet', name: 'shipper' }, constraint: 'disallow-host-path' }, list)).toBeUndefined();
  });

  it('an exemption no violation needs is reported as unused', () => {
    expect(unusedExemptions([{ object: hostPath.object, constraint: 'disallow-host-path' }], list)).toEqual([]);
    expect(unusedExemptions([], list)).toEqual([hostPath]);
  });

  it('a cluster lists an exemption only where both the object and the constraint are rendered', () => {
    const objects = [
      { kind: 'DaemonSet', namespace: 'logging', name: 'shipper' },
      { kind: 'Namespace', name: 'logging' },
    ];
    expect(exemptionsOn(objects, ['disallow-host-path', 'disallow-privileged'], list)).toEqual([hostPath]);
    expect(exemptionsOn(objects, ['disallow-privileged'], list)).toEqual([]);
    expect(exemptionsOn(objects.slice(1), ['disallow-host-path'], list)).toEqual([]);
  });

  it('names objects the way findings do', () => {
    expect(describeObject(hostPath.object)).toBe('DaemonSet logging/shipper');
    expect(describeObject({ kind: 'Namespace', name: 'logging' })).toBe('Namespace logging');
  });

  it("the platform's list names real constraints, gives a reason and lists each pair once", () => {
    for (const e of POLICY_EXEMPTIONS) {
      expect(CONSTRAINT_NAMES, describeObject(e.object)).toContain(e.constraint);
      expect(e.reason.trim().length, describeObject(e.object)).toBeGreaterThan(10);
    }
    const keys = POLICY_EXEMPTIONS.map((e) => `${e.constraint} ${describeObject(e.object)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
