import { defaultRandom, type RandomSource } from './random';
import { piWords } from './blowfish-constants';

/**
 * bcrypt (Provos & Mazières, "A Future-Adaptable Password Scheme", 1999): EksBlowfish keyed with the
 * password and a 16-byte salt, 2^cost rounds, then "OrpheanBeholderScryDoubt" encrypted 64 times.
 * Needed because Thanos/Prometheus web configs (exporter-toolkit) accept bcrypt hashes only, and it is
 * what htpasswd -B, Traefik BasicAuth and ingress basic-auth Secrets use.
 */

const BCRYPT_B64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt's own base64 (different alphabet, no padding). */
function b64Encode(bytes: Uint8Array, length: number): string {
  let out = '';
  let i = 0;
  while (out.length < length) {
    const c1 = bytes[i++] ?? 0;
    const c2 = bytes[i++] ?? 0;
    const c3 = bytes[i++] ?? 0;
    out += BCRYPT_B64[c1 >> 2] + BCRYPT_B64[((c1 & 3) << 4) | (c2 >> 4)] + BCRYPT_B64[((c2 & 15) << 2) | (c3 >> 6)] + BCRYPT_B64[c3 & 63];
  }
  return out.slice(0, length);
}

function b64Decode(s: string, bytes: number): Uint8Array {
  const vals = [...s].map((c) => {
    const v = BCRYPT_B64.indexOf(c);
    if (v < 0) throw new Error('invalid bcrypt base64');
    return v;
  });
  const out = new Uint8Array(bytes);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const v of vals) {
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o < bytes) out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

class EksBlowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const words = piWords();
    this.p = words.slice(0, 18);
    this.s = words.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24] + s[256 | ((x >>> 16) & 0xff)]) >>> 0) ^ s[512 | ((x >>> 8) & 0xff)]) + s[768 | (x & 0xff)]) >>> 0;
  }

  /** Encrypts the 64-bit block lr[off], lr[off+1] in place. */
  encrypt(lr: Uint32Array, off: number): void {
    let l = lr[off];
    let r = lr[off + 1];
    const p = this.p;
    for (let i = 0; i < 16; i += 2) {
      l = (l ^ p[i]) >>> 0;
      r = (r ^ this.f(l)) >>> 0;
      r = (r ^ p[i + 1]) >>> 0;
      l = (l ^ this.f(r)) >>> 0;
    }
    lr[off] = (r ^ p[17]) >>> 0;
    lr[off + 1] = (l ^ p[16]) >>> 0;
  }

  /** Key schedule step; with a salt this is EksBlowfish's salted expansion, without it plain Blowfish's. */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const word = (bytes: Uint8Array, pos: { i: number }): number => {
      let w = 0;
      for (let j = 0; j < 4; j++) {
        w = ((w << 8) | bytes[pos.i]) >>> 0;
        pos.i = (pos.i + 1) % bytes.length;
      }
      return w;
    };
    const kp = { i: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i] ^ word(key, kp)) >>> 0;
    const sp = { i: 0 };
    const lr = new Uint32Array(2);
    const fill = (target: Uint32Array, n: number): void => {
      for (let i = 0; i < n; i += 2) {
        if (salt) {
          lr[0] ^= word(salt, sp);
          lr[1] ^= word(salt, sp);
        }
        this.encrypt(lr, 0);
        target[i] = lr[0];
        target[i + 1] = lr[1];
      }
    };
    fill(this.p, 18);
    fill(this.s, 1024);
  }
}

export interface BcryptOptions {
  /** log2 of the rounds, 4..31; default 10 (Apache htpasswd's default is 5, too low today). */
  cost?: number;
  /** Version letter: `2b` (OpenBSD, default) or `2y` (Apache htpasswd, PHP); the algorithm is the same. */
  variant?: '2a' | '2b' | '2y';
  /** A fixed 16-byte salt (tests); otherwise drawn from `random`. */
  salt?: Uint8Array;
  random?: RandomSource;
}

/** The Blowfish key: UTF-8 bytes plus the terminating NUL (2a/2b/2y), at most 72 bytes. */
function passwordKey(password: string, refuseLong: boolean): Uint8Array {
  const bytes = Buffer.from(password, 'utf8');
  // bcrypt ignores everything after byte 72; when hashing, refusing beats a weaker hash than asked for
  if (refuseLong && bytes.length > 72) throw new Error('bcrypt passwords are limited to 72 bytes');
  const key = new Uint8Array(bytes.length + 1);
  key.set(bytes);
  return key.subarray(0, 72);
}

function hashRaw(key: Uint8Array, salt: Uint8Array, cost: number): Uint8Array {
  const bf = new EksBlowfish();
  bf.expand(key, salt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    bf.expand(key);
    bf.expand(salt);
  }
  const magic = Buffer.from('OrpheanBeholderScryDoubt', 'latin1');
  const ctext = new Uint32Array(6);
  for (let i = 0; i < 6; i++) ctext[i] = magic.readUInt32BE(i * 4);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 6; j += 2) bf.encrypt(ctext, j);
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(ctext[i], i * 4);
  return out.subarray(0, 23); // bcrypt keeps 23 of the 24 bytes
}

/** A bcrypt hash string (`$2b$10$<22 salt chars><31 hash chars>`). */
export function bcryptHash(password: string, options: BcryptOptions = {}): string {
  const cost = options.cost ?? 10;
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error('bcrypt cost must be an integer from 4 to 31');
  const salt = options.salt ?? (options.random ?? defaultRandom)(16);
  if (salt.length !== 16) throw new Error('bcrypt salt must be 16 bytes');
  const variant = options.variant ?? '2b';
  const hash = hashRaw(passwordKey(password, true), salt, cost);
  return `$${variant}$${String(cost).padStart(2, '0')}$${b64Encode(salt, 22)}${b64Encode(hash, 31)}`;
}

/** Checks a password against a `$2a$`/`$2b$`/`$2y$` hash (bytes after the 72nd are ignored, as bcrypt does). */
export function bcryptVerify(password: string, hash: string): boolean {
  const m = /^\$(2[aby])\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!m) throw new Error('not a bcrypt hash');
  const cost = Number(m[2]);
  if (cost < 4 || cost > 31) throw new Error('bcrypt cost must be from 4 to 31');
  // only the hash part is compared: a salt string may carry unused low bits
  const again = b64Encode(hashRaw(passwordKey(password, false), b64Decode(m[3], 16), cost), 31);
  let diff = 0;
  for (let i = 0; i < 31; i++) diff |= again.charCodeAt(i) ^ m[4].charCodeAt(i);
  return diff === 0;
}
