import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * The SOPS files of a rendered tree, keyed by their sops.mac. `kustomize build` prints fields sorted,
 * which breaks the MAC (it covers the values in file order); kustomize-controller decrypts the resources
 * before they are printed. So a built Secret is matched to its source file by the MAC it carries, the file
 * is decrypted (and its MAC checked), and the plain values are put in the built object by key path.
 */
export type SopsSources = Map<string, { file: string; text: string }>;

export function findSopsSources(dir: string): SopsSources {
  const out: SopsSources = new Map();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = readFileSync(full, 'utf8');
        if (!text.includes('sops:')) continue;
        for (const doc of YAML.parseAllDocuments(text)) {
          const mac = (doc.toJS() as { sops?: { mac?: string } } | null)?.sops?.mac;
          if (mac) out.set(mac, { file: full, text });
        }
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

type Tree = Record<string, unknown>;

/** Puts the plain value of every encrypted leaf of `built` (matched to `source` by path) in place. */
function plainByPath(built: unknown, source: unknown, plain: unknown, path: string[]): unknown {
  if (typeof built === 'string' && built.startsWith('ENC[')) {
    if (source !== built) throw new Error(`${path.join('.')}: the built value is not the one in the SOPS file (kustomize changed an encrypted value)`);
    return plain;
  }
  if (Array.isArray(built))
    return built.map((v, i) => plainByPath(v, (source as unknown[] | undefined)?.[i], (plain as unknown[] | undefined)?.[i], [...path, String(i)]));
  if (built && typeof built === 'object') {
    return Object.fromEntries(
      Object.entries(built as Tree).map(([k, v]) => [k, plainByPath(v, (source as Tree | undefined)?.[k], (plain as Tree | undefined)?.[k], [...path, k])]),
    );
  }
  return built;
}

export async function decryptSecrets(
  docs: YAML.Document.Parsed[],
  ks: FluxKustomization,
  keys: SecretKeys,
  sources: SopsSources,
): Promise<{ objects: K8sObject[]; standIns: string[] }> {
  const objects: K8sObject[] = [];
  const standIns: string[] = [];
  for (const doc of docs) {
    const built = doc.toJS({ maxAliasCount: -1 }) as K8sObject & { sops?: { mac?: string } };
    if (!hasSops(doc) || !ks.decrypt) {
      // Without spec.decryption the ciphertext goes to the server as it is (and is rejected there, as in a cluster).
      objects.push(normaliseSecret(built));
      continue;
    }
    const id = `${built.kind}/${built.metadata?.namespace ?? ''}/${built.metadata?.name}`;
    const source = sources.get(built.sops?.mac ?? '');
    if (!source) throw new Error(`${ks.name}: ${id}: no SOPS file in the rendered tree carries its sops.mac`);
    try {
      const [plain] = await decryptSopsYamlDocuments(source.text, keys.identities, { filename: source.file });
      const sourceDoc = YAML.parse(source.text) as Tree;
      const { sops: _sops, ...rest } = built;
      objects.push(normaliseSecret(plainByPath(rest, sourceDoc, plain, []) as K8sObject));
    } catch (e) {
      const noKey = /none of the given age identities|no age recipients/.test((e as Error).message) || keys.identities.length === 0;
      if (!(noKey && keys.standIns)) throw new Error(`${ks.name}: ${id}: ${(e as Error).message}`, { cause: e });
      objects.push(standIn(built));
      standIns.push(id);
    }
  }
  return { objects, standIns };
}
