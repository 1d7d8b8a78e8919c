/**
 * A config is plain data: maps with string keys, lists, strings, finite numbers, booleans and null.
 * YAML can produce more than that (binary buffers, timestamps, ordered maps and sets through explicit
 * tags, `.inf`/`.nan`, self-referencing anchors, a `__proto__` key), and each of those would reach the
 * layering, the schema or the YAML writer as something they were not written for. This module finds the
 * first such value so the loader can report it as a configuration error at its key.
 */

export interface DataProblem {
  path: (string | number)[];
  message: string;
}

/** Deeper than any real config (about 8 levels); far below what recursion in later stages survives. */
export const MAX_DEPTH = 64;

function describe(v: unknown): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${v} is not a usable number; write a finite number, or quote it for a string`;
  if (typeof v === 'bigint') return 'integer too large for a config value; quote it for a string';
  if (typeof v !== 'object') return `a ${typeof v} is not a config value`;
  if (Array.isArray(v)) return undefined;
  if (Object.getPrototypeOf(v) === Object.prototype) return undefined;
  const kind =
    v instanceof Date
      ? 'a timestamp'
      : v instanceof Map
        ? 'an ordered map (!!omap/!!pairs)'
        : v instanceof Set
          ? 'a set (!!set)'
          : 'binary data or another tagged type';
  return `${kind} is not a config value; remove the explicit tag or quote the value`;
}

/** The first non-data value in `value` (depth first, in document order), or undefined when it is plain data. */
export function findNonData(value: unknown): DataProblem | undefined {
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: (string | number)[]): DataProblem | undefined => {
    const problem = describe(v);
    if (problem) return { path, message: problem };
    if (v === null || typeof v !== 'object') return undefined;
    if (ancestors.has(v)) return { path, message: 'an alias refers to a map or list that contains it (an endless value); write the value out instead' };
    if (path.length >= MAX_DEPTH) return { path, message: `nested more than ${MAX_DEPTH} levels deep; no setting is that deep` };
    ancestors.add(v);
    try {
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
      for (const [k, child] of entries) {
        if (k === '__proto__') return { path: [...path, k], message: 'the key "__proto__" is not allowed' };
        const found = visit(child, [...path, k]);
        if (found) return found;
      }
      return undefined;
    } finally {
      ancestors.delete(v);
    }
  };
  return visit(value, []);
}
