import YAML, { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { type ConfigError, keyPathOf } from './errors';
import { findNonData } from './plain-data';

/** A parsed YAML file that remembers where every key came from. */
export interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

/** Alias expansions one file may make; a config uses a handful, an "alias bomb" millions. */
export const MAX_ALIAS_COUNT = 100;

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** The first map key that is not a plain scalar (`? [a, b]: x`, `*alias: x`): JSON-like data has string keys only. */
function firstComplexKey(doc: Document): Node | undefined {
  let found: Node | undefined;
  YAML.visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        found = pair.key as Node;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses one config file. Whatever the text (malformed, hostile or merely odd YAML), the outcome is
 * either a source holding plain data or configuration errors naming `file`; it never throws.
 */
export function parseSource(file: string, text: string): { source?: SourceFile; errors: ConfigError[] } {
  const lines = new LineCounter();
  const at = (offset: number | undefined, message: string): { errors: ConfigError[] } => {
    const pos = offset === undefined ? { line: 1, col: 1 } : lines.linePos(offset);
    return { errors: [{ file, line: pos.line, column: pos.col, keyPath: '', message }] };
  };
  let doc: Document;
  try {
    doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    return at(undefined, `YAML could not be read: ${reasonOf(e)}`);
  }
  const errors: ConfigError[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const detail =
      e.code === 'DUPLICATE_KEY'
        ? 'duplicate key: each key may appear once per map; remove or merge the repeated key'
        : `YAML syntax error: ${e.message.split('\n')[0]}`;
    return { file, line: pos.line, column: pos.col, keyPath: '', message: detail };
  });
  if (errors.length) return { errors };
  const complexKey = firstComplexKey(doc);
  if (complexKey) return at(complexKey.range?.[0], 'map keys must be plain scalars (a name), not lists, maps or aliases');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    // yaml throws (not reports) on an unresolved alias and on aliases expanding past the limit.
    const firstAlias = (() => {
      let node: Node | undefined;
      YAML.visit(doc, { Alias: (_, a) => ((node = a), YAML.visit.BREAK) });
      return node;
    })();
    const excessive = /alias count/i.test(reasonOf(e));
    return at(
      firstAlias?.range?.[0],
      excessive
        ? `aliases expand to too many values (more than ${MAX_ALIAS_COUNT} expansions: an "alias bomb"); write the values out instead of nesting anchors`
        : `YAML could not be read: ${reasonOf(e)}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return { errors: [{ file, line: 1, column: 1, keyPath: '', message: 'expected a YAML map of settings at the top level' }] };
  }
  const source: SourceFile = { file, doc, lines, value };
  const bad = findNonData(value);
  if (bad) {
    const loc = locate(source, bad.path);
    return { errors: [{ file, line: loc.line, column: loc.column, keyPath: keyPathOf(bad.path), message: bad.message }] };
  }
  return { source, errors: [] };
}

export interface Located {
  line: number;
  column: number;
  /** How many path segments exist in the file (equal to path.length when the value is present). */
  depth: number;
}

/** Finds `path` in the file; for a missing path, the position of its deepest existing ancestor. */
export function locate(src: SourceFile, path: readonly PropertyKey[]): Located {
  let node: unknown = src.doc.contents;
  let offset = (src.doc.contents as Node | null)?.range?.[0] ?? 0;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
    depth++;
  }
  const pos = src.lines.linePos(offset);
  return { line: pos.line, column: pos.col, depth };
}

export function hasPath(value: unknown, path: readonly PropertyKey[]): boolean {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !(seg in (cur as object))) return false;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return true;
}
