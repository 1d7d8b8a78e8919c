/**
 * SOPS-encrypted manifests. sops adds a top-level `sops` block (key groups, lastmodified, mac) and
 * replaces values with `ENC[AES256_GCM,data:...,iv:...,tag:...,type:<str|int|float|bool|bytes>]`.
 * Flux's kustomize-controller decrypts them in the cluster, so what must match the schema is the
 * decrypted document: the `sops` block is dropped and each ENC value stands for a value of the
 * type it records, whose content (pattern, enum, base64, ...) cannot be checked.
 */

/** Keys under `sops` that hold recipients; one of them must be present for the block to be real. */
const KEY_GROUPS = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms', 'key_groups'];

const ENC = /^ENC\[[A-Z0-9_]+,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]*,tag:[A-Za-z0-9+/=]*,type:([a-z]+)\]$/;

export type EncryptedValueType = 'string' | 'integer' | 'number' | 'boolean';

const SOPS_TYPES: Record<string, EncryptedValueType> = {
  str: 'string',
  bytes: 'string',
  int: 'integer',
  float: 'number',
  bool: 'boolean',
};

/** The JSON type an ENC[...] value decrypts to, or undefined when `value` is not one. */
export function encryptedValueType(value: string): EncryptedValueType | undefined {
  if (value.charCodeAt(0) !== 69 /* E */ || !value.startsWith('ENC[')) return undefined;
  const m = ENC.exec(value);
  return m ? SOPS_TYPES[m[1]] : undefined;
}

/** Whether a manifest carries a genuine sops block: a map with a `mac` and at least one key group. */
export function isSopsEncrypted(doc: Record<string, unknown>): boolean {
  const block = doc.sops;
  if (!block || typeof block !== 'object' || Array.isArray(block)) return false;
  const b = block as Record<string, unknown>;
  return typeof b.mac === 'string' && b.mac !== '' && KEY_GROUPS.some((k) => k in b);
}

/** The manifest as the cluster sees it after decryption, minus the values themselves. */
export function withoutSopsBlock(doc: Record<string, unknown>): Record<string, unknown> {
  const { sops: _sops, ...rest } = doc;
  return rest;
}
