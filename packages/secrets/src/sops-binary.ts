import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '@ck8s/toolchain';
import YAML from 'yaml';
import { isAgeRecipient } from './age-keys';
import { DEFAULT_ENCRYPTED_REGEX, encryptSecretManifest, type EncryptOptions } from './encrypt';

/**
 * The real `sops` CLI where one is installed (it is the reference implementation, so it is preferred),
 * with the built-in encrypter as the fallback on machines without it.
 */
/** `$SOPS_BIN` if set (an error when it is not executable), else the pinned build in .tools/bin, else `sops` on PATH. */
export function findSopsBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTool('sops', env);
}

export interface SopsBinaryOptions {
  recipients: string[];
  encryptedRegex?: string;
  macOnlyEncrypted?: boolean;
  /** Path of the sops binary; default findSopsBinary(). */
  sopsBin?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `bin args...`; with `input`, the text reaches it on /dev/stdin through a real pipe. (Node's stdio
 * pipes are sockets, which Linux refuses to open as /dev/stdin, so `cat` in a shell pipeline feeds it.)
 */
function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file, argv] = input === undefined ? [bin, args] : ['/bin/sh', ['-c', 'cat | "$@"', 'sh', bin, ...args]];
    const child = execFile(file, argv, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.slice(0, -1).join(' ')} failed: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
    // A command that exits without reading its input fails through its exit code, not through EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** Windows has neither /dev/stdin nor /bin/sh: there the plain text goes through a file (mode 0600) deleted right after. */
const STDIN_PATH = process.platform === 'win32' ? undefined : '/dev/stdin';

/**
 * Encrypts with the sops CLI: `sops --encrypt --age <r1,r2> --encrypted-regex <re> --input-type yaml
 * --output-type yaml /dev/stdin`, the plain text piped in, so it never touches the disk. It runs in a
 * fresh, empty temporary directory so no `.sops.yaml` creation rule of the caller's tree overrides the
 * explicit recipients.
 */
export async function encryptWithSopsBinary(manifest: object | string, options: SopsBinaryOptions): Promise<string> {
  const env = options.env ?? process.env;
  const bin = options.sopsBin ?? findSopsBinary(env);
  if (!bin) throw new Error('no sops binary found (set SOPS_BIN or put sops on PATH)');
  if (!options.recipients?.length) throw new Error('at least one age recipient is required');
  const bad = options.recipients.filter((r) => !isAgeRecipient(r));
  if (bad.length) throw new Error(`not age recipients: ${bad.map((r) => JSON.stringify(r)).join(', ')}`);
  const text = typeof manifest === 'string' ? manifest : YAML.stringify(manifest);
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-sops-'));
  try {
    const args = ['--encrypt', '--age', options.recipients.join(','), '--encrypted-regex', options.encryptedRegex ?? DEFAULT_ENCRYPTED_REGEX];
    if (options.macOnlyEncrypted) args.push('--mac-only-encrypted');
    args.push('--input-type', 'yaml', '--output-type', 'yaml');
    if (STDIN_PATH) return await run(bin, [...args, STDIN_PATH], dir, env, text);
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, text, { mode: 0o600 });
    return await run(bin, [...args, file], dir, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EncryptSecretOptions extends EncryptOptions {
  /** Use the built-in encrypter even when a sops binary is available. */
  builtin?: boolean;
  sopsBin?: string;
  env?: NodeJS.ProcessEnv;
}

/** The result and which implementation produced it. */
export interface EncryptSecretResult {
  text: string;
  engine: 'sops' | 'builtin';
}

/** Encrypts with the sops binary when present (unless `builtin`), otherwise with the built-in encrypter. */
export async function encryptSecret(manifest: object | string, options: EncryptSecretOptions): Promise<EncryptSecretResult> {
  const usesOtherRules = options.unencryptedRegex ?? options.encryptedSuffix ?? options.unencryptedSuffix;
  const bin = options.builtin || usesOtherRules !== undefined ? undefined : options.sopsBin ?? findSopsBinary(options.env ?? process.env);
  if (bin) {
    const text = await encryptWithSopsBinary(manifest, {
      recipients: options.recipients,
      encryptedRegex: options.encryptedRegex,
      macOnlyEncrypted: options.macOnlyEncrypted,
      sopsBin: bin,
      env: options.env,
    });
    return { text, engine: 'sops' };
  }
  return { text: await encryptSecretManifest(manifest, options), engine: 'builtin' };
}
