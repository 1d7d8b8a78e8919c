import { createTwoFilesPatch } from 'diff';
import type { FileMap } from './layout';

export interface DriftEntry {
  path: string;
  change: 'changed' | 'missing' | 'orphan';
  diff: string;
}

/** Compares a fresh render with what is committed; every difference comes with a unified diff. */
export function compareRendered(expected: FileMap, actual: FileMap): DriftEntry[] {
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const out: DriftEntry[] = [];
  for (const path of paths) {
    const want = expected.get(path);
    const have = actual.get(path);
    if (want === have) continue;
    const change = have === undefined ? 'missing' : want === undefined ? 'orphan' : 'changed';
    const diff = createTwoFilesPatch(
      have === undefined ? '/dev/null' : `committed/${path}`,
      want === undefined ? '/dev/null' : `rendered/${path}`,
      have ?? '',
      want ?? '',
      undefined,
      undefined,
      { context: 3 },
    );
    out.push({ path, change, diff });
  }
  return out;
}

const EXPLAIN: Record<DriftEntry['change'], string> = {
  changed: 'differs from a fresh render (edited by hand, or config changed without re-rendering)',
  missing: 'is missing from the committed output',
  orphan: 'is committed but no longer rendered',
};

export function formatDrift(env: string, entries: DriftEntry[]): string {
  const head =
    `drift in ${env}: ${entries.length} file${entries.length === 1 ? '' : 's'} differ from a fresh render. ` +
    `Run \`npx nx run ${env}:render\` and commit the result; never edit clusters/ by hand.`;
  return [head, ...entries.map((e) => `  ${e.path} ${EXPLAIN[e.change]}`), '', ...entries.map((e) => e.diff)].join('\n');
}
