import YAML, { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { jsonPointer, type DuplicateKey, type ParsedYamlDocument } from './document';
import { resolvePlainScalar } from './scalars';

/**
 * The `yaml` library read the way go-yaml reads manifests: YAML 1.1 scalars, merge keys, but no
 * timestamp or base-60 number resolution (go-yaml returns those as strings in untyped maps).
 * Untagged plain scalars are then resolved again with go-yaml's rules (the same function the fast
 * parser uses), since the library's YAML 1.1 schema differs in details such as `0o17` or `1e400`.
 * Duplicate keys are allowed here and reported separately, so that -strict decides about them.
 */
export const LIBRARY_OPTIONS: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  customTags: (tags) =>
    tags.filter((t) => {
      const tag = typeof t === 'string' ? t : t.tag;
      const format = typeof t === 'string' ? undefined : (t as { format?: string }).format;
      return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
    }),
};

function keyString(key: unknown): string {
  if (isScalar(key)) {
    const v = key.value;
    return typeof v === 'string' ? v : String(v);
  }
  return String(key);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === Scalar.PLAIN && !key.tag));
}

/** The mappings a merge value brings in: a mapping, an alias of one, or a sequence of those. */
function mergedMaps(value: unknown, doc: Document): YAMLMap[] {
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  const v = resolve(value);
  if (isMap(v)) return [v];
  if (isSeq(v)) return v.items.map(resolve).filter((m): m is YAMLMap => isMap(m));
  return [];
}

/** Every key a mapping sets, merged ones included (go-yaml puts them all in the same map). */
function keysOf(map: YAMLMap, doc: Document, depth = 0): string[] {
  const keys: string[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (depth < 20) for (const m of mergedMaps(item.value, doc)) keys.push(...keysOf(m, doc, depth + 1));
    } else keys.push(keyString(item.key));
  }
  return keys;
}

/**
 * Duplicate keys as go-yaml's strict mode finds them: a key set twice in the same map, where keys brought
 * in by a merge (`<<: *base`) count too, so overriding a merged key is a duplicate under -strict.
 */
function collectDuplicates(node: unknown, path: string[], lines: LineCounter, doc: Document, out: DuplicateKey[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    const lineOf = (n: unknown) => {
      const offset = (n as Node | null)?.range?.[0];
      return offset === undefined ? 0 : lines.linePos(offset).line;
    };
    for (const item of node.items) {
      if (!isPair(item)) continue;
      if (isMergeKey(item.key)) {
        for (const m of mergedMaps(item.value, doc)) {
          for (const key of keysOf(m, doc)) {
            if (seen.has(key)) out.push({ path: jsonPointer([...path, key]), key, line: lineOf(item.key) });
            seen.add(key);
          }
        }
        continue;
      }
      const key = keyString(item.key);
      if (seen.has(key)) out.push({ path: jsonPointer([...path, key]), key, line: lineOf(item.key) });
      seen.add(key);
      collectDuplicates(item.value, [...path, key], lines, doc, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectDuplicates(item, [...path, String(i)], lines, doc, out));
  } else if (isAlias(node)) {
    // An alias repeats data that was already checked where its anchor is.
  }
}

/** Re-resolves untagged plain scalars with go-yaml's rules; returns whether any is .inf or .nan. */
function resolveScalars(doc: Document): boolean {
  let nonFinite = false;
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (node.type === Scalar.PLAIN && !node.tag && typeof node.value !== 'symbol' && typeof node.source === 'string') {
        node.value = resolvePlainScalar(node.source);
      }
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) nonFinite = true;
    },
  });
  return nonFinite;
}

/**
 * The document's data as go-yaml builds it. Differs from the library's toJS in merge keys: go-yaml sets
 * keys in document order, so a merge after an explicit key overrides it (and in a merge list the first
 * map wins). Each node is converted once, so aliases cost nothing extra and cannot blow up.
 */
function toGoValue(doc: Document): unknown {
  const done = new Map<unknown, unknown>();
  const convert = (node: unknown, depth: number): unknown => {
    if (depth > 1000) throw new Error('the document nests too deeply (or an alias refers to its own ancestor)');
    if (isAlias(node)) return convert(node.resolve(doc), depth + 1);
    if (done.has(node)) return done.get(node);
    let out: unknown;
    if (isScalar(node)) out = node.value;
    else if (isSeq(node)) out = node.items.map((item) => convert(item, depth + 1));
    else if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const set = (key: string, value: unknown) => {
        if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        else obj[key] = value;
      };
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (isMergeKey(item.key)) {
          for (const m of mergedMaps(item.value, doc).reverse()) {
            const merged = convert(m, depth + 1) as Record<string, unknown>;
            for (const key of Object.keys(merged)) set(key, merged[key]);
          }
        } else {
          set(item.key === null ? '' : keyString(item.key), item.value === null ? null : convert(item.value, depth + 1));
        }
      }
      out = obj;
    } else out = node ?? null;
    done.set(node, out);
    return out;
  };
  return doc.contents === null ? null : convert(doc.contents, 0);
}

/** Parses every document with the `yaml` library; never throws (errors are attached per document). */
export function parseYamlWithLibrary(text: string): ParsedYamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = YAML.parseAllDocuments(text, { ...LIBRARY_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc) => {
    const [start, , end] = doc.range;
    const firstError = doc.errors[0];
    if (firstError) {
      const line = firstError.linePos?.[0]?.line;
      return { value: null, duplicates: [], error: { message: firstError.message.split('\n')[0], line }, start, end };
    }
    // Scalars first: keys are compared (and stringified) by the values go-yaml gives them.
    const nonFinite = resolveScalars(doc);
    const duplicates: DuplicateKey[] = [];
    collectDuplicates(doc.contents, [], lineCounter, doc, duplicates);
    try {
      return { value: toGoValue(doc) ?? null, duplicates, ...(nonFinite ? { nonFinite } : {}), start, end };
    } catch (e) {
      return { value: null, duplicates, error: { message: (e as Error).message }, start, end };
    }
  });
}
