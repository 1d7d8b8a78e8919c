import { execFile } from 'node:child_process';
import { findSopsBinary } from '@ck8s/secrets';

/**
 * Decrypts a SOPS file with the real `sops` CLI and the caller's own keys (GnuPG keyring, age key
 * file, cloud KMS credentials: whatever sops finds in the environment). For inputs our built-in
 * decrypter cannot open, such as PGP-encrypted files from other tools. The plain text stays in memory.
 */

export type SopsDecryptResult = { ok: true; text: string; sops: string } | { ok: false; reason: string };

export function decryptWithSops(path: string, o: { sopsBin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SopsDecryptResult> {
  const env = o.env ?? process.env;
  const bin = o.sopsBin ?? findSopsBinary(env);
  if (!bin) return Promise.resolve({ ok: false, reason: 'no sops binary found (set SOPS_BIN, run npm run install-tools, or put sops on PATH)' });
  return new Promise((resolve) => {
    execFile(
      bin,
      ['decrypt', '--output-type', 'yaml', path],
      { env: { ...env, SOPS_DISABLE_VERSION_CHECK: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: o.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        // sops names the file and the keys it tried; never the plain values.
        if (err) resolve({ ok: false, reason: `sops could not decrypt ${path}: ${String(stderr).trim().split('\n').slice(-3).join(' ') || err.message}` });
        else resolve({ ok: true, text: String(stdout), sops: bin });
      },
    );
  });
}
