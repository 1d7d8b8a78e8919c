/**
 * The few Go standard-library behaviours the SOPS format depends on. sops is written in Go, and the bytes
 * it hashes into the MAC and encrypts are Go's renderings of values, so ours must match exactly.
 */

/** `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const s = String(x); // JS also prints the shortest round-trip digits; only the exponent form differs
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expStr] = m;
  const digits = lead + frac;
  const point = 1 + Number(expStr); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `strconv.ParseFloat(s, 64)` for the forms Go accepts and sops writes. */
export function goParseFloat(s: string): number {
  const t = s.replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new Error(`invalid float ${JSON.stringify(s)}`);
  return Number(t);
}

/** `strconv.Atoi` / `ParseInt(s, 10, 64)`, as a bigint so 64-bit values survive. */
export function goParseInt(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`invalid integer ${JSON.stringify(s)}`);
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new Error(`integer out of int64 range: ${s}`);
  return v;
}

/** `strconv.ParseBool`. */
export function goParseBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`invalid boolean ${JSON.stringify(s)}`);
}

/**
 * A Go (RE2) regular expression as a JS RegExp. Go matches unanchored like `RegExp.test`; the only
 * syntax difference common in sops rules is a leading flag group such as `(?i)`, which JS lacks.
 */
export function goRegExp(source: string): RegExp {
  const m = /^\(\?([imsU]+)\)/.exec(source);
  let flags = '';
  let body = source;
  if (m) {
    if (m[1].includes('U')) throw new Error(`unsupported Go regex flag U in ${JSON.stringify(source)}`);
    flags = [...new Set(m[1])].join('');
    body = source.slice(m[0].length);
  }
  return new RegExp(body, flags);
}

/**
 * The additional data sops authenticates the MAC with: `lastmodified` parsed and re-formatted with Go's
 * `time.RFC3339` layout, which drops fractional seconds and writes a zero offset as `Z`.
 */
export function rfc3339ForMac(lastmodified: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(lastmodified.trim());
  if (!m) throw new Error(`lastmodified is not an RFC 3339 timestamp: ${JSON.stringify(lastmodified)}`);
  const zone = /^[Zz]$|^[+-]00:00$/.test(m[3]) ? 'Z' : m[3];
  return m[1].replace('t', 'T') + zone;
}

/** Go's `time.Now().UTC().Format(time.RFC3339)` for a given Date. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
