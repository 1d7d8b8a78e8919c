/**
 * Blowfish's initial P-array and S-boxes are, by definition, the hexadecimal digits of pi's fractional
 * part (P1 = 0x243F6A88, ...). Instead of a 1042-word table they are computed once with BigInt from
 * Machin's formula pi = 16·atan(1/5) - 4·atan(1/239), in a few milliseconds.
 */
const WORDS = 18 + 4 * 256;

function atanInverse(x: bigint, one: bigint): bigint {
  // atan(1/x) = 1/x - 1/(3x^3) + 1/(5x^5) - ..., in fixed point with scale `one`
  const x2 = x * x;
  let power = one / x;
  let sum = power;
  for (let n = 3n, sign = -1n; power !== 0n; n += 2n, sign = -sign) {
    power /= x2;
    sum += (sign * power) / n;
  }
  return sum;
}

let cached: Uint32Array | undefined;

/** 1042 words: P[0..17], then S0[0..255] .. S3[0..255]. */
export function piWords(): Uint32Array {
  if (cached) return cached;
  const bits = BigInt(WORDS * 32);
  const guard = 64n; // absorbs the truncation error of the series
  const one = 1n << (bits + guard);
  const pi = 16n * atanInverse(5n, one) - 4n * atanInverse(239n, one);
  let frac = (pi >> guard) & ((1n << bits) - 1n); // drop the integer part 3
  const out = new Uint32Array(WORDS);
  for (let i = WORDS - 1; i >= 0; i--) {
    out[i] = Number(frac & 0xffffffffn);
    frac >>= 32n;
  }
  cached = out;
  return out;
}
