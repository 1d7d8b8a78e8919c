import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntendedDifference } from './compare';

/**
 * The differential corpus: awkward and invalid documents under corpus/, each opening with a comment
 * (or, for JSON and empty files, a `<file>.meta` beside it) that says what it probes and what the real
 * kubeconform reports for it:
 *
 *   # probes: <what the file is about>
 *   # expect: <kubeconform's verdict per resource, in order>
 *   # intended: <intended differences the comparison must apply>   (optional)
 *   # flags: non-strict | skip=A,B | reject=A,B | ignore-missing-schemas  (optional, space-separated)
 */

export const CORPUS_DIR = join(__dirname, 'corpus');
export const CORPUS_SCHEMAS = join(CORPUS_DIR, 'schemas', '{{.Group}}', '{{.ResourceKind}}_{{.ResourceAPIVersion}}.json');

export interface CorpusFlags {
  strict: boolean;
  skip: string[];
  reject: string[];
  ignoreMissingSchemas: boolean;
}

export interface CorpusCase {
  file: string;
  probes: string;
  expect: string[];
  intended: IntendedDifference[];
  flags: CorpusFlags;
}

function header(text: string, key: string): string | undefined {
  const m = new RegExp(`^# ${key}:(.*)$`, 'm').exec(text);
  return m ? m[1].trim() : undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseFlags(value: string | undefined): CorpusFlags {
  const flags: CorpusFlags = { strict: true, skip: [], reject: [], ignoreMissingSchemas: false };
  for (const word of (value ?? '').split(/\s+/).filter(Boolean)) {
    if (word === 'non-strict') flags.strict = false;
    else if (word === 'ignore-missing-schemas') flags.ignoreMissingSchemas = true;
    else if (word.startsWith('skip=')) flags.skip = list(word.slice(5));
    else if (word.startsWith('reject=')) flags.reject = list(word.slice(7));
    else throw new Error(`unknown corpus flag ${word}`);
  }
  return flags;
}

export function readCorpus(dir = CORPUS_DIR): CorpusCase[] {
  return readdirSync(dir)
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const meta = `${file}.meta`;
      const text = readFileSync(existsSync(meta) ? meta : file, 'utf8');
      const probes = header(text, 'probes');
      const expect = header(text, 'expect');
      if (!probes || expect === undefined) throw new Error(`${name}: the corpus header needs "# probes:" and "# expect:" lines`);
      return { file, probes, expect: list(expect), intended: list(header(text, 'intended')) as IntendedDifference[], flags: parseFlags(header(text, 'flags')) };
    });
}

/** Cases with the same flags, so each group is one kubeconform run. */
export function groupByFlags(cases: CorpusCase[]): CorpusCase[][] {
  const groups = new Map<string, CorpusCase[]>();
  for (const c of cases) {
    const key = JSON.stringify(c.flags);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}
