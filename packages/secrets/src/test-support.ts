import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAgeIdentity, type AgeKeyPair } from './age';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';

/** Real-sops fixtures (../shared/fixtures/sops), read in place and never copied into the repo. */
export const SOPS_FIXTURES = ['fixtures', 'sops'] as const;

export const hasSopsFixtures = (): boolean => hasShared(...SOPS_FIXTURES);
export const sopsFixturesSkipMessage = (): string => skipMessage(...SOPS_FIXTURES);

export function readSopsFixture(name: string): string {
  return readFileSync(sharedDir(...SOPS_FIXTURES, name), 'utf8');
}

/** The public key recorded in an age key file's `# public key:` comment. */
export function publicKeyOf(keyFileText: string): string {
  const m = /^# public key: (\S+)$/m.exec(keyFileText);
  if (!m) throw new Error('key file has no public key comment');
  return m[1];
}

/** One run of the real sops CLI. */
export interface SopsRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real sops with a clean environment: HOME and XDG_CONFIG_HOME point at `home` (so no key of
 * the machine's user is found by accident), the version check is off (no network), and the age key
 * comes only from `keyFile` (SOPS_AGE_KEY_FILE) or `key` (SOPS_AGE_KEY).
 */
export function runSops(bin: string, args: string[], o: { home: string; cwd?: string; keyFile?: string; key?: string; input?: string }): SopsRun {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: o.home, XDG_CONFIG_HOME: o.home, SOPS_DISABLE_VERSION_CHECK: '1' };
  if (o.keyFile) env.SOPS_AGE_KEY_FILE = o.keyFile;
  if (o.key) env.SOPS_AGE_KEY = o.key;
  const r = spawnSync(bin, args, { cwd: o.cwd ?? o.home, env, input: o.input ?? '', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** An age key pair written as a key file (mode 0600) in `dir`, as age-keygen lays it out. */
export async function writeAgeKeyFile(dir: string, name: string, options: { postQuantum?: boolean } = {}): Promise<AgeKeyPair & { path: string }> {
  const pair = await generateAgeIdentity(options);
  const path = join(dir, `${name}.agekey`);
  writeFileSync(path, `# public key: ${pair.recipient}\n${pair.identity}\n`, { mode: 0o600 });
  return { ...pair, path };
}
