import { jsonPointer, type DuplicateKey, type ParsedYamlDocument } from './document';
import { isPlainStringKey, resolvePlainScalar } from './scalars';

/**
 * A parser for the block-style YAML that manifests are written in: block mappings and sequences,
 * plain and single-line quoted scalars, literal/folded block scalars, one-line flow collections and
 * comments. It exists because the general `yaml` library spends ~350 µs on a typical Deployment and
 * validation must run at thousands of documents per second.
 *
 * Anything outside that subset (anchors, tags, multi-line quoted or plain scalars, complex keys,
 * tabs, syntax errors, ...) makes it give up on the whole file; the caller then uses the library,
 * so the result is always what the library would produce. Tests compare both on the same inputs.
 */

/** Thrown to give up; a plain object so no stack trace is captured. */
const GIVE_UP = { giveUp: true };
function giveUp(): never {
  throw GIVE_UP;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const PIPE = 124;
const GT = 62;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const BACKSLASH = 92;

/** Characters that cannot start a plain scalar or plain key in block context. */
function isIndicator(c: number): boolean {
  switch (c) {
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case COMMA:
    case HASH:
    case 38:
    /* & */ case 42:
    /* * */ case 33:
    /* ! */ case PIPE:
    case GT:
    case 37:
    /* % */ case 64:
    /* @ */ case 96:
    /* ` */ case DQUOTE:
    case SQUOTE:
      return true;
    default:
      return false;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  if (line.charCodeAt(n) === TAB) giveUp();
  return n;
}

function countSpaces(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

function isSequenceEntry(line: string, ind: number): boolean {
  if (line.charCodeAt(ind) !== DASH) return false;
  const next = line.charCodeAt(ind + 1);
  if (next === TAB) giveUp();
  return ind + 1 === line.length || next === SPACE;
}

function isBlankOrComment(line: string): boolean {
  const n = countSpaces(line);
  return n === line.length || line.charCodeAt(n) === HASH || (line.charCodeAt(n) === TAB && line.trim() === '');
}

function trimSpacesEnd(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === SPACE) end--;
  return end === s.length ? s : s.slice(0, end);
}

const HEX = /^[0-9a-fA-F]+$/;

class DocumentParser {
  private i: number;
  private key = '';
  private scalar = '';
  private readonly path: string[] = [];
  readonly duplicates: DuplicateKey[] = [];
  /** A plain scalar resolved to .inf or .nan (see ParsedYamlDocument.nonFinite). */
  nonFinite = false;

  constructor(
    private readonly lines: string[],
    start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  parse(): unknown {
    if (this.next() === this.end) return null;
    const value = this.node(-1);
    if (this.next() !== this.end) giveUp();
    return value;
  }

  /** Moves to the next line with content (skipping blank and comment lines); returns its index or `end`. */
  private next(): number {
    const { lines, end } = this;
    let i = this.i;
    while (i < end) {
      const line = lines[i];
      const ind = indentOf(line);
      if (ind < line.length && line.charCodeAt(ind) !== HASH) break;
      i++;
    }
    this.i = i;
    return i;
  }

  /** The block node that starts on the current line at that line's indentation. */
  private node(parentIndent: number): unknown {
    const line = this.lines[this.i];
    const ind = indentOf(line);
    if (isSequenceEntry(line, ind)) return this.sequence(ind);
    if (this.scanKey(line, ind) >= 0) return this.mapping(ind);
    return this.inlineValue(line, ind, parentIndent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const { lines } = this;
    while (this.next() < this.end) {
      const line = lines[this.i];
      const ind = indentOf(line);
      if (ind < indent) break;
      if (ind > indent || isSequenceEntry(line, ind)) giveUp();
      const colon = this.scanKey(line, ind);
      if (colon < 0) giveUp();
      const key = this.key;
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        this.duplicates.push({ path: jsonPointer([...this.path, key]), key, line: this.i + 1 });
      }
      this.path.push(key);
      obj[key] = this.mappingValue(line, colon + 1, indent);
      this.path.pop();
    }
    return obj;
  }

  private mappingValue(line: string, p: number, indent: number): unknown {
    while (line.charCodeAt(p) === SPACE) p++;
    if (p < line.length && line.charCodeAt(p) !== HASH) return this.inlineValue(line, p, indent);
    this.i++;
    if (this.next() === this.end) return null;
    const next = this.lines[this.i];
    const ind = indentOf(next);
    if (ind > indent) return this.node(indent);
    // A sequence may sit at the same indentation as its key ("indentless", as kubectl writes it).
    if (ind === indent && isSequenceEntry(next, ind)) return this.sequence(indent);
    return null;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    const { lines } = this;
    while (this.next() < this.end) {
      const line = lines[this.i];
      const ind = indentOf(line);
      if (ind < indent) break;
      if (ind > indent) giveUp();
      if (!isSequenceEntry(line, ind)) break;
      this.path.push(String(items.length));
      let p = ind + 1;
      while (line.charCodeAt(p) === SPACE) p++;
      if (p === line.length || line.charCodeAt(p) === HASH) {
        this.i++;
        const hasChild = this.next() < this.end && indentOf(lines[this.i]) > indent;
        items.push(hasChild ? this.node(indent) : null);
      } else {
        // Blank out the "- " so the entry's own node starts at column p: a compact mapping
        // ("- name: x" followed by "  image: y") then parses like any other mapping.
        lines[this.i] = ' '.repeat(p) + line.slice(p);
        items.push(this.node(indent));
      }
      this.path.pop();
    }
    return items;
  }

  /**
   * If a mapping key starts at `ind`, stores it in `this.key` and returns the index of its colon;
   * otherwise returns -1.
   */
  private scanKey(line: string, ind: number): number {
    const c = line.charCodeAt(ind);
    if (c === DQUOTE || c === SQUOTE) {
      let p = c === DQUOTE ? this.doubleQuoted(line, ind) : this.singleQuoted(line, ind);
      while (line.charCodeAt(p) === SPACE) p++;
      if (line.charCodeAt(p) !== COLON) return -1;
      const after = line.charCodeAt(p + 1);
      if (after === TAB) giveUp();
      if (p + 1 !== line.length && after !== SPACE) return -1;
      if (this.scalar === '__proto__') giveUp();
      this.key = this.scalar;
      return p;
    }
    if (isIndicator(c) || c === 63 /* ? */ || c === COLON) return -1;
    let colon = line.indexOf(':', ind);
    while (colon >= 0) {
      const after = line.charCodeAt(colon + 1);
      if (colon + 1 === line.length || after === SPACE) break;
      if (after === TAB) giveUp();
      colon = line.indexOf(':', colon + 1);
    }
    if (colon < 0) return -1;
    const comment = line.indexOf(' #', ind);
    if (comment >= 0 && comment < colon) return -1;
    if (line.indexOf('\t', ind) >= 0 && line.indexOf('\t', ind) < colon) giveUp();
    const key = trimSpacesEnd(line.slice(ind, colon));
    // Keys that read as null/bool/number, merge keys and __proto__ are left to the library.
    if (key === '<<' || key === '__proto__' || !isPlainStringKey(key)) giveUp();
    this.key = key;
    return colon;
  }

  /** A value that starts at column p of the current line (after "key: " or "- "). */
  private inlineValue(line: string, p: number, parentIndent: number): unknown {
    const c = line.charCodeAt(p);
    let value: unknown;
    let after: number;
    switch (c) {
      case PIPE:
      case GT:
        return this.blockScalar(line, p, parentIndent);
      case DQUOTE:
        after = this.doubleQuoted(line, p);
        value = this.scalar;
        break;
      case SQUOTE:
        after = this.singleQuoted(line, p);
        value = this.scalar;
        break;
      case LBRACKET:
      case LBRACE: {
        const [v, q] = this.flowNode(line, p);
        value = v;
        after = q;
        break;
      }
      default: {
        if (isIndicator(c)) giveUp();
        const next = line.charCodeAt(p + 1);
        const separated = p + 1 === line.length || next === SPACE || next === TAB;
        if ((c === DASH || c === 63 /* ? */ || c === COLON) && separated) giveUp();
        let stop = line.indexOf(' #', p);
        if (stop < 0) stop = line.length;
        const text = trimSpacesEnd(line.slice(p, stop));
        if (text.indexOf('\t') >= 0 || text.indexOf(': ') >= 0 || text.endsWith(':')) giveUp();
        this.i++;
        this.expectNoContinuation(parentIndent);
        return this.plain(text);
      }
    }
    let q = after;
    while (line.charCodeAt(q) === SPACE) q++;
    if (q < line.length && (line.charCodeAt(q) !== HASH || q === after)) giveUp();
    this.i++;
    this.expectNoContinuation(parentIndent);
    return value;
  }

  /** A scalar ends at the end of its line here; a more-indented next line would continue it. */
  private expectNoContinuation(parentIndent: number): void {
    if (this.next() < this.end && indentOf(this.lines[this.i]) > parentIndent) giveUp();
  }

  /** Parses "..." starting at p; stores the value in `this.scalar`, returns the index after the quote. */
  private doubleQuoted(line: string, p: number): number {
    let q = p + 1;
    let seg = q;
    let out = '';
    for (;;) {
      if (q >= line.length) giveUp();
      const c = line.charCodeAt(q);
      if (c === DQUOTE) {
        this.scalar = out + line.slice(seg, q);
        return q + 1;
      }
      if (c !== BACKSLASH) {
        q++;
        continue;
      }
      out += line.slice(seg, q);
      const e = line[q + 1];
      let width = 2;
      switch (e) {
        case '0':
          out += '\0';
          break;
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 't':
        case '\t':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'v':
          out += '\v';
          break;
        case 'f':
          out += '\f';
          break;
        case 'r':
          out += '\r';
          break;
        case 'e':
          out += '\x1b';
          break;
        case ' ':
          out += ' ';
          break;
        case '"':
          out += '"';
          break;
        case '/':
          out += '/';
          break;
        case '\\':
          out += '\\';
          break;
        case 'N':
          out += '\u0085';
          break;
        case '_':
          out += '\u00a0';
          break;
        case 'L':
          out += '\u2028';
          break;
        case 'P':
          out += '\u2029';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = line.slice(q + 2, q + 2 + digits);
          if (hex.length !== digits || !HEX.test(hex)) giveUp();
          out += String.fromCodePoint(parseInt(hex, 16));
          width = 2 + digits;
          break;
        }
        default:
          giveUp(); // line continuation or an invalid escape
      }
      q += width;
      seg = q;
    }
  }

  private singleQuoted(line: string, p: number): number {
    let q = p + 1;
    let seg = q;
    let out = '';
    for (;;) {
      if (q >= line.length) giveUp();
      if (line.charCodeAt(q) === SQUOTE) {
        if (line.charCodeAt(q + 1) === SQUOTE) {
          out += line.slice(seg, q + 1);
          q += 2;
          seg = q;
          continue;
        }
        this.scalar = out + line.slice(seg, q);
        return q + 1;
      }
      q++;
    }
  }

  /** A flow collection or scalar inside one; must close on the same line. Returns [value, index after]. */
  private flowNode(line: string, p: number): [unknown, number] {
    while (line.charCodeAt(p) === SPACE) p++;
    const c = line.charCodeAt(p);
    if (c === LBRACKET) return this.flowSequence(line, p + 1);
    if (c === LBRACE) return this.flowMapping(line, p + 1);
    if (c === DQUOTE) return this.flowQuoted(line, p, true);
    if (c === SQUOTE) return this.flowQuoted(line, p, false);
    if (p >= line.length || isIndicator(c) || c === 63 /* ? */) giveUp();
    let q = p;
    for (; q < line.length; q++) {
      const d = line.charCodeAt(q);
      if (d === COMMA || d === LBRACKET || d === RBRACKET || d === LBRACE || d === RBRACE) break;
      if (d === COLON && (q + 1 === line.length || line.charCodeAt(q + 1) === SPACE)) break;
      if (d === HASH && line.charCodeAt(q - 1) === SPACE) giveUp();
      if (d === TAB) giveUp();
    }
    const text = trimSpacesEnd(line.slice(p, q));
    if (text === '') giveUp();
    return [this.plain(text), q];
  }

  private plain(text: string): unknown {
    const v = resolvePlainScalar(text);
    if (typeof v === 'number' && !Number.isFinite(v)) this.nonFinite = true;
    return v;
  }

  private flowQuoted(line: string, p: number, double: boolean): [unknown, number] {
    const q = double ? this.doubleQuoted(line, p) : this.singleQuoted(line, p);
    return [this.scalar, q];
  }

  private flowSequence(line: string, p: number): [unknown[], number] {
    const items: unknown[] = [];
    for (;;) {
      while (line.charCodeAt(p) === SPACE) p++;
      if (p >= line.length) giveUp();
      if (line.charCodeAt(p) === RBRACKET) return [items, p + 1];
      const [value, q] = this.flowNode(line, p);
      items.push(value);
      p = q;
      while (line.charCodeAt(p) === SPACE) p++;
      const c = line.charCodeAt(p);
      if (c === COMMA) p++;
      else if (c !== RBRACKET) giveUp(); // a "key: value" pair inside [...] or an unclosed sequence
    }
  }

  private flowMapping(line: string, p: number): [Record<string, unknown>, number] {
    const obj: Record<string, unknown> = {};
    for (;;) {
      while (line.charCodeAt(p) === SPACE) p++;
      if (p >= line.length) giveUp();
      if (line.charCodeAt(p) === RBRACE) return [obj, p + 1];
      const [key, afterKey] = this.flowNode(line, p);
      if (typeof key !== 'string' || key === '__proto__') giveUp();
      p = afterKey;
      while (line.charCodeAt(p) === SPACE) p++;
      if (line.charCodeAt(p) !== COLON) giveUp();
      p++;
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        this.duplicates.push({ path: jsonPointer([...this.path, key]), key, line: this.i + 1 });
      }
      while (line.charCodeAt(p) === SPACE) p++;
      const c = line.charCodeAt(p);
      let value: unknown = null;
      if (c !== COMMA && c !== RBRACE) {
        this.path.push(key);
        const [v, q] = this.flowNode(line, p);
        this.path.pop();
        value = v;
        p = q;
      }
      obj[key] = value;
      while (line.charCodeAt(p) === SPACE) p++;
      const d = line.charCodeAt(p);
      if (d === COMMA) p++;
      else if (d !== RBRACE) giveUp();
    }
  }

  /** "|" and ">" scalars with clip/strip/keep chomping and auto-detected indentation. */
  private blockScalar(line: string, p: number, parentIndent: number): string {
    const folded = line.charCodeAt(p) === GT;
    let chomp = 0; // 0 clip, -1 strip, 1 keep
    let q = p + 1;
    const c = line.charCodeAt(q);
    if (c === 43 /* + */) {
      chomp = 1;
      q++;
    } else if (c === DASH) {
      chomp = -1;
      q++;
    }
    const header = q;
    while (line.charCodeAt(q) === SPACE) q++;
    // Explicit indentation indicators and anything but a comment after the header go to the library.
    if (q < line.length && (line.charCodeAt(q) !== HASH || q === header)) giveUp();
    this.i++;
    const { lines, end } = this;
    let indent = -1;
    let longestBlank = 0;
    for (let k = this.i; k < end; k++) {
      const l = lines[k];
      const s = countSpaces(l);
      if (s === l.length) {
        if (s > longestBlank) longestBlank = s;
        continue;
      }
      indent = s;
      break;
    }
    if (indent <= parentIndent || longestBlank > indent) giveUp();
    const parts: string[] = [];
    let k = this.i;
    for (; k < end; k++) {
      const l = lines[k];
      const s = countSpaces(l);
      if (s === l.length) {
        if (s > indent) giveUp();
        parts.push('');
        continue;
      }
      if (s < indent) break;
      parts.push(l.slice(indent));
    }
    this.i = k;
    let last = parts.length;
    while (last > 0 && parts[last - 1] === '') last--;
    const trailing = parts.length - last;
    const body = last === parts.length ? parts : parts.slice(0, last);
    const text = folded ? fold(body) : body.join('\n');
    if (chomp < 0) return text;
    if (chomp === 0) return text + '\n';
    return text + '\n' + '\n'.repeat(trailing);
  }
}

/** Folding for ">" scalars: single breaks become spaces, n empty lines become n newlines. */
function fold(lines: string[]): string {
  let out = '';
  let empty = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === SPACE || c === TAB) giveUp(); // "more indented" lines keep their breaks: left to the library
    if (started) out += empty > 0 ? '\n'.repeat(empty) : ' ';
    else out += '\n'.repeat(empty);
    out += line;
    empty = 0;
    started = true;
  }
  return out;
}

interface DocumentBounds {
  startLine: number;
  endLine: number;
  start: number;
  end: number;
}

/** Where the documents of `text` sit: lines and character offsets, each without its `---` line. Gives up on directives. */
function documentBounds(text: string, lines: string[]): DocumentBounds[] {
  const bounds: DocumentBounds[] = [];
  let startLine = 0;
  let start = 0;
  let explicit = false;
  let hasContent = false;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charCodeAt(0) === DASH && line.startsWith('---') && (line.length === 3 || line.charCodeAt(3) === SPACE)) {
      const rest = line.slice(3).trim();
      if (rest !== '' && rest[0] !== '#') giveUp(); // content on the marker line
      if (explicit || hasContent) bounds.push({ startLine, endLine: i, start, end: offset });
      startLine = i + 1;
      start = Math.min(offset + line.length + 1, text.length);
      explicit = true;
      hasContent = false;
    } else if (line.startsWith('...') || line.charCodeAt(0) === 37 /* % directive */) {
      giveUp();
    } else if (!hasContent && !isBlankOrComment(line)) {
      hasContent = true;
    }
    offset += line.length + 1;
  }
  if (explicit || hasContent) bounds.push({ startLine, endLine: lines.length, start, end: text.length });
  return bounds;
}

function parseDocument(lines: string[], b: DocumentBounds): ParsedYamlDocument {
  const parser = new DocumentParser(lines, b.startLine, b.endLine);
  const value = parser.parse();
  return { value, duplicates: parser.duplicates, ...(parser.nonFinite ? { nonFinite: true } : {}), start: b.start, end: b.end };
}

/** Parses every document of `text`, or returns undefined when the text needs the full library. */
export function parseYamlFast(text: string): ParsedYamlDocument[] | undefined {
  if (text.indexOf('\r') >= 0 || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split('\n');
  try {
    return documentBounds(text, lines).map((b) => parseDocument(lines, b));
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/** One document of a file as parseYamlFastEach sees it: parsed, or left to the library (`parsed` undefined). */
export interface FastDocument extends DocumentBounds {
  parsed?: ParsedYamlDocument;
}

/**
 * Like parseYamlFast, but a document outside the fast subset leaves only itself to the library, not the
 * whole file (kustomize wraps long strings over several lines, which only the library reads). Undefined
 * when the file as a whole needs the library (directives, `...`, content on a `---` line, CR, BOM).
 */
export function parseYamlFastEach(text: string): FastDocument[] | undefined {
  if (text.indexOf('\r') >= 0 || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split('\n');
  let bounds: DocumentBounds[];
  try {
    bounds = documentBounds(text, lines);
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
  return bounds.map((b) => {
    try {
      return { ...b, parsed: parseDocument(lines, b) };
    } catch (e) {
      if (e === GIVE_UP) return { ...b };
      throw e;
    }
  });
}
