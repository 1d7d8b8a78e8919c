import type { ParsedFile } from '../inputs';
import { isSopsEncrypted } from '../sops';
import type { FieldError, ResourceResult } from '../types';
import type { RawResult } from './raw-kubeconform';

/**
 * Compares the builtin engine's results with the real kubeconform's, resource by resource: the verdict
 * and the JSON paths of the schema errors.
 *
 * The builtin engine names every failing leaf; kubeconform (santhosh-tekuri/jsonschema v6) builds a tree
 * of errors and prints only the first level of it. `kubeconformPaths` turns leaf errors into the paths
 * kubeconform prints, so the comparison is exact without giving up the builtin's more precise messages.
 */

export type Verdict = string;

/**
 * The outcome in comparable form: the status, and for errors what kind of error (the wording differs
 * between the engines, the reason must not): missing schema, unreadable YAML, rejected kind, or a
 * signature that cannot be read.
 */
export function verdictOf(status: string, message = ''): Verdict {
  if (status !== 'error') return status;
  if (message.startsWith('could not find schema')) return 'missing schema';
  if (message.startsWith('error unmarshalling resource') || message.startsWith('duplicate key')) return 'error: unmarshalling';
  if (message.startsWith('prohibited resource kind')) return 'error: prohibited kind';
  const parsing = /^error while parsing: (.*)$/.exec(message);
  if (parsing) return /^missing '(kind|apiVersion)' key$/.test(parsing[1]) ? `error: ${parsing[1]}` : 'error: signature';
  return `error: ${message.slice(0, 60)}`;
}

function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointerTokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map(unescapeSegment);
}

/** A builtin error as the node kubeconform reports it at (kubeconform does not escape "/" or "~"). */
function tokensOf(e: FieldError): string[] {
  // Inside anyOf/oneOf/allOf/$ref kubeconform reports one error for the keyword's node.
  if (e.group !== undefined) return pointerTokens(e.group);
  const tokens = pointerTokens(e.path);
  // Unknown fields and surplus tuple items are one error on the containing object or array there.
  if (e.reason.startsWith('unknown field "') || /^no more than \d+ items are allowed$/.test(e.reason)) return tokens.slice(0, -1);
  return tokens;
}

interface Node {
  direct: boolean;
  children: Map<string, Node>;
}

function node(): Node {
  return { direct: false, children: new Map() };
}

/**
 * The paths kubeconform prints for these errors. jsonschema v6 returns one error per node when a node has
 * exactly one failing entry (its own, or one failing child, which is passed up unchanged), and a group at
 * the node when it has several. kubeconform prints the causes of the top-level group: the node where the
 * first branching happens, each of its own errors, and for each failing child the node that child's error
 * ends at.
 */
export function kubeconformPaths(errors: readonly FieldError[]): string[] {
  const root = node();
  for (const e of errors) {
    let n = root;
    for (const t of tokensOf(e)) {
      let c = n.children.get(t);
      if (!c) n.children.set(t, (c = node()));
      n = c;
    }
    n.direct = true;
  }
  if (!root.direct && root.children.size === 0) return [];
  const pointer = (tokens: string[]) => tokens.map((t) => `/${t}`).join('');
  const top = (n: Node, tokens: string[]): { n: Node; tokens: string[] } => {
    if (!n.direct && n.children.size === 1) {
      const [[key, child]] = n.children;
      return top(child, [...tokens, key]);
    }
    return { n, tokens };
  };
  const first = top(root, []);
  if ((first.n.direct ? 1 : 0) + first.n.children.size < 2) return [pointer(first.tokens)];
  const out = new Set<string>();
  if (first.n.direct) out.add(pointer(first.tokens));
  for (const [key, child] of first.n.children) out.add(pointer(top(child, [...first.tokens, key]).tokens));
  return [...out].sort();
}

/** Why a builtin result may legitimately differ from kubeconform's; see the README's "Intended differences". */
export type IntendedDifference = 'gatekeeper constraint' | 'sops' | 'format: byte';

export interface Comparison {
  filename: string;
  index: number;
  kind: string;
  name: string;
  builtin: { verdict: Verdict; paths: string[] };
  kubeconform: { verdict: Verdict; paths: string[] };
  /** The builtin's result after applying the intended differences, and which ones applied. */
  agree: boolean;
  intended: IntendedDifference[];
  source: { builtin: ResourceResult; kubeconform: RawResult };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The YAML value a builtin result was made from (a List item when it came from one). */
function valueOf(file: ParsedFile | undefined, r: ResourceResult): unknown {
  if (!file || r.document === undefined) return undefined;
  const v = file.documents[r.document]?.value;
  if (r.listItem !== undefined && isObject(v) && Array.isArray(v.items)) return v.items[r.listItem];
  return v;
}

const BYTE_FORMAT = /is not a valid base64 value \(format: byte\)$/;

/**
 * What kubeconform should print for a builtin result, once the wrapper's additions are taken out:
 * - a Gatekeeper constraint has no schema for kubeconform (the wrapper checks it against its template);
 * - a SOPS document carries a `sops` block kubeconform reports as an unknown top-level field;
 * - `format: byte` (base64) is checked only by the builtin engine.
 */
export function expectedFromBuiltin(r: ResourceResult, value: unknown): { verdict: Verdict; paths: string[]; intended: IntendedDifference[] } {
  const intended: IntendedDifference[] = [];
  if (r.apiVersion.startsWith('constraints.gatekeeper.sh/')) {
    return { verdict: 'missing schema', paths: [], intended: ['gatekeeper constraint'] };
  }
  let errors = r.errors;
  let status = r.status;
  if (status === 'invalid' && errors.some((e) => BYTE_FORMAT.test(e.reason))) {
    intended.push('format: byte');
    errors = errors.filter((e) => !BYTE_FORMAT.test(e.reason));
    if (errors.length === 0) status = 'valid';
  }
  if ((status === 'valid' || status === 'invalid') && isObject(value) && isSopsEncrypted(value)) {
    intended.push('sops');
    errors = [...errors, { path: '/sops', reason: 'unknown field "sops" (additionalProperties false)' }];
    status = 'invalid';
  }
  return { verdict: verdictOf(status, errors[0]?.reason), paths: status === 'invalid' ? kubeconformPaths(errors) : [], intended };
}

/** Pairs the builtin's and kubeconform's results file by file, in document order (empty documents left out). */
export function compareResults(
  files: ParsedFile[],
  builtin: ResourceResult[],
  raw: Map<string, RawResult[]>,
): { comparisons: Comparison[]; problems: string[] } {
  const comparisons: Comparison[] = [];
  const problems: string[] = [];
  const fileByName = new Map(files.map((f) => [f.filename, f]));
  const builtinByFile = new Map<string, ResourceResult[]>();
  for (const r of builtin) {
    if (r.status === 'empty') continue;
    const list = builtinByFile.get(r.filename) ?? [];
    list.push(r);
    builtinByFile.set(r.filename, list);
  }
  const names = new Set([...builtinByFile.keys(), ...[...raw].filter(([, l]) => l.some((x) => x.status !== 'empty')).map(([f]) => f)]);
  for (const filename of [...names].sort()) {
    const mine = builtinByFile.get(filename) ?? [];
    const theirs = (raw.get(filename) ?? []).filter((x) => x.status !== 'empty');
    if (mine.length !== theirs.length) problems.push(`${filename}: the builtin engine reports ${mine.length} resources, kubeconform ${theirs.length}`);
    for (let i = 0; i < Math.min(mine.length, theirs.length); i++) {
      const b = mine[i];
      const k = theirs[i];
      const expected = expectedFromBuiltin(b, valueOf(fileByName.get(filename), b));
      const kubeconform = { verdict: verdictOf(k.status, k.msg), paths: k.status === 'invalid' ? [...new Set(k.errors.map((e) => e.path))].sort() : [] };
      const agree = expected.verdict === kubeconform.verdict && expected.paths.join('\n') === kubeconform.paths.join('\n');
      comparisons.push({
        filename,
        index: i,
        kind: b.kind || k.kind,
        name: b.name || k.name,
        builtin: { verdict: expected.verdict, paths: expected.paths },
        kubeconform,
        agree,
        intended: expected.intended,
        source: { builtin: b, kubeconform: k },
      });
    }
  }
  return { comparisons, problems };
}

/** One line per disagreement, for test failure messages. */
export function describeDisagreement(c: Comparison): string {
  const { builtin, kubeconform } = c.source;
  const detail = [
    `builtin ${c.builtin.verdict} [${c.builtin.paths.join(', ')}]`,
    `kubeconform ${c.kubeconform.verdict} [${c.kubeconform.paths.join(', ')}]`,
    `builtin said: ${builtin.errors.map((e) => `${e.path || '/'}: ${e.reason}`).join('; ')}`,
    `kubeconform said: ${kubeconform.errors.length ? kubeconform.errors.map((e) => `${e.path || '/'}: ${e.msg}`).join('; ') : kubeconform.msg}`,
  ];
  return `${c.filename} #${c.index} ${c.kind}/${c.name}: ${detail.join(' | ')}`;
}
