import YAML, { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import { jsonPointer, type DuplicateKey, type ParsedYamlDocument } from './document';

/**
 * The `yaml` library read the way go-yaml reads manifests: YAML 1.1 scalars, merge keys, but no
 * timestamp or base-60 number resolution (go-yaml returns those as strings in untyped maps).
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

function collectDuplicates(node: unknown, path: string[], lines: LineCounter, out: DuplicateKey[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = keyString(item.key);
      if (seen.has(key)) {
        const offset = (item.key as Node | null)?.range?.[0];
        out.push({ path: jsonPointer([...path, key]), key, line: offset === undefined ? 0 : lines.linePos(offset).line });
      }
      seen.add(key);
      collectDuplicates(item.value, [...path, key], lines, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectDuplicates(item, [...path, String(i)], lines, out));
  } else if (isAlias(node)) {
    // An alias repeats data that was already checked where its anchor is.
  }
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
    const duplicates: DuplicateKey[] = [];
    collectDuplicates(doc.contents, [], lineCounter, duplicates);
    try {
      return { value: doc.toJS({ maxAliasCount: 1000 }) ?? null, duplicates, start, end };
    } catch (e) {
      return { value: null, duplicates, error: { message: (e as Error).message }, start, end };
    }
  });
}
