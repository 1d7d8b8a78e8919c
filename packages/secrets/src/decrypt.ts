import { isMap, type Document } from 'yaml';
import { unwrapDataKey } from './age';
import { rfc3339ForMac } from './go-compat';
import { readSopsMetadata, type SopsMetadata } from './sops-metadata';
import { additionalData, collectLeaves, encryptionPredicate, MacBuilder, scalarPlainValue } from './sops-tree';
import { decryptValue, looksEncrypted, SopsValueAuthError, type PlainValue } from './sops-value';
import { parseNonEmptyDocuments } from './sops-yaml';

/** The stored MAC does not match the decrypted content: some value changed after sops wrote the file. */
export class SopsMacError extends Error {
  constructor(
    readonly file: string,
    detail = "the file's sops.mac does not match its content (a value was changed, added, removed or reordered after encryption)",
  ) {
    super(`${file}: MAC mismatch: ${detail}`);
    this.name = 'SopsMacError';
  }
}

export interface DecryptOptions {
  /** Named in error messages. */
  filename?: string;
}

function label(o: DecryptOptions): string {
  return o.filename ?? 'SOPS document';
}

/** The data key from the first age entry any identity opens (sops tries key after key the same way). */
async function dataKeyFor(meta: SopsMetadata, identities: string[], file: string): Promise<Uint8Array> {
  if (meta.keyGroups.length > 1) throw new Error(`${file}: Shamir key groups are not supported by the built-in decrypter; use sops`);
  const entries = meta.keyGroups.length === 1 ? meta.keyGroups[0].age : meta.age;
  if (entries.length === 0) throw new Error(`${file}: no age recipients in sops metadata`);
  const failures: string[] = [];
  for (const entry of entries) {
    try {
      const key = await unwrapDataKey(entry.enc, identities);
      if (key.length !== 32) throw new Error(`data key is ${key.length} bytes, expected 32`);
      return key;
    } catch (e) {
      failures.push(`${entry.recipient.slice(0, 16)}...: ${(e as Error).message}`);
    }
  }
  throw new Error(`${file}: none of the given age identities decrypts the data key (${failures.join('; ')})`);
}

function toPlainJs(value: PlainValue): unknown {
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  return value;
}

/** Integers of the whole result, decrypted or plain alike, as numbers where that is exact. */
function plainJsTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainJsTree);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJsTree(v)]));
  }
  return typeof value === 'bigint' ? toPlainJs(value) : value;
}

/**
 * Decrypts every document of a SOPS YAML file and verifies the MAC, returning the plain objects
 * (without the `sops` block). Integers outside the safe range come back as bigint.
 */
export async function decryptSopsYamlDocuments(text: string, identities: string[], options: DecryptOptions = {}): Promise<unknown[]> {
  const file = label(options);
  const parsed = parseNonEmptyDocuments(text);
  if ('error' in parsed) throw new Error(`${file}: not valid YAML: ${parsed.error}`);
  const { docs } = parsed;
  const withMeta = docs.find((d) => isMap(d.contents) && d.contents.has('sops'));
  if (!withMeta || !isMap(withMeta.contents)) throw new Error(`${file}: sops metadata not found (the file is not SOPS-encrypted)`);
  const meta = readSopsMetadata((withMeta.toJS() as Record<string, unknown>).sops);
  if (meta.unencryptedCommentRegex || meta.encryptedCommentRegex) {
    throw new Error(`${file}: *_comment_regex rules are not supported by the built-in decrypter; use sops`);
  }
  if (!meta.mac) throw new Error(`${file}: sops metadata has no mac`);
  if (!meta.lastmodified) throw new Error(`${file}: sops metadata has no lastmodified`);
  const shouldDecrypt = encryptionPredicate(meta);

  const dataKey = await dataKeyFor(meta, identities, file);
  const mac = new MacBuilder(meta.macOnlyEncrypted);
  for (const doc of docs) {
    for (const { scalar, path } of collectLeaves(doc.contents)) {
      const encrypted = shouldDecrypt(path);
      let value = scalarPlainValue(scalar);
      if (encrypted && value !== '') {
        if (!looksEncrypted(value)) throw new Error(`${file}: ${path.join('.')} should be encrypted but is plain text`);
        try {
          value = decryptValue(value, dataKey, additionalData(path));
        } catch (e) {
          (e as Error).message = `${file}: ${(e as Error).message}`;
          throw e;
        }
        scalar.value = toPlainJs(value);
      }
      mac.add(value, encrypted);
    }
  }

  let stored: PlainValue;
  try {
    stored = decryptValue(meta.mac, dataKey, rfc3339ForMac(meta.lastmodified));
  } catch (e) {
    if (e instanceof SopsValueAuthError) throw new SopsMacError(file, 'sops.mac does not authenticate (the mac or lastmodified was changed)');
    throw new Error(`${file}: sops.mac: ${(e as Error).message}`, { cause: e });
  }
  if (stored !== mac.hex()) throw new SopsMacError(file);

  return docs.map((doc: Document.Parsed) => {
    if (isMap(doc.contents)) doc.contents.delete('sops');
    return plainJsTree(doc.toJS({ maxAliasCount: -1 }));
  });
}

/** Decrypts a single-document SOPS YAML file (a Kubernetes Secret) and verifies its MAC. */
export async function decryptSopsYaml(text: string, identities: string[], options: DecryptOptions = {}): Promise<Record<string, unknown>> {
  const docs = await decryptSopsYamlDocuments(text, identities, options);
  if (docs.length !== 1) throw new Error(`${label(options)}: expected one YAML document, got ${docs.length}; use decryptSopsYamlDocuments`);
  return docs[0] as Record<string, unknown>;
}
