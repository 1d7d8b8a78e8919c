import { describe, expect, it } from 'vitest';
import { generateAgeIdentity } from './age';
import { decryptSopsYaml } from './decrypt';
import { encryptSecretManifest } from './encrypt';
import { goResolvePlain, goTimestamp } from './go-yaml';

/**
 * go-yaml v3's readings of plain scalars (resolve.go), which sops encrypts: these run without a sops
 * binary; sops-interop.test.ts checks the same inputs against the real sops.
 */
describe('goResolvePlain', () => {
  it.each([
    ['0755', { kind: 'int', value: 493n }],
    ['-0755', { kind: 'int', value: -493n }],
    ['1_000', { kind: 'int', value: 1000n }],
    ['0b101', { kind: 'int', value: 5n }],
    ['-0b101', { kind: 'int', value: -5n }],
    ['0o17', { kind: 'int', value: 15n }],
    ['0x1F', { kind: 'int', value: 31n }],
    ['+12', { kind: 'int', value: 12n }],
    ['-0', { kind: 'int', value: 0n }],
    ['9223372036854775807', { kind: 'int', value: 9223372036854775807n }],
    ['9223372036854775808', { kind: 'uint64', value: 9223372036854775808n }],
    ['08', { kind: 'float', value: 8 }],
    ['089', { kind: 'float', value: 89 }],
    ['1e3', { kind: 'float', value: 1000 }],
    ['1.5_0', { kind: 'float', value: 1.5 }],
    ['99999999999999999999999', { kind: 'float', value: 1e23 }],
    ['1e400', { kind: 'str' }],
    ['1:20', { kind: 'str' }],
    ['0x', { kind: 'str' }],
    ['12e', { kind: 'str' }],
    ['-', { kind: 'str' }],
    ['2024-01-01', { kind: 'time', text: '2024-01-01T00:00:00Z' }],
    ['2024-1-2T3:04:05.120+02:00', { kind: 'time', text: '2024-01-02T03:04:05.12+02:00' }],
    ['2024-01-02t10:00:00Z', { kind: 'time', text: '2024-01-02T10:00:00Z' }],
    ['2024-01-02T10:00:00+00:00', { kind: 'time', text: '2024-01-02T10:00:00Z' }],
    ['2024-01-02 10:00:00.000000000', { kind: 'time', text: '2024-01-02T10:00:00Z' }],
    ['2024-01-02T10:00:00.1234567891Z', { kind: 'time', text: '2024-01-02T10:00:00.123456789Z' }],
  ] as const)('%s', (source, expected) => {
    expect(goResolvePlain(source)).toEqual(expected);
  });

  it.each(['true', 'null', '~', '.5', '.inf', '-.inf', '+.Inf', 'yes', 'abc', ''])('%s reads as in YAML 1.2 core', (source) => {
    expect(goResolvePlain(source)).toBeUndefined();
  });

  it('is no timestamp when the date or time is out of range or the zone is missing', () => {
    for (const s of ['2024-02-30', '2024-13-01', '2024-01-01T24:00:00Z', '2024-01-01T10:00:00', '2024-01-01 10:00:00 +02:00', '24-01-01', '2024-001-01']) {
      expect(goTimestamp(s), s).toBeUndefined();
    }
    expect(goTimestamp('2024-02-29')).toBe('2024-02-29T00:00:00Z');
  });
});

describe('the built-in encrypter reads its input as sops does', () => {
  const key = generateAgeIdentity();

  it('takes plain numbers and timestamps as go-yaml does, and keeps strings that look like them', async () => {
    const { identity, recipient } = await key;
    const text = 'kind: Secret\nmetadata:\n  mode: 0755\n  at: 2024-01-01\nstringData:\n  mode: 0755\n  count: 1_000\n  at: 2024-01-01\n  quoted: "0755"\n';
    const enc = await encryptSecretManifest(text, { recipients: [recipient] });
    expect(enc).toMatch(/^ {2}mode: 493$/m);
    expect(enc).toMatch(/^ {2}at: 2024-01-01T00:00:00Z$/m);
    expect(enc).toMatch(/^ {2}at: ENC\[AES256_GCM,.*type:time\]$/m);
    expect(await decryptSopsYaml(enc, [identity])).toEqual({
      kind: 'Secret',
      metadata: { mode: 493, at: '2024-01-01T00:00:00Z' },
      stringData: { mode: 493, count: 1000, at: '2024-01-01T00:00:00Z', quoted: '0755' },
    });
    // from an object, strings stay strings: written quoted, so neither sops nor a YAML 1.1 reader misreads them
    const fromObject = await encryptSecretManifest(
      { kind: 'Secret', metadata: { a: '1_000', b: '08', c: '2024-01-01' }, stringData: { s: '0o17' } },
      { recipients: [recipient] },
    );
    expect(fromObject).toContain('a: "1_000"\n  b: "08"\n  c: "2024-01-01"');
    expect(await decryptSopsYaml(fromObject, [identity])).toEqual({
      kind: 'Secret',
      metadata: { a: '1_000', b: '08', c: '2024-01-01' },
      stringData: { s: '0o17' },
    });
  });

  it.each([
    ['a non-string key', 'stringData:\n  1: x\n', /stringData: key "1" is not a string for sops \(go-yaml reads it as bigint\); quote it/],
    ['a key go-yaml reads as a timestamp', 'stringData:\n  2024-01-01: x\n', /key "2024-01-01" is not a string for sops \(go-yaml reads it as a timestamp\)/],
    ['a boolean key', 'true: x\n', /the top level: key "true" is not a string for sops/],
    ['an explicit tag', 'stringData:\n  a: !!binary aGVsbG8=\n', /stringData\.a: explicit YAML tag !!binary is not supported/],
    ['an integer beyond int64', 'stringData:\n  a: 18446744073709551615\n', /stringData\.a: 18446744073709551615 is beyond int64, which sops cannot encrypt/],
  ])('refuses %s, as sops would', async (_, text, message) => {
    const { recipient } = await key;
    await expect(encryptSecretManifest(text, { recipients: [recipient] })).rejects.toThrow(message);
  });
});
