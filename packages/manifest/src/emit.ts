/**
 * A YAML emitter for JSON-shaped data (what manifests and Helm values are): block style, two-space
 * indentation, sequences indented under their key. It exists for speed: the general-purpose `yaml`
 * stringifier dominated fleet rendering. Every string that a YAML 1.1 or 1.2 parser could read as
 * something else (a boolean, number, null, timestamp, sexagesimal, merge key...) is double-quoted,
 * so go-yaml (Kubernetes, Flux) and JavaScript parsers read back exactly the value written; the
 * round-trip test in emit.test.ts holds it to that.
 */

const AMBIGUOUS = [
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$/,
  /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/, // decimal ints and floats (1.1 allows "_")
  /^[-+]?0(?:x[0-9a-fA-F_]+|o?[0-7_]+|b[01_]+)$/, // hex, octal, binary
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // YAML 1.1 sexagesimal
  /^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, // timestamps
];
// Characters that cannot start a plain scalar; "-" is allowed when a non-space follows.
const BAD_FIRST = new Set([...'?:,[]{}#&*!|>\'"%@` \t']);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff]/;

function isPlain(s: string): boolean {
  if (s === '' || BAD_FIRST.has(s[0]) || (s[0] === '-' && (s.length === 1 || s[1] === ' '))) return false;
  if (s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #') || s.includes('\t') || s.includes('\n') || CONTROL.test(s)) return false;
  return !AMBIGUOUS.some((re) => re.test(s));
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

/** A literal block keeps multi-line text (scripts, config files) readable and diffable. */
function literalBlock(s: string, indent: string): string | undefined {
  if (CONTROL.test(s) || s.includes('\r') || s.startsWith(' ') || s.startsWith('\t') || s.startsWith('\n')) return undefined;
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing ? s.slice(0, s.length - trailing) : s;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  if (trailing > 1) for (let i = 1; i < trailing; i++) lines.push('');
  return `|${chomp}\n${lines.join('\n')}`;
}

function scalar(v: unknown, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return Object.is(v, -0) ? '0' : String(v);
  }
  const s = String(v);
  if (isPlain(s)) return s;
  if (s.includes('\n')) return literalBlock(s, indent) ?? quoted(s);
  return quoted(s);
}

function key(k: string): string {
  return isPlain(k) ? k : quoted(k);
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Lines for a value placed after "key:" or "- ", at the given indentation of its children. */
function emitInto(out: string[], prefix: string, v: unknown, indent: string): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${prefix} []`);
    else {
      out.push(prefix);
      emitSeq(out, v, indent);
    }
  } else if (isMap(v)) {
    if (Object.keys(v).length === 0) out.push(`${prefix} {}`);
    else {
      out.push(prefix);
      emitMap(out, v, indent);
    }
  } else out.push(`${prefix} ${scalar(v, indent)}`);
}

function emitMap(out: string[], m: Record<string, unknown>, indent: string): void {
  for (const [k, v] of Object.entries(m)) emitInto(out, `${indent}${key(k)}:`, v, `${indent}  `);
}

function emitSeq(out: string[], list: unknown[], indent: string): void {
  for (const item of list) {
    if (isMap(item) && Object.keys(item).length) {
      // "- first: x" then the other keys aligned under "first".
      const inner: string[] = [];
      emitMap(inner, item, `${indent}  `);
      out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
    } else if (Array.isArray(item) && item.length) {
      const inner: string[] = [];
      emitSeq(inner, item, `${indent}  `);
      out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
    } else emitInto(out, `${indent}-`, item, `${indent}  `);
  }
}

/** One YAML document for a JSON-shaped value, ending in a newline. */
export function emitYaml(value: unknown): string {
  const out: string[] = [];
  if (isMap(value) && Object.keys(value).length) emitMap(out, value, '');
  else if (Array.isArray(value) && value.length) emitSeq(out, value, '');
  else out.push(Array.isArray(value) ? '[]' : isMap(value) ? '{}' : scalar(value, ''));
  return `${out.join('\n')}\n`;
}
