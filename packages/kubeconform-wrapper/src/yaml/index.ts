import type { ParsedYamlDocument } from './document';
import { parseYamlFast, parseYamlFastEach } from './fast-parser';
import { parseYamlWithLibrary } from './library-parser';

export type { DuplicateKey, ParsedYamlDocument } from './document';
export { escapePointerSegment, jsonPointer } from './document';

/**
 * Every document of a YAML (or JSON) file: the fast parser where it can, the `yaml` library otherwise.
 * In a file of several documents, only the ones the fast parser leaves go to the library, each parsed
 * alone at its own lines (so line numbers stay the file's); when one of them has an error, or reads as
 * anything but one document (an unclosed quote runs past `---` in the library), the whole file goes.
 */
export function parseYamlDocuments(text: string): ParsedYamlDocument[] {
  const each = parseYamlFastEach(text);
  if (!each || each.every((d) => !d.parsed)) return parseYamlWithLibrary(text);
  const out: ParsedYamlDocument[] = [];
  for (const d of each) {
    if (d.parsed) {
      out.push(d.parsed);
      continue;
    }
    const alone = parseYamlWithLibrary('\n'.repeat(d.startLine) + text.slice(d.start, d.end));
    if (alone.length !== 1 || alone[0].error) return parseYamlWithLibrary(text);
    out.push({ ...alone[0], start: d.start, end: d.end });
  }
  return out;
}

export { parseYamlFast, parseYamlFastEach, parseYamlWithLibrary };
