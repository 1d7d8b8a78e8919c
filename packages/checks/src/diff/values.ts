import YAML from 'yaml';

/** One changed setting inside an object: where, and the value before and after (undefined: absent). */
export interface ValueChange {
  path: string;
  before?: string;
  after?: string;
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * A string that holds a document of its own (a JSON policy in a ConfigMap, a YAML config file):
 * parsed, so a change inside it is reported at its own path rather than as one changed string.
 */
function embedded(s: string): unknown {
  const t = s.trim();
  if (!t.includes('\n') && !/^[[{]/.test(t)) return undefined;
  try {
    if (/^[[{]/.test(t)) return JSON.parse(t);
  } catch {
    // not JSON: it may still be YAML
  }
  try {
    const v = YAML.parse(t);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Every scalar of a value by path, descending into embedded JSON/YAML documents. */
export function leaves(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof v === 'string') {
    const doc = embedded(v);
    if (doc !== undefined) return leaves(doc, path, out);
    out.set(path, v);
  } else if (Array.isArray(v)) {
    if (!v.length) out.set(path, '[]');
    v.forEach((x, i) => leaves(x, join(path, i), out));
  } else if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) out.set(path, '{}');
    for (const [k, x] of entries) leaves(x, join(path, k), out);
  } else out.set(path, v === null || v === undefined ? 'null' : String(v));
  return out;
}

/** The settings that differ between two versions of an object, in path order. */
export function valueChanges(before: unknown, after: unknown): ValueChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const out: ValueChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(path) !== b.get(path)) out.push({ path, before: a.get(path), after: b.get(path) });
  }
  return out;
}

/** Pairs of strings at the same place in two versions of an object that differ: the candidates for renamed references. */
export function changedStrings(before: unknown, after: unknown, out: [string, string][] = []): [string, string][] {
  if (typeof before === 'string' && typeof after === 'string') {
    if (before !== after) out.push([before, after]);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    before.forEach((x, i) => i < after.length && changedStrings(x, after[i], out));
  } else if (before && after && typeof before === 'object' && typeof after === 'object') {
    for (const [k, x] of Object.entries(before)) if (k in after) changedStrings(x, (after as Record<string, unknown>)[k], out);
  }
  return out;
}

const SHORT = 80;

/** `path: 30d → 90d`, for single-line values short enough to read; longer ones are left to the YAML diff. */
export function formatValueChange(c: ValueChange): string | undefined {
  const show = (v: string | undefined) => (v === undefined ? '(absent)' : v === '' ? '""' : v);
  if ([c.before, c.after].some((v) => v !== undefined && (v.includes('\n') || v.length > SHORT))) return undefined;
  return `\`${c.path || '(value)'}\`: ${show(c.before)} → ${show(c.after)}`;
}
