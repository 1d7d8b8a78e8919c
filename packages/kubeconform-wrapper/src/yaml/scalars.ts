/**
 * Plain-scalar resolution with YAML 1.1 rules, the way Kubernetes and kubeconform read manifests
 * (go-yaml via sigs.k8s.io/yaml): `yes`/`on` are booleans, `017` is octal. Timestamps and base-60
 * numbers stay strings, as go-yaml hands them over when decoding into untyped maps. The tests keep
 * this in step with the `yaml` library configured by `libraryParseOptions` (the fallback parser).
 */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_DEC = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

function parseInteger(text: string, prefixLength: number, radix: number): number {
  const sign = text[0];
  const offset = sign === '-' || sign === '+' ? prefixLength + 1 : prefixLength;
  const n = parseInt(text.substring(offset).replace(/_/g, ''), radix);
  return sign === '-' ? -1 * n : n;
}

function resolveNumeric(text: string): unknown {
  if (INT_BIN.test(text)) return parseInteger(text, 2, 2);
  if (INT_OCT.test(text)) return parseInteger(text, 1, 8);
  if (INT_DEC.test(text)) return parseInteger(text, 0, 10);
  if (INT_HEX.test(text)) return parseInteger(text, 2, 16);
  if (FLOAT_SPECIAL.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text.replace(/_/g, ''));
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
