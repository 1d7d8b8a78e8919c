import { createCipheriv, createDecipheriv } from 'node:crypto';
import { goFormatFloat, goParseBool, goParseFloat, goParseInt } from './go-compat';

/**
 * One encrypted SOPS value: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<type>]`. AES-256-GCM
 * with the file's data key, a 32-byte nonce (sops uses GCM with a non-standard nonce size), a 16-byte
 * tag, and the value's key path (`stringData:password:`) as additional data, so a ciphertext cannot be
 * moved to another key unnoticed.
 */
export const SOPS_VALUE_TYPES = ['str', 'int', 'int64', 'float', 'bool', 'bytes', 'time', 'comment'] as const;
export type SopsValueType = (typeof SOPS_VALUE_TYPES)[number];

/**
 * A YAML timestamp as sops holds it (Go's time.Time): go-yaml v3 reads an unquoted `2024-01-01` as a
 * time, and sops encrypts and authenticates its `MarshalText` form (`2024-01-01T00:00:00Z`) as type `time`.
 */
export class SopsTime {
  constructor(readonly text: string) {}
}

/** Plain leaf values as this package represents them: integers are bigint, floats are number. */
export type PlainValue = string | bigint | number | boolean | Uint8Array | SopsTime;

export const IV_BYTES = 32;
export const TAG_BYTES = 16;

export interface EncValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: SopsValueType;
}

const ENC_RE = /^ENC\[AES256_GCM,data:([^,\]]*),iv:([^,\]]*),tag:([^,\]]*),type:([^,\]]*)\]$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether a string claims to be a sops-encrypted value (well-formed or not). */
export function looksEncrypted(s: unknown): s is string {
  return typeof s === 'string' && s.startsWith('ENC[');
}

/** Parses and checks an ENC[] value strictly; the error says which part is wrong. */
export function parseEncValue(s: string): { value: EncValue } | { error: string } {
  const m = ENC_RE.exec(s);
  if (!m) return { error: 'is not of the form ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]' };
  const [, data, iv, tag, type] = m;
  for (const [name, b64] of [
    ['data', data],
    ['iv', iv],
    ['tag', tag],
  ] as const) {
    if (b64 === '' || !B64_RE.test(b64)) return { error: `has a ${name} field that is not valid base64` };
  }
  const value: EncValue = {
    data: Buffer.from(data, 'base64'),
    iv: Buffer.from(iv, 'base64'),
    tag: Buffer.from(tag, 'base64'),
    type: type as SopsValueType,
  };
  if (value.iv.length !== IV_BYTES) return { error: `has a ${value.iv.length}-byte iv (sops writes ${IV_BYTES} bytes)` };
  if (value.tag.length !== TAG_BYTES) return { error: `has a ${value.tag.length}-byte tag (AES-GCM tags are ${TAG_BYTES} bytes)` };
  if (!(SOPS_VALUE_TYPES as readonly string[]).includes(type)) return { error: `has unknown type ${JSON.stringify(type)}` };
  return { value };
}

export function formatEncValue(v: EncValue): string {
  return `ENC[AES256_GCM,data:${v.data.toString('base64')},iv:${v.iv.toString('base64')},tag:${v.tag.toString('base64')},type:${v.type}]`;
}

/** The bytes sops encrypts and hashes for a value (Go's rendering: `True`/`False`, shortest floats). */
export function plainBytes(value: PlainValue): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'bigint') return Buffer.from(value.toString(), 'utf8');
  if (typeof value === 'number') return Buffer.from(goFormatFloat(value), 'utf8');
  if (typeof value === 'boolean') return Buffer.from(value ? 'True' : 'False', 'utf8');
  if (value instanceof SopsTime) return Buffer.from(value.text, 'utf8');
  return Buffer.from(value);
}

function typeOf(value: PlainValue): SopsValueType {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof SopsTime) return 'time';
  return 'bytes';
}

/** Encrypts one value; `iv` is 32 fresh random bytes per value. */
export function encryptValue(value: PlainValue, key: Uint8Array, additionalData: string, iv: Uint8Array): string {
  if (iv.length !== IV_BYTES) throw new Error(`iv must be ${IV_BYTES} bytes`);
  // sops reads type:bytes but cannot use it (3.11 panics on it), and never writes it
  if (value instanceof Uint8Array) throw new Error(`value at ${additionalData}: raw bytes cannot be encrypted for sops; use a string`);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(plainBytes(value)), cipher.final()]);
  return formatEncValue({ data, iv: Buffer.from(iv), tag: cipher.getAuthTag(), type: typeOf(value) });
}

/** Raised when an ENC[] value does not authenticate: tampered, moved to another key, or another data key. */
export class SopsValueAuthError extends Error {
  constructor(readonly path: string) {
    super(`value at ${path} failed AES-GCM authentication: it was tampered with, moved from another key, or encrypted with another data key`);
    this.name = 'SopsValueAuthError';
  }
}

/** Decrypts one ENC[] value into its typed plain value. */
export function decryptValue(s: string, key: Uint8Array, additionalData: string): PlainValue {
  const parsed = parseEncValue(s);
  if ('error' in parsed) throw new Error(`value at ${additionalData} ${parsed.error}`);
  const { data, iv, tag, type } = parsed.value;
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new SopsValueAuthError(additionalData);
  }
  const text = plain.toString('utf8');
  switch (type) {
    case 'str':
    case 'comment':
    case 'time': // the RFC 3339 text sops would print
      return text;
    case 'int':
    case 'int64':
      return goParseInt(text);
    case 'float':
      return goParseFloat(text);
    case 'bool':
      return goParseBool(text);
    case 'bytes':
      return new Uint8Array(plain);
  }
}
