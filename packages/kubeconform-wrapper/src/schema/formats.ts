/**
 * `format` checks. kubeconform's validator (santhosh-tekuri/jsonschema v6) asserts formats only in schemas
 * of drafts before 2019-09 (CRD catalog schemas have no `$schema`, which kubeconform reads as draft-04);
 * in later drafts (the core schemas say "http://json-schema.org/schema#", the latest) a format is an
 * annotation. ASSERTED_FORMATS follow v6's rules for the formats Kubernetes schemas use, and `duration`
 * follows kubeconform's own (a Go duration or an ISO 8601 one).
 *
 * `byte` (base64) is different: kubeconform never checks it, the builtin engine always does, because the
 * API server rejects a Secret whose data is not base64 (see the README's "Intended differences").
 */

export type FormatCheck = (value: string) => boolean;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Secret.data and friends; Go's decoder skips line breaks, so base64 wrapped over several lines is accepted too. */
export const BYTE_FORMAT: FormatCheck = (v) => BASE64.test(v.indexOf('\n') >= 0 ? v.replace(/\r?\n/g, '') : v);

/** Go's strconv.Atoi on what v6 hands it: an optional sign and decimal digits. */
function atoi(s: string): number | undefined {
  return /^[-+]?[0-9]+$/.test(s) ? parseInt(s, 10) : undefined;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Go's time.Parse("2006-01-02", s). */
function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year);
}

/** RFC 3339 full-time as v6 checks it: hh:mm:ss[.frac](Z|±hh:mm), a leap second only at 23:59 UTC. */
function isTime(str: string): boolean {
  if (str.length < 9 || str[2] !== ':' || str[5] !== ':') return false;
  const hms = str.slice(0, 8).split(':').map(atoi);
  if (hms.some((n) => n === undefined || n < 0)) return false;
  let [h, m] = hms as number[];
  const s = hms[2] as number;
  if (h > 23 || m > 59 || s > 60) return false;
  let rest = str.slice(8);
  if (rest.startsWith('.')) {
    const digits = /^[0-9]*/.exec(rest.slice(1))![0].length;
    if (digits === 0) return false;
    rest = rest.slice(1 + digits);
  }
  if (rest !== 'z' && rest !== 'Z') {
    if (rest.length !== 6 || (rest[0] !== '+' && rest[0] !== '-') || rest[3] !== ':') return false;
    const zh = atoi(rest.slice(1, 3));
    const zm = atoi(rest.slice(4));
    if (zh === undefined || zm === undefined || zh < 0 || zm < 0 || zh > 23 || zm > 59) return false;
    let hm = h * 60 + m + (rest[0] === '+' ? -1 : 1) * (zh * 60 + zm);
    if (hm < 0) hm += 24 * 60;
    h = Math.floor(hm / 60);
    m = hm % 60;
  }
  return s < 60 || (h === 23 && m === 59);
}

function isDateTime(s: string): boolean {
  return s.length >= 20 && (s[10] === 'T' || s[10] === 't') && isDate(s.slice(0, 10)) && isTime(s.slice(11));
}

const GO_DURATION = /^[-+]?(?:0|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const NANOSECONDS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, which also fails beyond about 292 years. */
function isGoDuration(s: string): boolean {
  if (!GO_DURATION.test(s)) return false;
  let total = 0;
  for (const m of s.matchAll(/([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * NANOSECONDS[m[2]];
  return total <= 2 ** 63 - 1;
}

/** kubeconform's validateDuration: a Go duration, else ISO 8601 (PnW, or PnYnMnD with an optional TnHnMnS part, units in order). */
function isDuration(value: string): boolean {
  if (isGoDuration(value)) return true;
  if (!value.startsWith('P') || value.length === 1) return false;
  const s = value.slice(1);
  if (s.endsWith('W')) return /^[0-9]+$/.test(s.slice(0, -1));
  const parts = s.split('T');
  if (parts.length > 2) return false;
  const allUnits = ['YMD', 'HMS'];
  for (let i = 0; i < parts.length; i++) {
    if (i !== 0 && parts[i] === '') return false;
    let units = allUnits[i];
    let rest = parts[i];
    while (rest !== '') {
      const digits = /^[0-9]*/.exec(rest)![0].length;
      if (digits === 0 || digits === rest.length) return false;
      const j = units.indexOf(rest[digits]);
      if (j < 0) return false;
      units = units.slice(j + 1);
      rest = rest.slice(digits + 1);
    }
  }
  return true;
}

function isIPv4(s: string): boolean {
  const groups = s.split('.');
  if (groups.length !== 4) return false;
  return groups.every((g) => {
    if (g.length > 1 && g[0] === '0') return false;
    const n = atoi(g);
    return n !== undefined && n >= 0 && n <= 255;
  });
}

/** netip.ParseAddr for an address with a colon, without a zone: hex groups, one "::", an optional dotted IPv4 tail. */
function isIPv6(s: string): boolean {
  if (s.indexOf(':') < 0 || s.indexOf('%') >= 0) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (halves[h] === '') continue;
    const parts = halves[h].split(':');
    for (let i = 0; i < parts.length; i++) {
      const last = h === halves.length - 1 && i === parts.length - 1;
      if (last && parts[i].indexOf('.') >= 0) {
        if (!isIPv4(parts[i])) return false;
        groups += 2;
      } else if (/^[0-9a-fA-F]{1,4}$/.test(parts[i])) groups++;
      else return false;
    }
  }
  return halves.length === 2 ? groups < 8 : groups === 8;
}

function isUuid(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

function isHostname(value: string): boolean {
  const s = value.endsWith('.') ? value.slice(0, -1) : value;
  if (s.length > 253) return false;
  return s.split('.').every((l) => l.length >= 1 && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-') && /^[A-Za-z0-9-]+$/.test(l));
}

/** The formats asserted in pre-2019 drafts. Others kubeconform knows (email, uri, regex, ...) are not checked here. */
export const ASSERTED_FORMATS: Record<string, FormatCheck> = {
  'date-time': isDateTime,
  date: isDate,
  time: isTime,
  duration: isDuration,
  ipv4: isIPv4,
  ipv6: isIPv6,
  uuid: isUuid,
  hostname: isHostname,
};
