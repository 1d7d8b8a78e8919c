import { deepMerge, isPlainObject } from '@ck8s/config';
import { LAYER_FILES, lineOf, type Ck8sConfigPath, type Ck8sFile, type ClusterKind } from './config-path';

/**
 * A cluster's effective ck8s config, merged as compliantkubernetes-apps merges it
 * (`yq eval-all 'explode(.) as $item ireduce ({}; . * $item)'`): defaults common ◀ defaults sc|wc ◀
 * override common ◀ override sc|wc, maps merged deeply, lists and scalars replaced. That is the
 * layering rule of our own config too, so the same `deepMerge` does it.
 */

export type KeyPath = readonly string[];

export interface Leaf {
  path: string[];
  value: unknown;
  /** The file whose value won (the last layer that has this key). */
  file: Ck8sFile;
}

export interface EffectiveConfig {
  kind: ClusterKind;
  source: Ck8sConfigPath;
  value: Record<string, unknown>;
  /** Every leaf: a scalar, a list, null or an empty map (lists replace as a whole, so they are leaves). */
  leaves: Leaf[];
}

export function getPath(value: unknown, path: KeyPath): unknown {
  let cur = value;
  for (const seg of path) {
    if (!isPlainObject(cur) || !(seg in cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

export function hasKeyPath(value: unknown, path: KeyPath): boolean {
  let cur = value;
  for (const seg of path) {
    if (!isPlainObject(cur) || !(seg in cur)) return false;
    cur = cur[seg];
  }
  return true;
}

export function collectLeaves(value: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  if (isPlainObject(value) && Object.keys(value).length) return Object.entries(value).flatMap(([k, v]) => collectLeaves(v, [...prefix, k]));
  return prefix.length ? [{ path: prefix, value }] : [];
}

/** `a.b["c.d/e"]`: dotted, with keys that are not plain identifiers bracketed. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((s, i) => (/^[A-Za-z0-9_-]+$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}

export function effectiveConfig(source: Ck8sConfigPath, kind: ClusterKind): EffectiveConfig {
  const layers = LAYER_FILES[kind].map((name) => source.files.get(name)).filter((f): f is Ck8sFile => !!f);
  const value = deepMerge(...layers.map((f) => f.value));
  const leaves = collectLeaves(value).map(({ path, value: v }) => {
    const file = [...layers].reverse().find((f) => hasKeyPath(f.value, path)) ?? layers[layers.length - 1];
    return { path, value: v, file };
  });
  return { kind, source, value, leaves };
}

/** Where a key's value came from, for messages: `<dir>/sc-config.yaml:12`. */
export function originOf(cfg: EffectiveConfig, path: KeyPath): string {
  const leaf = cfg.leaves.find((l) => l.path.join('\u0000') === path.join('\u0000'));
  const file =
    leaf?.file ??
    [...LAYER_FILES[cfg.kind]]
      .reverse()
      .map((n) => cfg.source.files.get(n))
      .find((f) => f && hasKeyPath(f.value, path));
  return file ? `${file.path}:${lineOf(file, path)}` : `${cfg.source.dir} (${LAYER_FILES[cfg.kind].join(' ◀ ')})`;
}

const SET_ME = /^set-me(-if-.*)?$/s;

/** ck8s's marker for "the operator must set this": `set-me`, or `set-me-if-(<condition>)`. */
export function isSetMe(v: unknown): boolean {
  return typeof v === 'string' && SET_ME.test(v);
}

/** A value that is, or contains (a list with a `set-me` item), the unset marker. */
export function containsSetMe(v: unknown): boolean {
  if (isSetMe(v)) return true;
  if (Array.isArray(v)) return v.some(containsSetMe);
  if (isPlainObject(v)) return Object.values(v).some(containsSetMe);
  return false;
}

/** Only the unconditional marker: ck8s itself refuses to apply while it is left (`ck8s validate`). */
export function containsPlainSetMe(v: unknown): boolean {
  if (v === 'set-me') return true;
  if (Array.isArray(v)) return v.some(containsPlainSetMe);
  if (isPlainObject(v)) return Object.values(v).some(containsPlainSetMe);
  return false;
}
