import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { SopsTime } from './sops-value';

/**
 * How go-yaml v3 (the YAML library sops is built with) reads a plain, untagged scalar, where that
 * differs from the YAML 1.2 core schema this package parses with: sops encrypts and authenticates the
 * value go-yaml gives it, so the built-in encrypter must start from the same value. The rules follow
 * go-yaml v3's `resolve` and `parseTimestamp` (resolve.go):
 *
 * - a scalar starting with a digit or sign is an integer when Go's `strconv.ParseInt(s, 0, 64)` takes it
 *   after every `_` is removed: `0755` is octal 493, `1_000` is 1000, `0b101` is 5 (YAML 1.2 core reads
 *   755, "1_000", "0b101");
 * - then a float by `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (so `089` is 89.0);
 * - `YYYY-M-D`, `YYYY-M-DTh:m:s[.f]Z|±hh:mm` and `YYYY-M-D h:m:s[.f]` are timestamps (time.Time), which
 *   sops writes and authenticates as Go's `MarshalText`, RFC 3339 with nanoseconds;
 * - integers beyond int64 that fit uint64 become uint64, a type sops cannot encrypt.
 * Everything else (true/false/null/.inf forms, strings) resolves as in YAML 1.2 core: goResolvePlain says undefined.
 */
export type GoScalar =
  { kind: 'str' } | { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'time'; text: string } | { kind: 'uint64'; value: bigint };

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** `strconv.ParseInt(s, 0, ...)` without the range check: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
function parseGoIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(.*)$/s.exec(s)!;
  const [, sign, body] = m;
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) v = BigInt(`0x${body.slice(2)}`);
  else if (/^0[oO][0-7]+$/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[bB][01]+$/.test(body)) v = BigInt(`0b${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else if (/^(0|[1-9][0-9]*)$/.test(body)) v = BigInt(body);
  else return undefined;
  return sign === '-' ? -v : v;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `2006-1-2`, optionally followed by `T15:4:5[.f]` and a zone (Z or ±hh:mm), or by ` 15:4:5[.f]` without one. */
const TIMESTAMP = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})` +
    String.raw`(?:(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?))?$`,
);

/** go-yaml v3's timestamp forms parsed like Go's time.Parse, formatted like time.Time.MarshalText. */
export function goTimestamp(s: string): string | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hasT = m[4] !== undefined;
  const [h, mi, sec] = hasT ? [m[5], m[6], m[7]] : [m[10], m[11], m[12]];
  const frac = (hasT ? m[8] : m[13]) ?? '';
  const zone = hasT ? m[9] : 'Z';
  const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 'Z';
  if (zone !== 'Z') {
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (oh > 24 || om > 59) return undefined;
    if (oh !== 0 || om !== 0) offset = zone;
  }
  // Go keeps at most nine fraction digits and prints them without trailing zeros
  const nanos = frac.slice(0, 9).padEnd(9, '0').replace(/0+$/, '');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${nanos ? `.${nanos}` : ''}${offset}`;
}

/**
 * What go-yaml v3 makes of a plain (unquoted, untagged) scalar that starts with a digit or sign;
 * undefined where it reads it as the YAML 1.2 core schema does (every other start, and `±.inf`).
 */
export function goResolvePlain(source: string): GoScalar | undefined {
  if (!/^[-+0-9]/.test(source) || /^[-+]\.(inf|Inf|INF)$/.test(source)) return undefined;
  const time = goTimestamp(source);
  if (time !== undefined) return { kind: 'time', text: time };
  const plain = source.replace(/_/g, '');
  const int = parseGoIntBase0(plain);
  if (int !== undefined && int >= INT64_MIN && int <= INT64_MAX) return { kind: 'int', value: int };
  if (int !== undefined && int > 0n && int <= UINT64_MAX && !plain.startsWith('+')) return { kind: 'uint64', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { kind: 'float', value };
  }
  return { kind: 'str' };
}

const STR_TAG = 'tag:yaml.org,2002:str';

function where(path: string[]): string {
  return path.length ? path.join('.') : 'the top level';
}

/** A scalar's value as go-yaml v3 (and so sops) reads it; throws for what sops cannot hold. */
function goValue(node: Scalar, path: string[]): unknown {
  if (node.tag !== undefined && node.tag !== STR_TAG) {
    const tag = node.tag.replace('tag:yaml.org,2002:', '!!');
    throw new Error(`${where(path)}: explicit YAML tag ${tag} is not supported by the built-in encrypter; remove the tag or quote the value`);
  }
  if (node.tag === STR_TAG || node.type !== 'PLAIN' || typeof node.source !== 'string') return node.value;
  const r = goResolvePlain(node.source);
  if (r === undefined) return node.value;
  switch (r.kind) {
    case 'int':
    case 'float':
      return r.value;
    case 'time':
      return new SopsTime(r.text);
    case 'uint64':
      throw new Error(`${where(path)}: ${node.source} is beyond int64, which sops cannot encrypt; quote it`);
    case 'str':
      return node.source;
  }
}

/**
 * Sets every scalar of a parsed document to the value sops would read (see goResolvePlain): plain
 * numbers and timestamps take go-yaml v3's reading. Map keys must be strings for sops; any other key
 * (`1:`, `true:`, `2024-01-01:`) is an error naming its path, as sops refuses such a file.
 */
export function applyGoYamlTypes(root: unknown, path: string[] = []): void {
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = pair.key;
      if (!isScalar(key)) throw new Error(`${where(path)}: only scalar map keys are supported in SOPS documents`);
      const value = goValue(key, path);
      if (typeof value !== 'string') {
        const as = value instanceof SopsTime ? 'a timestamp' : value === null ? 'null' : typeof value;
        throw new Error(
          `${where(path)}: key ${JSON.stringify(String(key.source ?? key.value))} is not a string for sops (go-yaml reads it as ${as}); quote it`,
        );
      }
      applyGoYamlTypes(pair.value, [...path, value]);
    }
  } else if (isSeq(root)) {
    for (const item of root.items) applyGoYamlTypes(item, path);
  } else if (isScalar(root)) {
    root.value = goValue(root, path);
  }
}
