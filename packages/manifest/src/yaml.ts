import YAML from 'yaml';
import { emitYaml } from './emit';

/*
 * Deterministic YAML (see emit.ts): YAML 1.1-safe (strings like `yes`, `on`, `y` are quoted) because
 * Kubernetes and Flux parse with go-yaml, which still honours 1.1 booleans; no line folding, so a
 * one-value change is a one-line diff.
 */

/** Kubernetes readers expect these first; every other key keeps the order the producer chose. */
const TOP_LEVEL_ORDER = ['apiVersion', 'kind', 'metadata'];
const METADATA_ORDER = ['name', 'namespace', 'labels', 'annotations'];

function orderKeys(obj: Record<string, unknown>, first: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (k in obj && obj[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

function sortedMap(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );
}

/** Drops `undefined` (so optional fields can be written inline) and orders Kubernetes keys. */
function normalise(value: unknown, isObjectRoot: boolean): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v) => normalise(v, false));
  if (value === null || typeof value !== 'object') return value;
  let obj = value as Record<string, unknown>;
  const looksLikeObject = isObjectRoot && typeof obj.apiVersion === 'string' && typeof obj.kind === 'string';
  if (looksLikeObject) obj = orderKeys(obj, TOP_LEVEL_ORDER);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (looksLikeObject && k === 'metadata' && v && typeof v === 'object') {
      const meta = orderKeys(v as Record<string, unknown>, METADATA_ORDER);
      if (meta.labels) meta.labels = sortedMap(meta.labels as Record<string, unknown>);
      if (meta.annotations) meta.annotations = sortedMap(meta.annotations as Record<string, unknown>);
      out[k] = normalise(meta, false);
    } else {
      out[k] = normalise(v, false);
    }
  }
  return out;
}

/** One document, ending in exactly one newline. */
export function toYaml(value: unknown): string {
  return emitYaml(normalise(value, true));
}

/** Several documents separated by `---`, in the order given. */
export function toYamlDocuments(values: unknown[]): string {
  return values.map((v) => toYaml(v)).join('---\n');
}

/** Parses every document of a multi-document YAML string (empty documents dropped). */
export function parseYamlDocuments(text: string): unknown[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((d) => d !== null && d !== undefined);
}
