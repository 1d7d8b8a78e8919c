import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { encryptSecret, encryptWithSopsBinary, findSopsBinary } from './sops-binary';

const R = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';

// A stand-in for sops: records its arguments, its input and what its working directory holds, prints
// a marker. The real CLI is not installable on these machines; this checks the invocation, the interop
// tests check the format.
const tmp = tempDir('ck8s-fake-sops-');
const fake = join(tmp.dir, 'sops');
const log = join(tmp.dir, 'log');
writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\ncat "$(eval echo \\\${$#})" >> ${log}\nls -A > ${log}.cwd\necho "encrypted-by-fake-sops"\n`);
chmodSync(fake, 0o755);
afterAll(() => tmp.cleanup());

describe('sops binary', () => {
  it('finds SOPS_BIN or sops on PATH', () => {
    expect(findSopsBinary({ SOPS_BIN: fake })).toBe(fake);
    expect(findSopsBinary({ PATH: `/nonexistent:${tmp.dir}` })).toBe(fake);
    expect(findSopsBinary({ PATH: '/nonexistent' })).toBeUndefined();
    // an explicit SOPS_BIN that cannot run is a mistake to report, not a reason to fall back silently
    expect(() => findSopsBinary({ SOPS_BIN: join(tmp.dir, 'missing-sops'), PATH: tmp.dir })).toThrow(/SOPS_BIN=.*missing-sops is not an executable file/);
  });

  it('calls sops --encrypt with the recipients and encrypted_regex, the plain text on stdin and never in a file', async () => {
    const out = await encryptWithSopsBinary({ kind: 'Secret', stringData: { a: 'b' } }, { recipients: [R], sopsBin: fake });
    expect(out).toBe('encrypted-by-fake-sops\n');
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines.slice(0, 10)).toEqual(['--encrypt', '--age', R, '--encrypted-regex', '^(data|stringData)$', '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin']);
    expect(lines.slice(10).join('\n')).toContain('stringData:\n  a: b');
    expect(readFileSync(`${log}.cwd`, 'utf8')).toBe('');
  });

  it('encryptSecret prefers the binary and falls back to (or can be forced to) the built-in encrypter', async () => {
    expect(await encryptSecret({ kind: 'Secret' }, { recipients: [R], env: { SOPS_BIN: fake } })).toEqual({ text: 'encrypted-by-fake-sops\n', engine: 'sops' });
    const forced = await encryptSecret({ kind: 'Secret', stringData: { a: 'b' } }, { recipients: [R], env: { SOPS_BIN: fake }, builtin: true });
    expect(forced.engine).toBe('builtin');
    expect(forced.text).toMatch(/a: ENC\[AES256_GCM/);
    const none = await encryptSecret({ kind: 'Secret', stringData: { a: 'b' } }, { recipients: [R], env: { PATH: '/nonexistent' } });
    expect(none.engine).toBe('builtin');
  });

  it('reports a failing sops with its stderr', async () => {
    const failing = join(tmp.dir, 'sops-fail');
    writeFileSync(failing, '#!/bin/sh\necho "no key" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(encryptWithSopsBinary({ a: 1 }, { recipients: [R], sopsBin: failing })).rejects.toThrow(/no key/);
  });
});
