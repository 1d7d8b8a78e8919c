import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goFormatFloat, goParseBool, goParseFloat, goParseInt, goRegExp, rfc3339ForMac } from './go-compat';
import { MacBuilder } from './sops-tree';

describe('Go compatibility helpers', () => {
  it("formats floats like strconv.FormatFloat(f, 'f', -1, 64)", () => {
    expect(goFormatFloat(1.5)).toBe('1.5');
    expect(goFormatFloat(1)).toBe('1');
    expect(goFormatFloat(1e21)).toBe('1000000000000000000000');
    expect(goFormatFloat(1.25e-7)).toBe('0.000000125');
    expect(goFormatFloat(-2.5e22)).toBe('-25000000000000000000000');
    expect(goFormatFloat(1234.56789)).toBe('1234.56789');
    expect(goFormatFloat(Infinity)).toBe('+Inf');
    expect(goFormatFloat(NaN)).toBe('NaN');
    expect(goFormatFloat(-0)).toBe('-0');
  });

  it('parses like strconv', () => {
    expect(goParseFloat('+Inf')).toBe(Infinity);
    expect(goParseFloat('0.25')).toBe(0.25);
    expect(() => goParseFloat('abc')).toThrow();
    expect(goParseInt('-42')).toBe(-42n);
    expect(() => goParseInt('9223372036854775808')).toThrow(/int64/);
    expect(goParseBool('True')).toBe(true);
    expect(goParseBool('F')).toBe(false);
    expect(() => goParseBool('yes')).toThrow();
  });

  it('translates a leading Go flag group', () => {
    expect(goRegExp('(?i)^DATA$').test('data')).toBe(true);
    expect(goRegExp('^(data|stringData)$').test('stringData')).toBe(true);
    expect(goRegExp('^(data|stringData)$').test('metadata')).toBe(false);
    expect(() => goRegExp('(?U)a+')).toThrow(/flag U/);
  });

  it('re-formats lastmodified as Go time.RFC3339 does', () => {
    expect(rfc3339ForMac('2024-11-12T13:33:42Z')).toBe('2024-11-12T13:33:42Z');
    expect(rfc3339ForMac('2024-11-12T13:33:42.123456Z')).toBe('2024-11-12T13:33:42Z');
    expect(rfc3339ForMac('2024-11-12T13:33:42+00:00')).toBe('2024-11-12T13:33:42Z');
    expect(rfc3339ForMac('2024-11-12T13:33:42+02:00')).toBe('2024-11-12T13:33:42+02:00');
    expect(() => rfc3339ForMac('yesterday')).toThrow();
  });

  it('seeds mac_only_encrypted MACs with the constant from sops.go (SHA-256 of "sops")', () => {
    const fromSopsSource = Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex');
    expect(createHash('sha256').update('sops').digest()).toEqual(fromSopsSource);
    const m = new MacBuilder(true);
    m.add('x', false);
    m.add('y', true);
    expect(m.hex()).toBe(createHash('sha512').update(fromSopsSource).update('y').digest('hex').toUpperCase());
  });
});
