import YAML, { isMap, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { ConfigError } from './errors';

/** A parsed YAML file that remembers where every key came from. */
export interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

export function parseSource(file: string, text: string): { source?: SourceFile; errors: ConfigError[] } {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors: ConfigError[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const detail = e.code === 'DUPLICATE_KEY' ? 'duplicate key: each key may appear once per map; remove or merge the repeated key' : `YAML syntax error: ${e.message.split('\n')[0]}`;
    return { file, line: pos.line, column: pos.col, keyPath: '', message: detail };
  });
  if (errors.length) return { errors };
  const value = doc.toJS() ?? {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { errors: [{ file, line: 1, column: 1, keyPath: '', message: 'expected a YAML map of settings at the top level' }] };
  }
  return { source: { file, doc, lines, value }, errors: [] };
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
