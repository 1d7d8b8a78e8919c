import { bech32Decode } from './bech32';

/**
 * Synchronous syntax checks for age keys. Recipients are bech32 with the human-readable part naming the
 * type: `age` (X25519, 32-byte key), `age1pq` (ML-KEM-768 + X25519 hybrid, 1216 bytes), `age1tag` /
 * `age1tagpq` (hardware-tag recipients); any other `age1<name>` is a plugin recipient.
 */
export type AgeRecipientType = 'x25519' | 'pq' | 'tag' | 'tagpq' | 'plugin';

const NATIVE_SIZES: Record<string, { type: AgeRecipientType; bytes?: number }> = {
  age: { type: 'x25519', bytes: 32 },
  age1pq: { type: 'pq', bytes: 1216 },
  age1tag: { type: 'tag' },
  age1tagpq: { type: 'tagpq' },
};

/** The recipient's type, or undefined when it is not a well-formed age recipient. */
export function ageRecipientType(s: string): AgeRecipientType | undefined {
  if (typeof s !== 'string' || s !== s.toLowerCase()) return undefined; // age prints recipients lower-case only
  const decoded = bech32Decode(s);
  if (!decoded) return undefined;
  const native = NATIVE_SIZES[decoded.hrp];
  if (native) return native.bytes === undefined || native.bytes === decoded.data.length ? native.type : undefined;
  return /^age1[a-z0-9.+-]+$/.test(decoded.hrp) ? 'plugin' : undefined;
}

/**
 * Whether `s` is an age recipient this project can encrypt to without plugins: X25519 (`age1...`),
 * post-quantum hybrid (`age1pq1...`) or tag recipients. Plugin recipients only with `allowPlugins`.
 */
export function isAgeRecipient(s: string, options: { allowPlugins?: boolean } = {}): boolean {
  const type = ageRecipientType(s);
  return type !== undefined && (type !== 'plugin' || options.allowPlugins === true);
}

/** Whether `s` is an age secret key (`AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...`). */
export function isAgeIdentity(s: string): boolean {
  if (s !== s.toUpperCase()) return false;
  const decoded = bech32Decode(s);
  return !!decoded && decoded.data.length === 32 && (decoded.hrp === 'age-secret-key-' || decoded.hrp === 'age-secret-key-pq-');
}

/**
 * The identities in age key-file text (one per line; blank lines and `#` comments skipped), so callers
 * can pass a key file's content as is. Several texts may be given.
 */
export function parseAgeIdentities(...texts: string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (!isAgeIdentity(line)) throw new Error('not an age identity: expected AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1... (line content withheld)');
      out.push(line);
    }
  }
  return out;
}
