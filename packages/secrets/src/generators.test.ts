import { describe, expect, it } from 'vitest';
import { randomPassword, randomToken, URL_SAFE_ALPHABET } from './generators';

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
