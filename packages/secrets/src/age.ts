import { isAgeRecipient, parseAgeIdentities } from './age-keys';

/**
 * age operations through `age-encryption` (ESM-only). It is loaded with a dynamic import inside async
 * functions so this package stays loadable from CommonJS (no top-level await, no static ESM import).
 */
type AgeModule = typeof import('age-encryption');
let agePromise: Promise<AgeModule> | undefined;
function loadAge(): Promise<AgeModule> {
  agePromise ??= import('age-encryption');
  return agePromise;
}

export interface AgeKeyPair {
  /** The secret key (`AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...`). */
  identity: string;
  /** The public recipient (`age1...` or `age1pq1...`). */
  recipient: string;
}

/** A fresh age key pair; `postQuantum` gives an ML-KEM-768 + X25519 hybrid (Flux 2.9 and sops with age 1.3 decrypt it). */
export async function generateAgeIdentity(options: { postQuantum?: boolean } = {}): Promise<AgeKeyPair> {
  const age = await loadAge();
  const identity = options.postQuantum ? await age.generateHybridIdentity() : await age.generateX25519Identity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}

/** The recipient of an identity. */
export async function ageIdentityToRecipient(identity: string): Promise<string> {
  return (await loadAge()).identityToRecipient(identity);
}

/**
 * Encrypts the sops data key for one recipient as an armored age file, as sops does: one age file per
 * recipient, holding the raw 32-byte key.
 */
export async function wrapDataKey(dataKey: Uint8Array, recipient: string): Promise<string> {
  if (!isAgeRecipient(recipient)) throw new Error(`not an age recipient: ${JSON.stringify(recipient)}`);
  const age = await loadAge();
  const enc = new age.Encrypter();
  enc.addRecipient(recipient);
  return age.armor.encode(await enc.encrypt(dataKey));
}

/** Decrypts an armored age file with any of the identities (key-file text is accepted). */
export async function unwrapDataKey(armored: string, identities: string[]): Promise<Uint8Array> {
  const age = await loadAge();
  const dec = new age.Decrypter();
  for (const id of parseAgeIdentities(...identities)) dec.addIdentity(id);
  return dec.decrypt(age.armor.decode(armored));
}
