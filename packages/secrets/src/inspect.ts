import { isMap, isScalar, type Document } from 'yaml';
import { ageRecipientType } from './age-keys';
import { rfc3339ForMac } from './go-compat';
import { ageRecipientsOf, readSopsMetadata, type SopsMetadata } from './sops-metadata';
import { collectLeaves, encryptionPredicate } from './sops-tree';
import { looksEncrypted, parseEncValue } from './sops-value';
import { parseNonEmptyDocuments } from './sops-yaml';

export interface SopsFileInspection {
  /** The file carries sops metadata with a MAC, i.e. sops and Flux treat it as encrypted. */
  encrypted: boolean;
  kind?: string;
  name?: string;
  namespace?: string;
  /** Key names under `data` and `stringData` (they stay readable in SOPS files). */
  keys: string[];
  /** age recipients the data key is encrypted for (`age1...`, `age1pq1...`). */
  recipients: string[];
  encryptedRegex?: string;
  version?: string;
  /** Everything wrong with the file, each message naming it. Empty means the file passes. */
  problems: string[];
}

/** The MAC is the upper-case hex of a SHA-512: 128 bytes of ciphertext. */
const MAC_PLAINTEXT_BYTES = 128;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function describeObject(kind: string | undefined, name: string | undefined, namespace: string | undefined): string {
  const id = name ? ` "${namespace ? `${namespace}/` : ''}${name}"` : '';
  return `${kind ?? 'object'}${id}`;
}

function checkMetadata(file: string, meta: SopsMetadata, raw: Record<string, unknown>, problems: string[]): void {
  if (!meta.mac) {
    problems.push(`${file}: sops metadata has no mac: sops and Flux refuse the file; re-encrypt it with \`sops --encrypt --in-place ${file}\``);
  } else {
    const parsed = parseEncValue(meta.mac);
    if ('error' in parsed) problems.push(`${file}: sops.mac ${parsed.error}`);
    else if (parsed.value.type !== 'str') problems.push(`${file}: sops.mac has type ${parsed.value.type}, expected str`);
    else if (parsed.value.data.length !== MAC_PLAINTEXT_BYTES) {
      problems.push(`${file}: sops.mac holds ${parsed.value.data.length} bytes of ciphertext, expected ${MAC_PLAINTEXT_BYTES} (a hex SHA-512)`);
    }
  }
  if (!meta.lastmodified) problems.push(`${file}: sops metadata has no lastmodified (the MAC is authenticated with it)`);
  else {
    try {
      rfc3339ForMac(meta.lastmodified);
    } catch (e) {
      problems.push(`${file}: sops.${(e as Error).message}`);
    }
  }
  if (!meta.version) problems.push(`${file}: sops metadata has no version`);

  const keyCount = meta.age.length + meta.otherKeys + meta.keyGroups.reduce((n, g) => n + g.age.length + g.otherKeys, 0);
  if (keyCount === 0) problems.push(`${file}: sops metadata lists no master keys (age, pgp, kms, ...): nobody can decrypt it`);
  const entries = [...meta.age, ...meta.keyGroups.flatMap((g) => g.age)];
  for (const [i, e] of entries.entries()) {
    if (!e.recipient) problems.push(`${file}: sops age entry ${i + 1} has no recipient`);
    else if (!ageRecipientType(e.recipient))
      problems.push(`${file}: sops age recipient ${JSON.stringify(e.recipient.slice(0, 24))}... is not a valid age recipient`);
    if (!/^\s*-----BEGIN AGE ENCRYPTED FILE-----\r?\n[\s\S]*-----END AGE ENCRYPTED FILE-----\s*$/.test(e.enc)) {
      problems.push(`${file}: sops age entry ${i + 1} has no armored age file in enc`);
    }
  }
  for (const k of ['unencrypted_comment_regex', 'encrypted_comment_regex']) {
    if (raw[k] !== undefined) problems.push(`${file}: sops.${k} is not supported by this project's checks; use encrypted_regex`);
  }
}

function leafProblems(file: string, docs: Document.Parsed[], meta: SopsMetadata, problems: string[]): void {
  let shouldEncrypt: (path: string[]) => boolean;
  try {
    shouldEncrypt = encryptionPredicate(meta);
  } catch (e) {
    problems.push(`${file}: sops rules are invalid: ${(e as Error).message}`);
    return;
  }
  const rule = meta.encryptedRegex
    ? `encrypted_regex ${meta.encryptedRegex}`
    : meta.unencryptedRegex
      ? `unencrypted_regex ${meta.unencryptedRegex}`
      : meta.encryptedSuffix
        ? `encrypted_suffix ${meta.encryptedSuffix}`
        : `unencrypted_suffix ${meta.unencryptedSuffix ?? '_unencrypted'}`;
  for (const doc of docs) {
    let leaves;
    try {
      leaves = collectLeaves(doc.contents);
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    for (const { scalar, path } of leaves) {
      const where = path.join('.');
      const v = scalar.value;
      if (looksEncrypted(v)) {
        const parsed = parseEncValue(v);
        if ('error' in parsed) problems.push(`${file}: ${where} ${parsed.error}`);
      } else if (shouldEncrypt(path) && v !== '') {
        problems.push(`${file}: ${where} is not encrypted although ${rule} requires it: re-encrypt the file with sops`);
      }
    }
  }
}

/**
 * Checks a SOPS-encrypted Kubernetes manifest without decrypting it (no keys needed, synchronous):
 * sops metadata present and well-formed (MAC syntax, lastmodified, master keys, age recipients), every
 * value the file's rules say is encrypted really is an ENC[] value, one object per file. `filename` is
 * only used in messages.
 */
export function inspectSopsFile(text: string, filename: string): SopsFileInspection {
  const result: SopsFileInspection = { encrypted: false, keys: [], recipients: [], problems: [] };
  const { problems } = result;
  const parsed = parseNonEmptyDocuments(text);
  if ('error' in parsed) {
    problems.push(`${filename}: not valid YAML: ${parsed.error}`);
    return result;
  }
  const { docs } = parsed;
  if (docs.length === 0) {
    problems.push(`${filename}: empty file`);
    return result;
  }
  const first = docs[0];
  if (!isMap(first.contents)) {
    problems.push(`${filename}: expected a YAML mapping (a Kubernetes object)`);
    return result;
  }
  const obj = first.toJS() as Record<string, unknown>;
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  result.kind = str(obj.kind);
  result.name = str(metadata.name);
  result.namespace = str(metadata.namespace);
  for (const pair of first.contents.items) {
    const field = isScalar(pair.key) ? pair.key.value : undefined;
    if ((field === 'data' || field === 'stringData') && isMap(pair.value)) {
      for (const p of pair.value.items) if (isScalar(p.key)) result.keys.push(String(p.key.value));
    }
  }

  if (docs.length > 1) {
    problems.push(
      `${filename}: ${docs.length} YAML documents in one file: sops authenticates them with one MAC but Flux decrypts each object on its own, ` +
        'so the check fails there; keep one Secret per file',
    );
  }

  const rawSops = obj.sops;
  if (rawSops === undefined || rawSops === null) {
    const what =
      result.kind === 'Secret'
        ? `plaintext ${describeObject(result.kind, result.name, result.namespace)}`
        : `not SOPS-encrypted (${describeObject(result.kind, result.name, result.namespace)})`;
    problems.push(`${filename}: ${what}: no sops metadata; encrypt it with \`sops --encrypt --in-place ${filename}\` before committing`);
    return result;
  }
  if (typeof rawSops !== 'object' || Array.isArray(rawSops)) {
    problems.push(`${filename}: the sops key is not a mapping of sops metadata`);
    return result;
  }
  const meta = readSopsMetadata(rawSops);
  result.encrypted = !!meta.mac;
  result.recipients = ageRecipientsOf(meta).filter((r) => r);
  result.encryptedRegex = meta.encryptedRegex;
  result.version = meta.version;
  checkMetadata(filename, meta, rawSops as Record<string, unknown>, problems);
  leafProblems(filename, docs, meta, problems);
  return result;
}
