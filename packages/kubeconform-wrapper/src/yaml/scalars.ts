/**
 * Plain-scalar resolution with YAML 1.1 rules, the way Kubernetes and kubeconform read manifests
 * (go-yaml v2 via sigs.k8s.io/yaml): `yes`/`on` are booleans, `017` and `0o17` are octal, `.inf` is a
 * float (which has no JSON form). Timestamps and base-60 numbers stay strings, as go-yaml hands them over
 * when decoding into untyped maps. Both parsers resolve plain scalars with this function.
 */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INFINITY = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;
/** go-yaml's yamlStyleFloat, tried once integer parsing failed. */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts for a value that starts with "." (underscores only between digits). */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;
const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Go's strconv.ParseInt(s, 0, 64), or ParseUint when `unsigned`: an optional sign (ParseInt only), then
 * 0x/0X hex, 0o/0O or a leading 0 octal, 0b/0B binary, or decimal. Undefined when Go would fail,
 * including out of range.
 */
function goParseInt(s: string, unsigned: boolean): number | undefined {
  let i = 0;
  const sign = s.charCodeAt(0);
  const negative = sign === 45; /* - */
  if (sign === 43 /* + */ || negative) {
    if (unsigned) return undefined;
    i = 1;
  }
  let radix = 10;
  if (s.charCodeAt(i) === 48 /* 0 */ && s.length > i + 1) {
    const p = s[i + 1].toLowerCase();
    radix = p === 'x' ? 16 : p === 'b' ? 2 : 8;
    i += p === 'x' || p === 'o' || p === 'b' ? 2 : 1;
  }
  const digits = s.slice(i);
  if (!DIGITS[radix].test(digits)) return undefined;
  const n = parseInt(digits, radix);
  // Below 2^53 the float is exact and far from the limits; above it the range check needs exact arithmetic.
  if (n >= 2 ** 53) {
    const big = BigInt(`${radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : ''}${digits}`);
    if (big > (unsigned ? UINT64_MAX : negative ? INT64_MAX + 1n : INT64_MAX)) return undefined;
  }
  return negative ? -n : n;
}

/**
 * go-yaml v2's resolve() for plain scalars that start with a digit, a sign or a dot (sigs.k8s.io/yaml,
 * which kubeconform and Kubernetes use): underscores are dropped, then Go integer syntax, then
 * unsigned, then a YAML-style float. A float out of range is a Go parse error, so the text stays a string.
 */
function resolveNumeric(text: string): unknown {
  if (INFINITY.test(text)) return text.charCodeAt(0) === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (NAN.test(text)) return NaN;
  if (text.charCodeAt(0) === 46 /* . */) {
    if (!DOT_FLOAT.test(text)) return text;
    const f = parseFloat(text.replace(/_/g, ''));
    return Number.isFinite(f) ? f : text;
  }
  const plain = text.indexOf('_') >= 0 ? text.replace(/_/g, '') : text;
  const int = goParseInt(plain, false) ?? goParseInt(plain, true);
  if (int !== undefined) return int;
  if (FLOAT.test(plain)) {
    const f = parseFloat(plain);
    if (Number.isFinite(f)) return f;
  }
  return text;
}

/** The value of an unquoted scalar. */
export function resolvePlainScalar(text: string): unknown {
  if (text.length === 0) return null;
  const c = text.charCodeAt(0);
  // Digits, signs and dots can start numbers (".inf" too); a handful of letters start null/bool words.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return resolveNumeric(text);
  switch (c) {
    case 126: // ~
    case 110: // n
    case 78: // N
      if (NULL.test(text)) return null;
      if (FALSE.test(text)) return false;
      return text;
    case 121: // y
    case 89: // Y
    case 116: // t
    case 84: // T
      return TRUE.test(text) ? true : text;
    case 102: // f
    case 70: // F
      return FALSE.test(text) ? false : text;
    case 111: // o
    case 79: // O
      if (TRUE.test(text)) return true;
      if (FALSE.test(text)) return false;
      return text;
    default:
      return text;
  }
}

/** Whether an unquoted mapping key reads as a string (other keys go to the library for its stringification). */
export function isPlainStringKey(text: string): boolean {
  return typeof resolvePlainScalar(text) === 'string';
}
