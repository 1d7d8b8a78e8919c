import YAML from 'yaml';
import type { K8sObject } from '@ck8s/manifest';
import { decryptSopsYamlDocuments } from '@ck8s/secrets';
import type { FluxKustomization } from './plan';

/**
 * SOPS in the e2e apply, as kustomize-controller does it: after the build, every Secret with `sops`
 * metadata in a Kustomization with spec.decryption is decrypted with the cluster's age key (the test key).
 * The shipped examples are encrypted for a key that was thrown away; with `standIns` their Secrets are
 * applied as stand-ins of the same name, type and keys (values replaced), so the objects and everything
 * that refers to them are still checked, and the report counts them.
 */
export interface SecretKeys {
  identities: string[];
  /** Apply a same-shaped stand-in when no identity opens a Secret (else that is an error). */
  standIns: boolean;
}

export const STAND_IN_VALUE = 'e2e-stand-in: the ciphertext is for a key this test does not have';

function hasSops(doc: YAML.Document.Parsed): boolean {
  return YAML.isMap(doc.contents) && doc.contents.has('sops');
}

/** A Secret's stringData folded into data (base64), as Flux's apply normalises it: stringData is write-only. */
export function normaliseSecret(o: K8sObject): K8sObject {
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1' || !o.stringData) return o;
  const { stringData, ...rest } = o as K8sObject & { stringData: Record<string, unknown>; data?: Record<string, string> };
  const data = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
  return { ...rest, data };
}

function standIn(o: K8sObject): K8sObject {
  const { sops: _sops, stringData, data, ...rest } = o as K8sObject & { sops?: unknown; stringData?: Record<string, unknown>; data?: Record<string, unknown> };
  const keys = [...Object.keys(data ?? {}), ...Object.keys(stringData ?? {})];
  const value = Buffer.from(STAND_IN_VALUE).toString('base64');
  return { ...rest, data: Object.fromEntries(keys.map((k) => [k, value])) };
}

export async function decryptSecrets(docs: YAML.Document.Parsed[], ks: FluxKustomization, keys: SecretKeys): Promise<{ objects: K8sObject[]; standIns: string[] }> {
  const objects: K8sObject[] = [];
  const standIns: string[] = [];
  for (const doc of docs) {
    const plain = doc.toJS({ maxAliasCount: -1 }) as K8sObject;
    if (!hasSops(doc) || !ks.decrypt) {
      // Without spec.decryption the ciphertext goes to the server as it is (and is rejected there, as in a cluster).
      objects.push(normaliseSecret(plain));
      continue;
    }
    const id = `${plain.kind}/${plain.metadata?.namespace ?? ''}/${plain.metadata?.name}`;
    try {
      // The document as kustomize emitted it: field order (which the MAC covers) is kept.
      const [decrypted] = await decryptSopsYamlDocuments(String(doc), keys.identities, { filename: `${ks.name}: ${id}` });
      objects.push(normaliseSecret(decrypted as K8sObject));
    } catch (e) {
      const noKey = /none of the given age identities|no age recipients/.test((e as Error).message) || keys.identities.length === 0;
      if (!(noKey && keys.standIns)) throw e;
      objects.push(standIn(plain));
      standIns.push(id);
    }
  }
  return { objects, standIns };
}
