import YAML, { isMap, type Document } from 'yaml';
import { isAgeRecipient } from './age-keys';
import { wrapDataKey } from './age';
import { formatRfc3339 } from './go-compat';
import { defaultRandom, type RandomSource } from './random';
import { sopsBlock } from './sops-metadata';
import { additionalData, collectLeaves, encryptionPredicate, MacBuilder, scalarPlainValue, type SopsRules } from './sops-tree';
import { encryptValue, IV_BYTES } from './sops-value';
import { applyGoYamlTypes } from './go-yaml';
import { parseNonEmptyDocuments, stringifyDocument } from './sops-yaml';

export const DEFAULT_ENCRYPTED_REGEX = '^(data|stringData)$';
/** The sops release whose file layout this encrypter reproduces (recorded as `sops.version`). */
export const SOPS_FORMAT_VERSION = '3.9.0';

export interface EncryptOptions {
  /** age recipients (`age1...`, `age1pq1...`); the data key is wrapped for each. */
  recipients: string[];
  /** Which keys' values are encrypted; default `^(data|stringData)$` unless another rule is given. */
  encryptedRegex?: string;
  unencryptedRegex?: string;
  encryptedSuffix?: string;
  unencryptedSuffix?: string;
  /** sops 3.9's --mac-only-encrypted: the MAC covers encrypted values only, so metadata may change later. */
  macOnlyEncrypted?: boolean;
  /** Clock for `lastmodified` (which also authenticates the MAC). */
  now?: () => Date;
  /** Source of the data key and nonces; default crypto.randomBytes. */
  random?: RandomSource;
  /** Value written to `sops.version`; default 3.9.0. */
  sopsVersion?: string;
}

function rulesFrom(o: EncryptOptions): SopsRules {
  const explicit = o.encryptedRegex ?? o.unencryptedRegex ?? o.encryptedSuffix ?? o.unencryptedSuffix;
  return {
    encryptedRegex: explicit === undefined ? DEFAULT_ENCRYPTED_REGEX : o.encryptedRegex,
    unencryptedRegex: o.unencryptedRegex,
    encryptedSuffix: o.encryptedSuffix,
    unencryptedSuffix: o.unencryptedSuffix,
    macOnlyEncrypted: o.macOnlyEncrypted,
  };
}

function singleDocument(manifest: object | string): Document.Parsed {
  // Objects go through YAML text (written as sops would read it back) so that integers become bigints
  // exactly as in a parsed file.
  const text = typeof manifest === 'string' ? manifest : stringifyDocument(new YAML.Document(manifest));
  const parsed = parseNonEmptyDocuments(text);
  if ('error' in parsed) throw new Error(`manifest is not valid YAML: ${parsed.error}`);
  if (parsed.docs.length !== 1) {
    throw new Error(`expected one YAML document, got ${parsed.docs.length}: Flux decrypts each object on its own, so keep one Secret per file`);
  }
  const doc = parsed.docs[0];
  if (!isMap(doc.contents)) throw new Error('manifest must be a YAML mapping');
  if (doc.contents.has('sops')) throw new Error('manifest already has a sops block (already encrypted)');
  applyGoYamlTypes(doc.contents);
  return doc;
}

/**
 * Encrypts a Kubernetes manifest into the SOPS YAML format sops 3.9 writes for age: a random 32-byte
 * data key, AES-256-GCM per matching leaf with its key path as additional data, the SHA-512 MAC
 * encrypted with `lastmodified` as additional data, and the data key age-encrypted per recipient.
 * Comments are dropped (sops would encrypt those under encrypted keys).
 */
export async function encryptSecretManifest(manifest: object | string, options: EncryptOptions): Promise<string> {
  const { recipients } = options;
  if (!recipients?.length) throw new Error('at least one age recipient is required');
  const bad = recipients.filter((r) => !isAgeRecipient(r));
  if (bad.length) throw new Error(`not age recipients: ${bad.map((r) => JSON.stringify(r)).join(', ')}`);
  const random = options.random ?? defaultRandom;
  const rules = rulesFrom(options);
  const shouldEncrypt = encryptionPredicate(rules);
  const doc = singleDocument(manifest);

  const dataKey = random(32);
  if (dataKey.length !== 32) throw new Error('random source returned the wrong number of bytes');
  const mac = new MacBuilder(rules.macOnlyEncrypted);
  for (const { scalar, path } of collectLeaves(doc.contents)) {
    const value = scalarPlainValue(scalar);
    const encrypted = shouldEncrypt(path);
    mac.add(value, encrypted);
    // sops leaves empty strings as they are: there is nothing to hide and GCM of "" would still be a value
    if (!encrypted || value === '') continue;
    scalar.value = encryptValue(value, dataKey, additionalData(path), random(IV_BYTES));
    scalar.type = undefined;
    scalar.format = undefined;
    scalar.tag = undefined;
  }

  const lastmodified = formatRfc3339((options.now ?? (() => new Date()))());
  const encryptedMac = encryptValue(mac.hex(), dataKey, lastmodified, random(IV_BYTES));
  const age = [];
  for (const recipient of recipients) age.push({ recipient, enc: await wrapDataKey(dataKey, recipient) });
  const block = sopsBlock({ age, lastmodified, mac: encryptedMac, rules, version: options.sopsVersion ?? SOPS_FORMAT_VERSION });
  // appended last, where sops puts it; set() on the parsed map keeps every other key's order
  doc.set('sops', doc.createNode(block));
  return stringifyDocument(doc);
}
