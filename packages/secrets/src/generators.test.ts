import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bcryptHash, bcryptVerify } from './bcrypt';
import { piWords } from './blowfish-constants';
import { randomPassword, randomToken, URL_SAFE_ALPHABET } from './generators';
import { htpasswdBcrypt } from './htpasswd';

const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('randomPassword / randomToken', () => {
  it('is pure given the random source', () => {
    expect(randomPassword(8, counting)).toBe('ABCDEFGH');
    expect(randomPassword(64, counting)).toBe(URL_SAFE_ALPHABET);
    expect(randomToken(4, 'hex', counting)).toBe('00010203');
    expect(randomToken(3, 'base64url', () => Uint8Array.from([251, 255, 191]))).toBe('-_-_');
  });

  it('defaults to 32 URL-safe characters from crypto.randomBytes', () => {
    const a = randomPassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomPassword()).not.toBe(a);
    expect(randomToken()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects nonsense sizes', () => {
    expect(() => randomPassword(0)).toThrow();
    expect(() => randomToken(-1)).toThrow();
  });
});

describe('bcrypt', () => {
  it('derives the Blowfish tables from pi (first and last words of P and S)', () => {
    const w = piWords();
    expect([w[0], w[17], w[18], w[1041]].map((x) => x.toString(16))).toEqual(['243f6a88', '8979fb1b', 'd1310ba6', '3ac372e6']);
  });

  // Produced by libxcrypt's crypt() (the system's, via perl) on the development machine.
  const VECTORS: [string, string][] = [
    ['U*U', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
    ['', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy'],
    ['0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '$2y$04$abcdefghijklmnopqrstuuRAip/W0RPQX4QKkqYqXE3GIXWH518Sm'],
    ['ünïcödé pässwörd', '$2b$06$XXXXXXXXXXXXXXXXXXXXXOXVRAkJp/8crJOTXqSTFeIE3qyauz6RG'],
  ];

  it('matches reference hashes', () => {
    for (const [password, hash] of VECTORS) {
      expect(bcryptVerify(password, hash), hash).toBe(true);
      expect(bcryptVerify(`x${password}`, hash)).toBe(false);
    }
    // bcrypt reads 72 bytes at most: the third vector's password is exactly 72 characters
    expect(bcryptVerify(`${VECTORS[2][0]}ignored`, VECTORS[2][1])).toBe(true);
  });

  it('is pure given the random source and verifies its own hashes', () => {
    const h = bcryptHash('pw', { cost: 4, random: counting });
    expect(h).toBe(bcryptHash('pw', { cost: 4, salt: counting(16) }));
    expect(h).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(bcryptVerify('pw', h)).toBe(true);
  });

  it('refuses passwords bcrypt would silently truncate', () => {
    expect(() => bcryptHash('x'.repeat(73), { cost: 4 })).toThrow(/72 bytes/);
  });

  const perlCrypt = (password: string, setting: string): string | undefined => {
    try {
      const out = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', '--', password, setting], { encoding: 'utf8' });
      return out.startsWith('$2') ? out : undefined;
    } catch {
      return undefined;
    }
  };
  const systemCrypt = perlCrypt('probe', '$2b$04$CCCCCCCCCCCCCCCCCCCCC.') !== undefined;

  it.skipIf(!systemCrypt)('agrees with the system crypt() on fresh random hashes (skipped when perl or bcrypt crypt is missing)', () => {
    for (let i = 0; i < 3; i++) {
      const password = randomPassword(20);
      const ours = bcryptHash(password, { cost: 5 });
      expect(perlCrypt(password, ours)).toBe(ours);
    }
  });
});

describe('htpasswdBcrypt', () => {
  it('writes the htpasswd -B form', () => {
    const line = htpasswdBcrypt('thanos', 'pw', { cost: 4, random: counting });
    expect(line).toMatch(/^thanos:\$2y\$04\$/);
    expect(bcryptVerify('pw', line.slice('thanos:'.length))).toBe(true);
    expect(() => htpasswdBcrypt('a:b', 'pw')).toThrow(/colon/);
  });
});
