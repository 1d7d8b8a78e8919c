import { defaultRandom, type RandomSource } from './random';

/**
 * Secret material for generated environments. Pure given the random source, so generators can be
 * tested with a fixed one; the default is crypto.randomBytes.
 */

/** RFC 4648 URL-safe alphabet: 64 symbols, so `byte & 63` picks uniformly (no modulo bias). */
export const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random password over the URL-safe alphabet (6 bits each: the default 32 characters carry 192 bits). */
export function randomPassword(length = 32, random: RandomSource = defaultRandom): string {
  if (!Number.isInteger(length) || length < 1) throw new Error('password length must be a positive integer');
  const bytes = random(length);
  if (bytes.length < length) throw new Error('random source returned too few bytes');
  let out = '';
  for (let i = 0; i < length; i++) out += URL_SAFE_ALPHABET[bytes[i] & 63];
  return out;
}

/** `bytes` random bytes, hex (default) or base64url without padding. */
export function randomToken(bytes = 32, encoding: 'hex' | 'base64url' = 'hex', random: RandomSource = defaultRandom): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new Error('token size must be a positive integer');
  const b = random(bytes);
  if (b.length < bytes) throw new Error('random source returned too few bytes');
  return Buffer.from(b.subarray(0, bytes)).toString(encoding);
}
