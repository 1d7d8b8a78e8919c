import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { tempDir } from '@ck8s/testing';
import { findTool } from '@ck8s/toolchain';
import { encryptSecret, encryptWithSopsBinary, findSopsBinary } from './sops-binary';

const R = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';

// A stand-in for sops that records how it was called: its arguments, the creation rule it was given
// (--config), its standard input, its working directory and what that directory holds; then prints a
// marker. Shell builtins only, so it works whatever PATH the caller passes. The real CLI is exercised
// by sops-interop.test.ts; this pins the invocation.
const tmp = tempDir('ck8s-fake-sops-');
const fake = join(tmp.dir, 'sops');
const log = join(tmp.dir, 'log');
writeFileSync(
  fake,
  [
    '#!/bin/sh',
    `for a in "$@"; do printf '%s\\n' "$a"; done > ${log}.args`,
    `while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$2" > ${log}.rule`,
    `while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done > ${log}.stdin`,
    `printf '%s\\n' "$PWD" > ${log}.cwd`,
    `for f in * .*; do printf '%s\\n' "$f"; done >> ${log}.cwd`,
    'echo "encrypted-by-fake-sops"',
    '',
  ].join('\n'),
);
chmodSync(fake, 0o755);
afterAll(() => tmp.cleanup());

const read = (suffix: string) => readFileSync(`${log}.${suffix}`, 'utf8');

describe('sops binary', () => {
  it('finds $SOPS_BIN first, else what @ck8s/toolchain finds (pinned build, then PATH)', () => {
    expect(findSopsBinary({ SOPS_BIN: fake })).toBe(fake);
    for (const env of [{ PATH: `/nonexistent:${tmp.dir}` }, { PATH: '/nonexistent' }]) expect(findSopsBinary(env)).toBe(findTool('sops', env));
    // an explicit SOPS_BIN that cannot run is a mistake to report, not a reason to fall back silently
    expect(() => findSopsBinary({ SOPS_BIN: join(tmp.dir, 'missing-sops'), PATH: tmp.dir })).toThrow(/SOPS_BIN=.*missing-sops is not an executable file/);
  });

  it('calls `sops --config <rule> encrypt`, the plain text on stdin; only the rule is written, to a private directory removed after', async () => {
    const out = await encryptWithSopsBinary({ kind: 'Secret', stringData: { a: 'hunter2' } }, { recipients: [R], sopsBin: fake });
    expect(out).toBe('encrypted-by-fake-sops\n');
    const args = read('args').trimEnd().split('\n');
    expect(args).toEqual(['--config', args[1], 'encrypt', '--filename-override', 'secret.sops.yaml', '--input-type', 'yaml', '--output-type', 'yaml']);
    expect(YAML.parse(read('rule'))).toEqual({ creation_rules: [{ age: R, encrypted_regex: '^(data|stringData)$' }] });
    expect(read('stdin')).toContain('stringData:\n  a: hunter2');
    const [cwd, ...entries] = read('cwd').trimEnd().split('\n');
    expect(args[1]).toBe(join(cwd, 'sops.yaml'));
    expect(entries.filter((e) => !['.', '..', '.*'].includes(e))).toEqual(['sops.yaml']);
    expect(read('rule')).not.toContain('hunter2');
    expect(existsSync(cwd)).toBe(false);
  });

  it('passes every key rule, several recipients and mac_only_encrypted through the creation rule', async () => {
    const R2 = 'age1y8m84r6pwd4da5d45zzk03rlgv2xr7fn9px80suw3psrahul44ashl0usm';
    await encryptWithSopsBinary('a: b\n', { recipients: [R, R2], unencryptedSuffix: '_plain', macOnlyEncrypted: true, sopsBin: fake });
    expect(YAML.parse(read('rule'))).toEqual({ creation_rules: [{ age: `${R},${R2}`, unencrypted_suffix: '_plain', mac_only_encrypted: true }] });
    await encryptWithSopsBinary('a: b\n', { recipients: [R], encryptedRegex: '^secret$', sopsBin: fake });
    expect(YAML.parse(read('rule'))).toEqual({ creation_rules: [{ age: R, encrypted_regex: '^secret$' }] });
  });

  it('refuses bad recipients before running anything', async () => {
    await expect(encryptWithSopsBinary('a: b\n', { recipients: ['age1nope'], sopsBin: fake })).rejects.toThrow(/not age recipients: "age1nope"/);
    await expect(encryptWithSopsBinary('a: b\n', { recipients: [], sopsBin: fake })).rejects.toThrow(/at least one age recipient/);
  });

  it('encryptSecret prefers the binary and can be forced to the built-in encrypter', async () => {
    expect(await encryptSecret({ kind: 'Secret' }, { recipients: [R], env: { SOPS_BIN: fake } })).toEqual({ text: 'encrypted-by-fake-sops\n', engine: 'sops' });
    const forced = await encryptSecret({ kind: 'Secret', stringData: { a: 'b' } }, { recipients: [R], env: { SOPS_BIN: fake }, builtin: true });
    expect(forced.engine).toBe('builtin');
    expect(forced.text).toMatch(/a: ENC\[AES256_GCM/);
  });

  it('reports a failing sops with its stderr; with only X25519 recipients there is no fallback', async () => {
    const failing = join(tmp.dir, 'sops-fail');
    writeFileSync(failing, '#!/bin/sh\necho "no key" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(encryptWithSopsBinary({ a: 1 }, { recipients: [R], sopsBin: failing })).rejects.toThrow(/no key/);
    await expect(encryptSecret({ a: 1 }, { recipients: [R], sopsBin: failing })).rejects.toThrow(/no key/);
  });
});
