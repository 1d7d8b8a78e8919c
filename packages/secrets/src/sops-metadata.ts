import type { SopsRules } from './sops-tree';

/**
 * The `sops:` block as it appears in a file (sops' stores.Metadata): master keys by kind, rules, the
 * encrypted MAC and the time it was authenticated with. Only what this package reads is typed.
 */
export interface AgeKeyEntry {
  recipient: string;
  enc: string;
}

export interface SopsMetadata extends SopsRules {
  age: AgeKeyEntry[];
  /** Shamir key groups; when present, the top-level key lists are empty. */
  keyGroups: { age: AgeKeyEntry[]; otherKeys: number }[];
  /** How many non-age master keys (pgp, kms, gcp_kms, azure_kv, hc_vault) the top level lists. */
  otherKeys: number;
  shamirThreshold?: number;
  lastmodified?: string;
  mac?: string;
  version?: string;
  unencryptedCommentRegex?: string;
  encryptedCommentRegex?: string;
}

const OTHER_KEY_KINDS = ['pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault'];

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function ageEntries(v: unknown): AgeKeyEntry[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) => ({ recipient: str(asRecord(e).recipient) ?? '', enc: str(asRecord(e).enc) ?? '' }));
}

function countOthers(m: Record<string, unknown>): number {
  return OTHER_KEY_KINDS.reduce((n, k) => n + (Array.isArray(m[k]) ? (m[k] as unknown[]).length : 0), 0);
}

/** Reads the `sops` block (already converted to plain JS); unknown shapes read as absent fields. */
export function readSopsMetadata(block: unknown): SopsMetadata {
  const m = asRecord(block);
  const groups = Array.isArray(m.key_groups) ? m.key_groups : [];
  return {
    age: ageEntries(m.age),
    keyGroups: groups.map((g) => ({ age: ageEntries(asRecord(g).age), otherKeys: countOthers(asRecord(g)) })),
    otherKeys: countOthers(m),
    shamirThreshold: typeof m.shamir_threshold === 'number' || typeof m.shamir_threshold === 'bigint' ? Number(m.shamir_threshold) : undefined,
    lastmodified: str(m.lastmodified),
    mac: str(m.mac),
    version: str(m.version) ?? (typeof m.version === 'number' ? String(m.version) : undefined),
    unencryptedSuffix: str(m.unencrypted_suffix),
    encryptedSuffix: str(m.encrypted_suffix),
    unencryptedRegex: str(m.unencrypted_regex),
    encryptedRegex: str(m.encrypted_regex),
    unencryptedCommentRegex: str(m.unencrypted_comment_regex),
    encryptedCommentRegex: str(m.encrypted_comment_regex),
    macOnlyEncrypted: m.mac_only_encrypted === true,
  };
}

/** Every age recipient the file is encrypted for, top level and key groups. */
export function ageRecipientsOf(meta: SopsMetadata): string[] {
  return [...meta.age, ...meta.keyGroups.flatMap((g) => g.age)].map((e) => e.recipient);
}

/** The sops 3.9 `sops:` block for age-only files, fields in the order sops writes them. */
export function sopsBlock(args: { age: AgeKeyEntry[]; lastmodified: string; mac: string; rules: SopsRules; version: string }): Record<string, unknown> {
  const { rules } = args;
  const block: Record<string, unknown> = {
    kms: [],
    gcp_kms: [],
    azure_kv: [],
    hc_vault: [],
    age: args.age.map((e) => ({ recipient: e.recipient, enc: e.enc })),
    lastmodified: args.lastmodified,
    mac: args.mac,
    pgp: [],
  };
  if (rules.unencryptedSuffix) block.unencrypted_suffix = rules.unencryptedSuffix;
  if (rules.encryptedSuffix) block.encrypted_suffix = rules.encryptedSuffix;
  if (rules.unencryptedRegex) block.unencrypted_regex = rules.unencryptedRegex;
  if (rules.encryptedRegex) block.encrypted_regex = rules.encryptedRegex;
  if (rules.macOnlyEncrypted) block.mac_only_encrypted = true;
  block.version = args.version;
  return block;
}
