import { timingSafeEqual } from 'node:crypto';
import { encodeBase64, hashSync, truncates } from 'bcryptjs';
import { defaultRandom, type RandomSource } from './random';

/**
 * bcrypt hashes for htpasswd files and web configs, computed by bcryptjs (a maintained, widely used
 * implementation) rather than our own Blowfish. Needed because Thanos/Prometheus web configs
 * (exporter-toolkit) accept bcrypt hashes only, and it is what `htpasswd -B`, Traefik BasicAuth,
 * ingress basic-auth Secrets and Harbor's registry use. This module adds only what bcryptjs leaves
 * to its caller: a caller-chosen random source (pure tests), the version letter, refusing passwords
 * bcrypt would truncate, and a strict hash format check.
 */

export interface BcryptOptions {
  /** log2 of the rounds, 4..31; default 10 (Apache htpasswd's default is 5, too low today). */
  cost?: number;
  /** Version letter: `2b` (OpenBSD, default) or `2y` (Apache htpasswd, PHP); the algorithm is the same. */
  variant?: '2a' | '2b' | '2y';
  /** A fixed 16-byte salt (tests); otherwise drawn from `random`. */
  salt?: Uint8Array;
  random?: RandomSource;
}

const HASH = /^\$(2[aby])\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/** A bcrypt hash string (`$2b$10$<22 salt chars><31 hash chars>`). */
export function bcryptHash(password: string, options: BcryptOptions = {}): string {
  const cost = options.cost ?? 10;
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error('bcrypt cost must be an integer from 4 to 31');
  const salt = options.salt ?? (options.random ?? defaultRandom)(16);
  if (salt.length !== 16) throw new Error('bcrypt salt must be 16 bytes');
  // bcrypt ignores everything after byte 72; when hashing, refusing beats a weaker hash than asked for
  if (truncates(password)) throw new Error('bcrypt passwords are limited to 72 bytes');
  const variant = options.variant ?? '2b';
  return hashSync(password, `$${variant}$${String(cost).padStart(2, '0')}$${encodeBase64(salt, 16)}`);
}

/** Checks a password against a `$2a$`/`$2b$`/`$2y$` hash (bytes after the 72nd are ignored, as bcrypt does). */
export function bcryptVerify(password: string, hash: string): boolean {
  const m = HASH.exec(hash);
  if (!m) throw new Error('not a bcrypt hash');
  const cost = Number(m[2]);
  if (cost < 4 || cost > 31) throw new Error('bcrypt cost must be from 4 to 31');
  // Only the hash part is compared: a foreign salt string may carry unused low bits that bcryptjs
  // would write back canonically, so comparing whole strings could reject a correct password.
  const again = hashSync(password, hash.slice(0, 29)).slice(29);
  return timingSafeEqual(Buffer.from(again), Buffer.from(m[4]));
}
