/** A key that appears twice in the same mapping. kubeconform -strict rejects these; Kubernetes keeps the last. */
export interface DuplicateKey {
  /** JSON pointer of the repeated key, e.g. /metadata/labels/app */
  path: string;
  key: string;
  /** 1-based line of the repeated occurrence. */
  line: number;
}

/** One YAML document of a file, as both parsers return it. */
export interface ParsedYamlDocument {
  /** The document's data; null for an empty document. Duplicate keys keep their last value. */
  value: unknown;
  duplicates: DuplicateKey[];
  /**
   * The document holds .inf or .nan. Kubernetes and kubeconform convert YAML to JSON, which has no such
   * numbers, so the document cannot be read at all (kubeconform: "error converting YAML to JSON").
   */
  nonFinite?: boolean;
  /** Set when the document is not valid YAML; `value` is then null. */
  error?: { message: string; line?: number };
  /** Character offsets of the document's text in the file (without its leading `---` line). */
  start: number;
  end: number;
}

/** JSON pointer segment escaping (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function jsonPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + escapePointerSegment(String(s));
  return out;
}
