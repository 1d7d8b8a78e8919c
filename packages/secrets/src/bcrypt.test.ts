import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bcryptHash, bcryptVerify } from './bcrypt';
import { randomPassword } from './generators';
import { htpasswdBcrypt } from './htpasswd';

const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

/**
 * Published test vectors: Openwall's crypt_blowfish test suite (the `U*U` family, the 72-byte cut-off,
 * the `$2y$` prefix) and jBCrypt's (cost 6, several salts). Both were checked against the system
 * crypt() (libxcrypt) as well.
 */
const PUBLISHED: [string, string][] = [
  ['U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
  ['U*U*', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK'],
  ['U*U*U', '$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a'],
  ['', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy'],
  [
    '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored',
    '$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui',
  ],
  ['', '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.'],
  ['a', '$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe'],
  ['abc', '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i'],
  ['abcdefghijklmnopqrstuvwxyz', '$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC'],
  ['~!@#$%^&*()      ~!@#$%^&*()PNBFRD', '$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO'],
];

/** The salt bytes of a hash, decoded from bcrypt's base64 (to hash again with the same salt through our API). */
function saltOf(hash: string): Uint8Array {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bits = [...hash.slice(7, 29)].map((c) => alphabet.indexOf(c).toString(2).padStart(6, '0')).join('');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
}

/** The system crypt() through perl: an independent bcrypt (libxcrypt), where present. */
const perlCrypt = (password: string, setting: string): string | undefined => {
  try {
    const out = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', '--', password, setting], { encoding: 'utf8' });
    return out.startsWith('$2') ? out : undefined;
  } catch {
    return undefined;
  }
};
const systemCrypt = perlCrypt('probe', '$2b$04$CCCCCCCCCCCCCCCCCCCCC.') !== undefined;

describe('bcrypt', () => {
  it.each(PUBLISHED)('matches the published vector for %j', (password, hash) => {
    const variant = hash.slice(1, 3) as '2a';
    const cost = Number(hash.slice(4, 6));
    if (Buffer.byteLength(password) <= 72) expect(bcryptHash(password, { variant, cost, salt: saltOf(hash) })).toBe(hash);
    expect(bcryptVerify(password, hash)).toBe(true);
    expect(bcryptVerify(`x${password}`, hash)).toBe(false);
  });

  it('treats $2y$ and $2b$ like $2a$ (same algorithm, another letter)', () => {
    const [password, hash] = PUBLISHED[0];
    for (const v of ['2b', '2y'] as const) {
      const other = bcryptHash(password, { variant: v, cost: 5, salt: saltOf(hash) });
      expect(other).toBe(hash.replace('$2a$', `$${v}$`));
      expect(bcryptVerify(password, other)).toBe(true);
    }
  });

  it('is pure given the random source and verifies its own hashes', () => {
    const h = bcryptHash('pw', { cost: 4, random: counting });
    expect(h).toBe(bcryptHash('pw', { cost: 4, salt: counting(16) }));
    expect(h).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(bcryptVerify('pw', h)).toBe(true);
    expect(bcryptVerify('pW', h)).toBe(false);
  });

  it('hashes UTF-8 passwords as their bytes', () => {
    const h = bcryptHash('ünïcödé pässwörd', { cost: 4, random: counting });
    expect(bcryptVerify('ünïcödé pässwörd', h)).toBe(true);
    expect(bcryptVerify('unicode passwort', h)).toBe(false);
  });

  it('refuses passwords bcrypt would silently truncate, bad costs, salts and hashes', () => {
    expect(() => bcryptHash('x'.repeat(73), { cost: 4 })).toThrow(/72 bytes/);
    expect(() => bcryptHash('é'.repeat(37), { cost: 4 })).toThrow(/72 bytes/); // 74 bytes in UTF-8
    expect(() => bcryptHash('pw', { cost: 3 })).toThrow(/cost/);
    expect(() => bcryptHash('pw', { cost: 4.5 })).toThrow(/cost/);
    expect(() => bcryptHash('pw', { cost: 4, salt: counting(15) })).toThrow(/16 bytes/);
    expect(() => bcryptVerify('pw', '$1$abc$def')).toThrow(/not a bcrypt hash/);
    expect(() => bcryptVerify('pw', PUBLISHED[0][1].replace('$05$', '$03$'))).toThrow(/cost/);
  });

  it('accepts a hash whose salt carries unused low bits (written by other tools)', () => {
    const [password, hash] = PUBLISHED[0];
    // the 22nd salt character holds 2 used bits: "." (0) and "C" (4) decode to the same salt
    const noisy = `${hash.slice(0, 28)}C${hash.slice(29)}`;
    expect(noisy).not.toBe(hash);
    expect(bcryptVerify(password, noisy)).toBe(true);
  });

  it.skipIf(!systemCrypt)('agrees with the system crypt() on fresh random hashes (skipped when perl or bcrypt crypt is missing)', () => {
    for (let i = 0; i < 3; i++) {
      const password = randomPassword(20);
      const ours = bcryptHash(password, { cost: 5, variant: '2y' });
      expect(perlCrypt(password, ours)).toBe(ours);
    }
  });
});

/**
 * An htpasswd file read the way its consumers read it: nginx's `auth_basic_user_file` (ingress-nginx
 * `auth-type: basic`, `auth-secret-type: auth-file`) and Traefik's BasicAuth `users`/`usersFile` take one
 * `user:hash` per line, split at the first colon, skip blank and `#` lines, and check `$2y$` hashes with
 * bcrypt.
 */
function readHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    expect(colon, line).toBeGreaterThan(0);
    expect(users.has(line.slice(0, colon)), `duplicate user in ${line}`).toBe(false);
    users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return users;
}

describe('htpasswdBcrypt', () => {
  it('writes the htpasswd -B form', () => {
    const line = htpasswdBcrypt('thanos', 'pw', { cost: 4, random: counting });
    expect(line).toMatch(/^thanos:\$2y\$04\$[./A-Za-z0-9]{53}$/);
    expect(bcryptVerify('pw', line.slice('thanos:'.length))).toBe(true);
  });

  it('builds a multi-user file each consumer line verifies against its own password only', () => {
    const passwords = { 'writer-apps-a': randomPassword(24), 'writer-apps-b': randomPassword(24), ops: 'pässwörd' };
    const file = `${Object.entries(passwords)
      .map(([u, p]) => htpasswdBcrypt(u, p, { cost: 4 }))
      .join('\n')}\n`;
    const users = readHtpasswd(file);
    expect([...users.keys()]).toEqual(Object.keys(passwords));
    for (const [user, hash] of users) {
      expect(hash.startsWith('$2y$'), `${user}: Apache's and Traefik's prefix`).toBe(true);
      for (const [other, password] of Object.entries(passwords)) expect(bcryptVerify(password, hash), `${user} with ${other}'s password`).toBe(other === user);
      if (systemCrypt) expect(perlCrypt(passwords[user as keyof typeof passwords], hash)).toBe(hash);
    }
  });

  it('refuses user names a consumer would split wrongly', () => {
    for (const bad of ['', 'a:b', 'a\nb', 'a\rb']) expect(() => htpasswdBcrypt(bad, 'pw', { cost: 4 }), JSON.stringify(bad)).toThrow(/colon or newline/);
  });
});
