import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from '@ck8s/toolchain';
import YAML from 'yaml';
import { ageRecipientType, isAgeRecipient } from './age-keys';
import { DEFAULT_ENCRYPTED_REGEX, encryptSecretManifest, type EncryptOptions } from './encrypt';
import { stringifyDocument } from './sops-yaml';

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
  /** At most one of the four rules; with none, `encrypted_regex: ^(data|stringData)$`. */
  encryptedRegex?: string;
  unencryptedRegex?: string;
  encryptedSuffix?: string;
  unencryptedSuffix?: string;
  macOnlyEncrypted?: boolean;
  /** Path of the sops binary; default findSopsBinary(). */
  sopsBin?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `bin args...` with `input` on its standard input; rejects with sops' own message on failure. */
function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
    // A command that exits without reading its input fails through its exit code, not through EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/**
 * The creation rule the sops CLI encrypts with. Everything goes through a config file rather than flags:
 * `mac_only_encrypted` exists only as a creation-rule field for `sops encrypt`, and a config named with
 * `--config` also keeps any `.sops.yaml` of the caller's tree from overriding the explicit recipients.
 */
function creationRule(o: SopsBinaryOptions): string {
  const rule: Record<string, unknown> = { age: o.recipients.join(',') };
  const explicit = o.encryptedRegex ?? o.unencryptedRegex ?? o.encryptedSuffix ?? o.unencryptedSuffix;
  if (o.encryptedRegex !== undefined || explicit === undefined) rule.encrypted_regex = o.encryptedRegex ?? DEFAULT_ENCRYPTED_REGEX;
  if (o.unencryptedRegex !== undefined) rule.unencrypted_regex = o.unencryptedRegex;
  if (o.encryptedSuffix !== undefined) rule.encrypted_suffix = o.encryptedSuffix;
  if (o.unencryptedSuffix !== undefined) rule.unencrypted_suffix = o.unencryptedSuffix;
  if (o.macOnlyEncrypted) rule.mac_only_encrypted = true;
  return YAML.stringify({ creation_rules: [rule] });
}

/**
 * Encrypts with the sops CLI (3.9 or later): `sops --config <rule> encrypt --filename-override
 * secret.sops.yaml`, the plain text on its standard input, so it never touches the disk. Only the
 * creation rule (recipients and key rules, nothing secret) is written, to a fresh private directory.
 */
export async function encryptWithSopsBinary(manifest: object | string, options: SopsBinaryOptions): Promise<string> {
  const env = options.env ?? process.env;
  const bin = options.sopsBin ?? findSopsBinary(env);
  if (!bin) throw new Error('no sops binary found (set SOPS_BIN or put sops on PATH)');
  if (!options.recipients?.length) throw new Error('at least one age recipient is required');
  const bad = options.recipients.filter((r) => !isAgeRecipient(r));
  if (bad.length) throw new Error(`not age recipients: ${bad.map((r) => JSON.stringify(r)).join(', ')}`);
  // Objects are written as go-yaml v3 reads them back: a string such as "1_000" or "2024-01-01" quoted,
  // or sops would take it for a number or a timestamp.
  const text = typeof manifest === 'string' ? manifest : stringifyDocument(new YAML.Document(manifest));
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-sops-'));
  try {
    const config = join(dir, 'sops.yaml');
    writeFileSync(config, creationRule(options), { mode: 0o600 });
    const args = ['--config', config, 'encrypt', '--filename-override', 'secret.sops.yaml', '--input-type', 'yaml', '--output-type', 'yaml'];
    return await run(bin, args, dir, { SOPS_DISABLE_VERSION_CHECK: '1', ...env }, text);
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
  /** Why the built-in encrypter was used although a sops binary exists. */
  note?: string;
}

/**
 * Encrypts with the sops binary when present (unless `builtin`), otherwise with the built-in encrypter.
 * sops 3.11 links age 1.2, which knows only X25519 recipients natively: for a post-quantum (`age1pq1…`)
 * or tag recipient it looks for an age plugin and fails. The built-in encrypter wraps those natively,
 * so such a failure falls back to it (a later sops that can do it is used as is).
 */
export async function encryptSecret(manifest: object | string, options: EncryptSecretOptions): Promise<EncryptSecretResult> {
  const bin = options.builtin ? undefined : (options.sopsBin ?? findSopsBinary(options.env ?? process.env));
  if (!bin) return { text: await encryptSecretManifest(manifest, options), engine: 'builtin' };
  try {
    const text = await encryptWithSopsBinary(manifest, { ...options, sopsBin: bin });
    return { text, engine: 'sops' };
  } catch (e) {
    const nonX25519 = options.recipients.filter((r) => ageRecipientType(r) !== 'x25519');
    if (!nonX25519.length) throw e;
    const message = (e as Error).message;
    const why = (/[\w-]* ?plugin[^\]\n]*/.exec(message)?.[0] ?? message.split('\n')[0]).trim().slice(0, 200);
    const note = `${bin} could not encrypt for ${nonX25519.map((r) => `${r.slice(0, 12)}…`).join(', ')} (${why}); used the built-in encrypter`;
    return { text: await encryptSecretManifest(manifest, options), engine: 'builtin', note };
  }
}
