import { createHash } from 'node:crypto';
import { isAlias, isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { goRegExp } from './go-compat';
import { plainBytes, SopsTime, type PlainValue } from './sops-value';

/**
 * How sops walks a document: map keys extend the path, sequence items keep their parent's path, and
 * every non-null scalar is a leaf. The `sops` metadata key at the top level is not part of the tree.
 */
export interface Leaf {
  scalar: Scalar;
  /** Map keys from the root; sequence indices are not part of sops paths. */
  path: string[];
}

/** The path as sops authenticates it: keys joined with and followed by `:`. */
export function additionalData(path: string[]): string {
  return `${path.join(':')}:`;
}

function keyString(key: unknown, path: string[]): string {
  if (!isScalar(key)) throw new Error('only scalar map keys are supported in SOPS documents');
  // sops refuses any other key ("Tree contains a non-string key"), so a file with one is not a SOPS file
  if (typeof key.value !== 'string')
    throw new Error(`${path.join('.') || 'top level'}: map key ${String(key.source ?? key.value)} is not a string; sops supports only string keys`);
  return key.value;
}

/** Document-order leaves of a document's root node (the top-level `sops` key skipped). */
export function collectLeaves(root: unknown): Leaf[] {
  const out: Leaf[] = [];
  const visit = (node: unknown, path: string[], top: boolean): void => {
    if (node === null || node === undefined) return;
    if (isAlias(node)) throw new Error(`YAML aliases are not supported in SOPS documents (at ${path.join('.') || 'root'})`);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyString(pair.key, path);
        if (top && key === 'sops') continue;
        visit(pair.value, [...path, key], false);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, path, false);
    } else if (isScalar(node)) {
      if (node.value !== null && node.value !== undefined) out.push({ scalar: node, path });
    }
  };
  visit(root, [], true);
  return out;
}

/** The rule fields of sops metadata that decide which leaves are encrypted. */
export interface SopsRules {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  macOnlyEncrypted?: boolean;
}

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** A compiled predicate for "is this leaf encrypted", with sops' precedence and defaults. */
export function encryptionPredicate(rules: SopsRules): (path: string[]) => boolean {
  const set = [rules.unencryptedSuffix, rules.encryptedSuffix, rules.unencryptedRegex, rules.encryptedRegex].filter((r) => r);
  if (set.length > 1) {
    throw new Error('only one of unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex may be set');
  }
  // sops falls back to the default suffix when a file names no rule at all
  const unencryptedSuffix = set.length === 0 ? DEFAULT_UNENCRYPTED_SUFFIX : rules.unencryptedSuffix;
  const encryptedSuffix = rules.encryptedSuffix;
  const unencryptedRe = rules.unencryptedRegex ? goRegExp(rules.unencryptedRegex) : undefined;
  const encryptedRe = rules.encryptedRegex ? goRegExp(rules.encryptedRegex) : undefined;
  return (path) => {
    let encrypted = true;
    if (unencryptedSuffix && path.some((k) => k.endsWith(unencryptedSuffix))) encrypted = false;
    if (encryptedSuffix) encrypted = path.some((k) => k.endsWith(encryptedSuffix));
    if (unencryptedRe && path.some((k) => unencryptedRe.test(k))) encrypted = false;
    if (encryptedRe) encrypted = path.some((k) => encryptedRe.test(k));
    return encrypted;
  };
}

/**
 * The MAC sops stores: SHA-512 over the plain bytes of every leaf in document order (or only the
 * encrypted ones with mac_only_encrypted, then seeded with SHA-256("sops") so the two modes never
 * collide), as upper-case hex. It covers unencrypted values too, so editing any value is detected.
 */
export class MacBuilder {
  private readonly hash = createHash('sha512');
  constructor(private readonly macOnlyEncrypted = false) {
    if (macOnlyEncrypted) this.hash.update(createHash('sha256').update('sops').digest());
  }
  add(value: PlainValue, encrypted: boolean): void {
    if (!this.macOnlyEncrypted || encrypted) this.hash.update(plainBytes(value));
  }
  hex(): string {
    return this.hash.digest('hex').toUpperCase();
  }
}

/** A YAML scalar's value as a sops plain value (ints are bigint because documents are parsed with intAsBigInt). */
export function scalarPlainValue(scalar: Scalar): PlainValue {
  const v = scalar.value;
  if (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (v instanceof Uint8Array || v instanceof SopsTime) return v;
  // go-yaml writes the string "<<" as `!!merge <<`, which the yaml library reads as its merge-key symbol
  if (typeof v === 'symbol' && scalar.source === '<<') return '<<';
  throw new Error(`unsupported YAML value of type ${typeof v}`);
}
