import { randomBytes } from 'node:crypto';

/** A source of random bytes; injectable so generators and tests can be deterministic. */
export type RandomSource = (n: number) => Uint8Array;

export const defaultRandom: RandomSource = (n) => new Uint8Array(randomBytes(n));
