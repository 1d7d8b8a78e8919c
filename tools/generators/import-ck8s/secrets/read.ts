import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { isPlainObject } from '@ck8s/config';
import { decryptWithSops } from '../../lib/sops-decrypt';
import { collectLeaves } from '../source/effective';

/**
 * A ck8s secrets.yaml: its keys are readable without decrypting (SOPS encrypts values only), its
 * values only with the operator's keys through the real sops.
 */
export interface Ck8sSecretsFile {
  path: string;
  /** Every leaf key (the `sops` metadata left out). */
  leaves: string[][];
  /** The decrypted content; undefined when it could not be decrypted (`reason` says why). */
  plain?: Record<string, unknown>;
  reason?: string;
  encrypted: boolean;
}

export async function readCk8sSecrets(path: string, o: { sopsBin?: string; env?: NodeJS.ProcessEnv; decrypt?: boolean } = {}): Promise<Ck8sSecretsFile> {
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8'), { merge: true }) ?? {};
  } catch (e) {
    return { path, leaves: [], encrypted: false, reason: `${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  if (!isPlainObject(doc)) return { path, leaves: [], encrypted: false, reason: `${path}: expected a YAML map` };
  const encrypted = isPlainObject(doc.sops);
  const { sops: _meta, ...content } = doc;
  const leaves = collectLeaves(content).map((l) => l.path);
  if (!encrypted) return { path, leaves, encrypted, plain: content, reason: undefined };
  if (o.decrypt === false) return { path, leaves, encrypted, reason: 'decryption was turned off (--decryptSecrets=false)' };
  const result = await decryptWithSops(path, o);
  if (!result.ok) return { path, leaves, encrypted, reason: result.reason };
  const plain = YAML.parse(result.text, { merge: true }) ?? {};
  return isPlainObject(plain) ? { path, leaves, encrypted, plain } : { path, leaves, encrypted, reason: `${path}: decrypted content is not a YAML map` };
}
