import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InMemoryDocument } from './types';
import { parseYamlDocuments, type ParsedYamlDocument } from './yaml';

/** A file to validate: where it came from (kubeconform reads paths itself, the rest is handed over) and its text. */
export interface SourceFile {
  filename: string;
  origin: 'path' | 'stdin' | 'memory';
  content: string;
  /** Set when the file could not be read; reported as an error result. */
  readError?: string;
}

export interface ParsedFile extends SourceFile {
  documents: ParsedYamlDocument[];
}

/** Like kubeconform, only these extensions are read, in directories and on the command line alike. */
function isManifestFile(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.json');
}

function isIgnored(path: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => p.test(path));
}

/**
 * Files under `dir`, depth first in name order (deterministic, unlike a parallel walk). Like Go's
 * filepath.Walk in kubeconform, symbolic links to folders are not followed (nor can they loop);
 * links to files are read.
 */
function walk(dir: string, patterns: RegExp[], out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, patterns, out);
    else if (isManifestFile(entry.name) && !isIgnored(path, patterns)) out.push(path);
  }
}

export interface CollectOptions {
  inputs?: string[];
  documents?: InMemoryDocument[];
  ignoreFilenamePatterns?: string[];
  stdinText?: () => string;
}

/** Resolves inputs to files with their text. Unreadable inputs become entries with `readError`. */
export function collectSources(options: CollectOptions): { sources: SourceFile[]; stdin: boolean } {
  const patterns = (options.ignoreFilenamePatterns ?? []).map((p) => new RegExp(p));
  const sources: SourceFile[] = [];
  let stdin = false;
  for (const input of options.inputs ?? []) {
    if (input === '-') {
      stdin = true;
      const read = options.stdinText ?? (() => readFileSync(0, 'utf8'));
      sources.push({ filename: 'stdin', origin: 'stdin', content: read() });
      continue;
    }
    const stat = statSync(input, { throwIfNoEntry: false });
    if (!stat) {
      sources.push({ filename: input, origin: 'path', content: '', readError: `lstat ${input}: no such file or directory` });
      continue;
    }
    const paths: string[] = [];
    if (stat.isDirectory()) walk(input, patterns, paths);
    else if (isManifestFile(input) && !isIgnored(input, patterns)) paths.push(input);
    for (const path of paths) {
      try {
        sources.push({ filename: path, origin: 'path', content: readFileSync(path, 'utf8') });
      } catch (e) {
        sources.push({ filename: path, origin: 'path', content: '', readError: (e as Error).message });
      }
    }
  }
  for (const doc of options.documents ?? []) sources.push({ filename: doc.filename, origin: 'memory', content: doc.content });
  return { sources, stdin: stdin && sources.length === 1 };
}

export function parseSources(sources: SourceFile[]): ParsedFile[] {
  return sources.map((s) => ({ ...s, documents: s.readError ? [] : parseYamlDocuments(s.content) }));
}
