import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML, { isMap, isSeq, LineCounter, type Document, type Node } from 'yaml';

/**
 * Reading a compliantkubernetes-apps (ck8s) config path as `ck8s init` leaves it: the layered
 * defaults it wrote (`defaults/<name>-config.yaml`, each already the merge of the release's config
 * with the flavor, installer and provider layers) and the operator's override files next to them.
 */

export type ClusterKind = 'sc' | 'wc';

/** The files of one cluster kind's effective config, in merge order (later wins). */
export const LAYER_FILES: Record<ClusterKind, readonly string[]> = {
  sc: ['defaults/common-config.yaml', 'defaults/sc-config.yaml', 'common-config.yaml', 'sc-config.yaml'],
  wc: ['defaults/common-config.yaml', 'defaults/wc-config.yaml', 'common-config.yaml', 'wc-config.yaml'],
};

/** A parsed YAML file that can locate its keys (for messages that name file and line). */
export interface Ck8sFile {
  /** Relative to the config path, e.g. `defaults/sc-config.yaml`. */
  name: string;
  /** Absolute path. */
  path: string;
  value: Record<string, unknown>;
  doc: Document;
  lines: LineCounter;
}

export interface Ck8sConfigPath {
  /** Absolute path of the config folder ($CK8S_CONFIG_PATH). */
  dir: string;
  files: Map<string, Ck8sFile>;
  /** The SOPS-encrypted secrets.yaml, when present. */
  secretsPath?: string;
}

/** The input is not something the importer can read; `file` and `key` say where, when known. */
export class Ck8sInputError extends Error {
  override name = 'Ck8sInputError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** Parses one file (YAML merge keys `<<:` resolved, as yq's `explode` does). An empty file is an empty map. */
export function parseCk8sFile(name: string, path: string, text: string): Ck8sFile {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new Ck8sInputError(`${path}:${pos.line}:${pos.col}: not valid YAML: ${e.message.split('\n')[0]}`, path);
  }
  const value = doc.toJS({ maxAliasCount: -1 }) ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Ck8sInputError(`${path}: expected a YAML map at the top level`, path);
  return { name, path, value: value as Record<string, unknown>, doc, lines };
}

/** Line of `path` in the file (its deepest existing ancestor when absent). */
export function lineOf(file: Ck8sFile, path: readonly string[]): number {
  let node: unknown = file.doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === seg);
    if (!pair) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    node = pair.value;
    if (isSeq(node)) break;
  }
  return file.lines.linePos(offset).line;
}

/**
 * Reads a config path. `kinds` are the cluster kinds this path must provide (the primary path gives
 * the service cluster and, when its wc files exist, a workload cluster; further paths one workload
 * cluster each). Throws Ck8sInputError naming what is missing.
 */
export function readConfigPath(dir: string, kinds: { required: ClusterKind[]; optional?: ClusterKind[] }, option = 'from'): Ck8sConfigPath {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new Ck8sInputError(`--${option}: ${abs} is not a folder (expected a compliantkubernetes-apps config path, $CK8S_CONFIG_PATH)`, abs);
  const hint =
    'a compliantkubernetes-apps config path has defaults/common-config.yaml (written by `ck8s init`) and the override files common-config.yaml, ' +
    'sc-config.yaml, wc-config.yaml';
  if (!existsSync(join(abs, 'defaults', 'common-config.yaml'))) {
    throw new Ck8sInputError(
      `--${option}: ${abs} is not a compliantkubernetes-apps config path: defaults/common-config.yaml is missing (${hint})`,
      join(abs, 'defaults', 'common-config.yaml'),
    );
  }
  const wanted = new Set<string>(['defaults/common-config.yaml', 'common-config.yaml']);
  for (const k of kinds.required) for (const f of LAYER_FILES[k]) wanted.add(f);
  const missing = [...wanted].filter((f) => !existsSync(join(abs, f)));
  if (missing.length) {
    throw new Ck8sInputError(
      `--${option}: ${abs} is not a complete compliantkubernetes-apps config path: missing ${missing.join(', ')} (${hint})`,
      join(abs, missing[0]),
    );
  }
  for (const k of kinds.optional ?? []) {
    const own = [`defaults/${k}-config.yaml`, `${k}-config.yaml`];
    const present = own.filter((f) => existsSync(join(abs, f)));
    if (present.length && present.length < own.length) {
      const absent = own.filter((f) => !present.includes(f));
      throw new Ck8sInputError(
        `--${option}: ${abs} has ${present.join(', ')} but not ${absent.join(', ')}: the ${k} config is incomplete`,
        join(abs, absent[0]),
      );
    }
    if (present.length) for (const f of LAYER_FILES[k]) wanted.add(f);
  }
  const files = new Map<string, Ck8sFile>();
  for (const name of [...wanted].sort()) {
    const path = join(abs, name);
    files.set(name, parseCk8sFile(name, path, readFileSync(path, 'utf8')));
  }
  const secretsPath = existsSync(join(abs, 'secrets.yaml')) ? join(abs, 'secrets.yaml') : undefined;
  return { dir: abs, files, secretsPath };
}

/** Whether the config path has the files of a cluster kind. */
export const hasKind = (p: Ck8sConfigPath, kind: ClusterKind) => LAYER_FILES[kind].every((f) => p.files.has(f));
