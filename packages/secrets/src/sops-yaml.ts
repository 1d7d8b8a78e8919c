import YAML, { isCollection, isScalar, type Document } from 'yaml';
import { goResolvePlain } from './go-yaml';
import { SopsTime } from './sops-value';

/**
 * YAML reading and writing as sops sees it. sops parses with go-yaml v3, which resolves booleans and
 * nulls with YAML 1.2 core rules (`yes` is a string) and keeps 64-bit integers, so documents are parsed
 * with the 1.2 core schema and `intAsBigInt`; where go-yaml v3 reads numbers and timestamps otherwise
 * (`0755`, `1_000`, `2024-01-01`), the encrypter applies its readings (go-yaml.ts). sops writes canonical
 * forms, so files it wrote read the same either way. Output is also 1.2, plus quotes on any string that
 * go-yaml v3 or a YAML 1.1 reader (go-yaml v2, sigs.k8s.io/yaml) would take for a bool, number, null or
 * timestamp.
 */
export const PARSE_OPTIONS = { intAsBigInt: true, version: '1.2', uniqueKeys: true } as const;

export function parseDocuments(text: string): Document.Parsed[] {
  return YAML.parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
}

/** The non-empty documents of a stream, or the first syntax error. */
export function parseNonEmptyDocuments(text: string): { docs: Document.Parsed[] } | { error: string } {
  const all = parseDocuments(text);
  for (const d of all) {
    const err = d.errors[0];
    if (err) return { error: err.message.split('\n')[0] };
  }
  return { docs: all.filter((d) => d.contents !== null && d.contents !== undefined) };
}

/** Whether a plain scalar `s` would be read as something else than this string by go-yaml v3 or a YAML 1.1 reader. */
function ambiguous(s: string): boolean {
  const go = goResolvePlain(s);
  return (go !== undefined && go.kind !== 'str') || ambiguousIn11(s);
}

function ambiguousIn11(s: string): boolean {
  if (s === '' || s.includes('\n')) return false;
  try {
    return YAML.parse(s, { version: '1.1', logLevel: 'error' }) !== s;
  } catch {
    return false; // the stringifier quotes whatever does not parse back on its own
  }
}

const STRINGIFY: YAML.ToStringOptions = { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 };

/**
 * Writes a document the way sops (go-yaml v3) lays it out: block style only, 2-space maps, indented
 * sequences, no folding, the input's quoting and comments dropped.
 */
export function stringifyDocument(doc: Document): string {
  doc.commentBefore = null;
  doc.comment = null;
  YAML.visit(doc, {
    Node(_key, node) {
      node.commentBefore = undefined;
      node.comment = undefined;
      if (isCollection(node)) node.flow = node.items.length === 0; // go-yaml writes `[]` and `{}` for empty ones
      if (isScalar(node) && typeof node.value === 'string') node.type = ambiguous(node.value) ? 'QUOTE_DOUBLE' : undefined;
      // a time left in plain text is written as go-yaml writes a time.Time: its RFC 3339 text, unquoted
      if (isScalar(node) && node.value instanceof SopsTime) Object.assign(node, { value: node.value.text, type: 'PLAIN' });
      if (isScalar(node) && node.value === null) delete node.source; // `key:` and `~` are written as `null`, like go-yaml
    },
    Pair(_key, pair) {
      if (isScalar(pair.key)) {
        pair.key.commentBefore = undefined;
        pair.key.comment = undefined;
      }
    },
  });
  return doc.toString(STRINGIFY);
}
