import type { ParsedYamlDocument } from './document';
import { parseYamlFast } from './fast-parser';
import { parseYamlWithLibrary } from './library-parser';

export type { DuplicateKey, ParsedYamlDocument } from './document';
export { escapePointerSegment, jsonPointer } from './document';

/** Every document of a YAML (or JSON) file: the fast parser when it can, the `yaml` library otherwise. */
export function parseYamlDocuments(text: string): ParsedYamlDocument[] {
  return parseYamlFast(text) ?? parseYamlWithLibrary(text);
}

export { parseYamlFast, parseYamlWithLibrary };
