import { readFileSync } from 'node:fs';
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
