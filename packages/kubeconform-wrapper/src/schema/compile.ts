import { encryptedValueType } from '../sops';
import { escapePointerSegment, jsonPointer } from '../yaml/document';
import { ASSERTED_FORMATS, BYTE_FORMAT } from './formats';

/**
 * A JSON Schema compiler for the subset Kubernetes schemas use (draft-04/07 as produced by
 * openapi2jsonschema and the CRD catalog). Each schema node becomes one closure, built once, so a
 * document is checked by plain function calls without re-reading the schema.
 *
 * Semantics follow kubeconform (santhosh-tekuri/jsonschema v6): `additionalProperties` is what makes a
 * schema strict, `nullable` and the `x-kubernetes-*` annotations are not assertions, and the draft (from
 * the root's `$schema`, draft-04 without one, as in kubeconform) decides the rest: before 2019-09 `$ref`
 * siblings are ignored and formats are asserted, from 2019-09 on `$ref` siblings apply and formats are
 * annotations; `const` exists from draft-06 on. Keywords outside the Kubernetes subset are ignored.
 */

export interface SchemaIssue {
  /** JSON pointer of the offending value ("" is the document root). */
  path: string;
  reason: string;
  /**
   * Set for an error found inside anyOf/oneOf/allOf/$ref: the pointer of that keyword's node, which is
   * where kubeconform's validator reports it (one error for the combinator, its details nested below).
   */
  group?: string;
}

export interface ValidationContext {
  errors: SchemaIssue[];
  /** Where the validator is; pushed and popped while descending, turned into a pointer only on error. */
  path: (string | number)[];
  /** The document is SOPS-encrypted: ENC[...] strings stand for values of the type they record. */
  sops: boolean;
}

export type Validator = (value: unknown, ctx: ValidationContext) => boolean;

export function newContext(sops = false): ValidationContext {
  return { errors: [], path: [], sops };
}

type SchemaObject = Record<string, unknown>;

// One bit per JSON type; "number" is integer | fraction so that 3 satisfies type: number.
const NULL = 1;
const BOOLEAN = 2;
const INTEGER = 4;
const FRACTION = 8;
const STRING = 16;
const ARRAY = 32;
const OBJECT = 64;
const NUMBER = INTEGER | FRACTION;

const TYPE_BITS: Record<string, number> = {
  null: NULL,
  boolean: BOOLEAN,
  integer: INTEGER,
  number: NUMBER,
  string: STRING,
  array: ARRAY,
  object: OBJECT,
};

function typeOf(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return STRING;
    case 'object':
      return v === null ? NULL : Array.isArray(v) ? ARRAY : OBJECT;
    case 'number':
      return Number.isInteger(v) ? INTEGER : FRACTION;
    case 'boolean':
      return BOOLEAN;
    default:
      return 0;
  }
}

function typeName(bit: number): string {
  switch (bit) {
    case NULL:
      return 'null';
    case BOOLEAN:
      return 'boolean';
    case INTEGER:
      return 'integer';
    case FRACTION:
      return 'number';
    case STRING:
      return 'string';
    case ARRAY:
      return 'array';
    case OBJECT:
      return 'object';
    default:
      return 'undefined';
  }
}

const ENCRYPTED_BITS: Record<string, number> = { string: STRING, integer: INTEGER, number: NUMBER, boolean: BOOLEAN };

const ACCEPT: Validator = () => true;

/** Marks the errors from `from` on as belonging to the combinator or $ref at the current node (the outermost one wins). */
function groupFrom(ctx: ValidationContext, from: number): void {
  if (ctx.errors.length === from) return;
  const here = jsonPointer(ctx.path);
  for (let i = from; i < ctx.errors.length; i++) ctx.errors[i].group = here;
}

export interface CompileOptions {
  /**
   * Treat `x-kubernetes-int-or-string` on an untyped node as "integer or string", as the API server does.
   * kubeconform ignores it, so schemas it would load leave this off; Gatekeeper template schemas turn it on.
   */
  kubernetesExtensions?: boolean;
}

/** The draft a schema's `$schema` names, the way v6 reads it; kubeconform's default is draft-04. */
export function draftOf(schema: unknown): number {
  const url = isObject(schema) && typeof schema.$schema === 'string' ? schema.$schema.replace(/#$/, '').replace(/^https?:\/\//, '') : '';
  switch (url) {
    case 'json-schema.org/schema':
    case 'json-schema.org/draft/2020-12/schema':
      return 2020;
    case 'json-schema.org/draft/2019-09/schema':
      return 2019;
    case 'json-schema.org/draft-07/schema':
      return 7;
    case 'json-schema.org/draft-06/schema':
      return 6;
    default:
      return 4;
  }
}

function isObject(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(ctx: ValidationContext, reason: string, child?: string | number): false {
  let path = jsonPointer(ctx.path);
  if (child !== undefined) path += '/' + escapePointerSegment(String(child));
  ctx.errors.push({ path, reason });
  return false;
}

/** A short rendering of a value for messages. */
function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (isObject(v))
    return (
      '{' +
      Object.keys(v)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonical(v[k]))
        .join(',') +
      '}'
    );
  return JSON.stringify(v) ?? 'undefined';
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonical(a) === canonical(b);
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function runAll(checks: Validator[]): Validator | undefined {
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (v, ctx) => {
    let ok = true;
    for (let i = 0; i < checks.length; i++) if (!checks[i](v, ctx)) ok = false;
    return ok;
  };
}

/** JSON pointer lookup for "#/definitions/x"-style references inside the same document. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`unsupported $ref "${ref}" (only references inside the schema are resolved)`);
  let node = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`$ref "${ref}" does not resolve`);
    node = (node as Record<string, unknown>)[seg];
    if (node === undefined) throw new Error(`$ref "${ref}" does not resolve`);
  }
  return node;
}

/**
 * Kubernetes patterns are Go (RE2) expressions; nearly all are valid JavaScript too. RE2's inline
 * "(?i)" has no JavaScript equivalent inside a pattern, so it is widened to the whole pattern: that
 * can only accept more, never reject a value Go accepts.
 */
function compilePattern(pattern: string): RegExp | undefined {
  const caseInsensitive = pattern.includes('(?i)');
  const source = caseInsensitive ? pattern.replace(/\(\?i\)/g, '') : pattern;
  const flags = caseInsensitive ? 'i' : '';
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch {
      return undefined; // an RE2-only construct: not checked rather than wrongly rejected
    }
  }
}

class Compiler {
  private readonly compiled = new Map<object, Validator>();
  /** Patterns JavaScript cannot compile; they are skipped. */
  readonly warnings: string[] = [];

  private readonly draft: number;

  constructor(
    private readonly root: unknown,
    private readonly options: CompileOptions = {},
  ) {
    this.draft = draftOf(root);
  }

  compile(schema: unknown): Validator {
    if (schema === false) return (_v, ctx) => fail(ctx, 'no value is allowed here');
    if (!isObject(schema)) return ACCEPT;
    let v = this.compiled.get(schema);
    if (!v) {
      v = this.build(schema);
      this.compiled.set(schema, v);
    }
    return v;
  }

  private build(s: SchemaObject): Validator {
    if (typeof s.$ref === 'string') {
      const target = resolvePointer(this.root, s.$ref);
      let compiled: Validator | undefined;
      // Compiled on first use, which also makes recursive definitions possible.
      const ref: Validator = (v, ctx) => {
        const from = ctx.errors.length;
        const ok = (compiled ??= this.compile(target))(v, ctx);
        if (!ok) groupFrom(ctx, from);
        return ok;
      };
      // Before 2019-09 everything beside a $ref is ignored; from then on it applies as well.
      if (this.draft < 2019) return ref;
      const { $ref: _ref, ...siblings } = s;
      const rest = this.build(siblings);
      return (v, ctx) => {
        const a = ref(v, ctx);
        return rest(v, ctx) && a;
      };
    }

    const declared = this.declaredTypes(s);
    const mask = declared.mask;
    const generic = runAll(this.genericChecks(s));
    const strings = runAll(this.stringChecks(s));
    const numbers = runAll(this.numberChecks(s));
    const objects = runAll(this.objectChecks(s));
    const arrays = runAll(this.arrayChecks(s));
    const combinators = runAll(this.combinatorChecks(s));
    const expected = declared.names.join(' or ');
    const typeError = (t: number, ctx: ValidationContext) => fail(ctx, `expected ${expected}, but got ${typeName(t)}`);
    const encryptedTypeError = (enc: string, ctx: ValidationContext) => fail(ctx, `encrypted value of type ${enc}, but expected ${expected}`);

    if (!generic && !strings && !numbers && !objects && !arrays) {
      if (mask === 0) return ACCEPT;
      return (v, ctx) => {
        const t = typeOf(v);
        if (t === STRING && ctx.sops) {
          const enc = encryptedValueType(v as string);
          if (enc !== undefined) return (mask & ENCRYPTED_BITS[enc]) !== 0 || encryptedTypeError(enc, ctx);
        }
        return (mask & t) !== 0 || typeError(t, ctx);
      };
    }

    return (v, ctx) => {
      const t = typeOf(v);
      if (t === STRING && ctx.sops) {
        const enc = encryptedValueType(v as string);
        if (enc !== undefined) {
          // The plaintext is unknown: only its recorded type and the combinators can be checked.
          if (mask !== 0 && (mask & ENCRYPTED_BITS[enc]) === 0) return encryptedTypeError(enc, ctx);
          return combinators ? combinators(v, ctx) : true;
        }
      }
      if (mask !== 0 && (mask & t) === 0) return typeError(t, ctx);
      let ok = generic ? generic(v, ctx) : true;
      switch (t) {
        case OBJECT:
          if (objects && !objects(v, ctx)) ok = false;
          break;
        case STRING:
          if (strings && !strings(v, ctx)) ok = false;
          break;
        case ARRAY:
          if (arrays && !arrays(v, ctx)) ok = false;
          break;
        case INTEGER:
        case FRACTION:
          if (numbers && !numbers(v, ctx)) ok = false;
          break;
      }
      return ok;
    };
  }

  private declaredTypes(s: SchemaObject): { mask: number; names: string[] } {
    const names = (typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : []).filter(
      (n): n is string => typeof n === 'string' && n in TYPE_BITS,
    );
    if (names.length === 0 && this.options.kubernetesExtensions && s['x-kubernetes-int-or-string'] === true && !s.anyOf && !s.oneOf) {
      names.push('integer', 'string');
    }
    return { mask: names.reduce((m, n) => m | TYPE_BITS[n], 0), names };
  }

  /** enum, const and the combinators: they apply whatever the value's type. */
  private genericChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    if (Array.isArray(s.enum)) {
      const values = s.enum;
      const list = values.map(show).join(', ');
      if (values.every((x) => x === null || typeof x !== 'object')) {
        const set = new Set(values);
        checks.push((v, ctx) => set.has(v) || fail(ctx, `must be one of ${list}, but got ${show(v)}`));
      } else {
        checks.push((v, ctx) => values.some((x) => deepEqual(x, v)) || fail(ctx, `must be one of ${list}, but got ${show(v)}`));
      }
    }
    if ('const' in s && this.draft >= 6) {
      const expected = s.const;
      checks.push((v, ctx) => deepEqual(expected, v) || fail(ctx, `must be ${show(expected)}, but got ${show(v)}`));
    }
    checks.push(...this.combinatorChecks(s));
    return checks;
  }

  private combinatorChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    if (Array.isArray(s.allOf)) {
      const all = s.allOf.map((b) => this.compile(b));
      checks.push((v, ctx) => {
        const from = ctx.errors.length;
        let ok = true;
        for (const b of all) if (!b(v, ctx)) ok = false;
        if (!ok) groupFrom(ctx, from);
        return ok;
      });
    }
    if (Array.isArray(s.anyOf)) checks.push(this.alternatives(s.anyOf, 'anyOf'));
    if (Array.isArray(s.oneOf)) checks.push(this.alternatives(s.oneOf, 'oneOf'));
    if ('not' in s) {
      const not = this.compile(s.not);
      checks.push((v, ctx) => !not(v, { errors: [], path: ctx.path, sops: ctx.sops }) || fail(ctx, 'must not match the schema in "not"'));
    }
    return checks;
  }

  /** anyOf / oneOf, with a message that points at the alternative the value was most likely meant for. */
  private alternatives(schemas: unknown[], keyword: 'anyOf' | 'oneOf'): Validator {
    const branches = schemas.map((b) => this.compile(b));
    const branchTypes = schemas.map((b) => (isObject(b) ? this.declaredTypes(b) : { mask: 0, names: [] }));
    const everyBranchTyped = branchTypes.every((t) => t.mask !== 0);
    const unionNames = [...new Set(branchTypes.flatMap((t) => t.names))];
    return (v, ctx) => {
      let matches = 0;
      const failures: SchemaIssue[][] = [];
      for (let i = 0; i < branches.length; i++) {
        const sub: ValidationContext = { errors: [], path: ctx.path, sops: ctx.sops };
        if (branches[i](v, sub)) {
          matches++;
          if (keyword === 'anyOf') return true;
        } else {
          failures.push(sub.errors);
        }
      }
      if (matches === 1) return true;
      if (matches > 1) return fail(ctx, `must match exactly one schema in oneOf, but matched ${matches}`);
      // Alternatives whose type fits the value failed on their details: show those details.
      const here = jsonPointer(ctx.path);
      const fitting = failures.filter((errs) => !errs.some((e) => e.path === here && e.reason.startsWith('expected ')));
      if (fitting.length === 1) {
        const from = ctx.errors.length;
        ctx.errors.push(...fitting[0]);
        groupFrom(ctx, from);
        return false;
      }
      let t = typeOf(v);
      if (t === STRING && ctx.sops) t = ENCRYPTED_BITS[encryptedValueType(v as string) ?? 'string'];
      if (fitting.length === 0 && everyBranchTyped) return fail(ctx, `expected ${unionNames.join(' or ')}, but got ${typeName(t)}`);
      return fail(ctx, keyword === 'anyOf' ? 'must match at least one schema in anyOf' : 'must match exactly one schema in oneOf, but matched none');
    };
  }

  private stringChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    const min = typeof s.minLength === 'number' ? s.minLength : undefined;
    const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    if (min !== undefined || max !== undefined) {
      checks.push((v, ctx) => {
        const str = v as string;
        // UTF-16 length bounds the code point count from above and, halved, from below.
        if (min !== undefined && str.length < 2 * min && codePoints(str) < min) {
          return fail(ctx, `length must be >= ${min}, but got ${codePoints(str)}`);
        }
        if (max !== undefined && str.length > max && codePoints(str) > max) {
          return fail(ctx, `length must be <= ${max}, but got ${codePoints(str)}`);
        }
        return true;
      });
    }
    if (typeof s.pattern === 'string') {
      const source = s.pattern;
      const re = compilePattern(source);
      if (re) checks.push((v, ctx) => re.test(v as string) || fail(ctx, `${show(v)} does not match pattern ${source}`));
      else this.warnings.push(`pattern not checked (not a JavaScript regular expression): ${source}`);
    }
    const format = typeof s.format === 'string' ? s.format : undefined;
    if (format === 'byte') {
      checks.push((v, ctx) => BYTE_FORMAT(v as string) || fail(ctx, `${show(v)} is not a valid base64 value (format: byte)`));
    } else if (format !== undefined && this.draft < 2019 && ASSERTED_FORMATS[format]) {
      const check = ASSERTED_FORMATS[format];
      checks.push((v, ctx) => check(v as string) || fail(ctx, `${show(v)} is not a valid ${format}`));
    }
    return checks;
  }

  private numberChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    const minimum = num('minimum');
    const maximum = num('maximum');
    // draft-04 spells exclusiveness as a boolean beside minimum/maximum, later drafts as a number.
    const exclusiveMin = s.exclusiveMinimum === true ? minimum : num('exclusiveMinimum');
    const exclusiveMax = s.exclusiveMaximum === true ? maximum : num('exclusiveMaximum');
    if (minimum !== undefined && s.exclusiveMinimum !== true) {
      checks.push((v, ctx) => (v as number) >= minimum || fail(ctx, `must be >= ${minimum}, but got ${show(v)}`));
    }
    if (maximum !== undefined && s.exclusiveMaximum !== true) {
      checks.push((v, ctx) => (v as number) <= maximum || fail(ctx, `must be <= ${maximum}, but got ${show(v)}`));
    }
    if (exclusiveMin !== undefined) {
      checks.push((v, ctx) => (v as number) > exclusiveMin || fail(ctx, `must be > ${exclusiveMin}, but got ${show(v)}`));
    }
    if (exclusiveMax !== undefined) {
      checks.push((v, ctx) => (v as number) < exclusiveMax || fail(ctx, `must be < ${exclusiveMax}, but got ${show(v)}`));
    }
    const multipleOf = num('multipleOf');
    if (multipleOf !== undefined && multipleOf > 0) {
      checks.push((v, ctx) => {
        const q = (v as number) / multipleOf;
        return Math.abs(q - Math.round(q)) < 1e-9 || fail(ctx, `must be a multiple of ${multipleOf}, but got ${show(v)}`);
      });
    }
    return checks;
  }

  private objectChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
    const properties: Record<string, Validator> = Object.create(null);
    let hasProperties = false;
    if (isObject(s.properties)) {
      for (const [k, sub] of Object.entries(s.properties)) {
        properties[k] = this.compile(sub);
        hasProperties = true;
      }
    }
    const patterns: [RegExp, Validator][] = [];
    if (isObject(s.patternProperties)) {
      for (const [p, sub] of Object.entries(s.patternProperties)) {
        const re = compilePattern(p);
        if (re) patterns.push([re, this.compile(sub)]);
        else this.warnings.push(`patternProperties key not checked (not a JavaScript regular expression): ${p}`);
      }
    }
    const additional = s.additionalProperties;
    const closed = additional === false;
    const additionalValidator = isObject(additional) && Object.keys(additional).length > 0 ? this.compile(additional) : undefined;

    if (required.length > 0) {
      checks.push((v, ctx) => {
        const o = v as Record<string, unknown>;
        let ok = true;
        for (let i = 0; i < required.length; i++) {
          if (o[required[i]] === undefined) ok = fail(ctx, `missing required field "${required[i]}"`);
        }
        return ok;
      });
    }
    if (hasProperties || patterns.length > 0 || closed || additionalValidator) {
      checks.push((v, ctx) => {
        const o = v as Record<string, unknown>;
        let ok = true;
        for (const key in o) {
          let matched = false;
          const pv = properties[key];
          if (pv !== undefined) {
            matched = true;
            ctx.path.push(key);
            if (!pv(o[key], ctx)) ok = false;
            ctx.path.pop();
          }
          for (let i = 0; i < patterns.length; i++) {
            if (!patterns[i][0].test(key)) continue;
            matched = true;
            ctx.path.push(key);
            if (!patterns[i][1](o[key], ctx)) ok = false;
            ctx.path.pop();
          }
          if (matched) continue;
          if (closed) {
            ok = fail(ctx, `unknown field "${key}" (additionalProperties false)`, key);
          } else if (additionalValidator) {
            ctx.path.push(key);
            if (!additionalValidator(o[key], ctx)) ok = false;
            ctx.path.pop();
          }
        }
        return ok;
      });
    }
    const minProps = typeof s.minProperties === 'number' ? s.minProperties : undefined;
    const maxProps = typeof s.maxProperties === 'number' ? s.maxProperties : undefined;
    if (minProps !== undefined || maxProps !== undefined) {
      checks.push((v, ctx) => {
        const n = Object.keys(v as object).length;
        if (minProps !== undefined && n < minProps) return fail(ctx, `must have at least ${minProps} properties, but has ${n}`);
        if (maxProps !== undefined && n > maxProps) return fail(ctx, `must have at most ${maxProps} properties, but has ${n}`);
        return true;
      });
    }
    return checks;
  }

  private arrayChecks(s: SchemaObject): Validator[] {
    const checks: Validator[] = [];
    if (Array.isArray(s.items)) {
      const tuple = s.items.map((b) => this.compile(b));
      const rest = s.additionalItems === false ? false : isObject(s.additionalItems) ? this.compile(s.additionalItems) : undefined;
      checks.push((v, ctx) => {
        const a = v as unknown[];
        let ok = true;
        for (let i = 0; i < a.length; i++) {
          const item = i < tuple.length ? tuple[i] : rest;
          if (item === false) {
            ok = fail(ctx, `no more than ${tuple.length} items are allowed`, i);
            continue;
          }
          if (!item) continue;
          ctx.path.push(i);
          if (!item(a[i], ctx)) ok = false;
          ctx.path.pop();
        }
        return ok;
      });
    } else if (s.items !== undefined && !(isObject(s.items) && Object.keys(s.items).length === 0)) {
      const item = this.compile(s.items);
      if (item !== ACCEPT) {
        checks.push((v, ctx) => {
          const a = v as unknown[];
          let ok = true;
          for (let i = 0; i < a.length; i++) {
            ctx.path.push(i);
            if (!item(a[i], ctx)) ok = false;
            ctx.path.pop();
          }
          return ok;
        });
      }
    }
    const minItems = typeof s.minItems === 'number' ? s.minItems : undefined;
    const maxItems = typeof s.maxItems === 'number' ? s.maxItems : undefined;
    if (minItems !== undefined) {
      checks.push((v, ctx) => (v as unknown[]).length >= minItems || fail(ctx, `must have at least ${minItems} items, but has ${(v as unknown[]).length}`));
    }
    if (maxItems !== undefined) {
      checks.push((v, ctx) => (v as unknown[]).length <= maxItems || fail(ctx, `must have at most ${maxItems} items, but has ${(v as unknown[]).length}`));
    }
    if (s.uniqueItems === true) {
      checks.push((v, ctx) => {
        const seen = new Map<string, number>();
        const a = v as unknown[];
        for (let i = 0; i < a.length; i++) {
          const key = canonical(a[i]);
          const first = seen.get(key);
          if (first !== undefined) return fail(ctx, `items ${first} and ${i} are equal, but items must be unique`);
          seen.set(key, i);
        }
        return true;
      });
    }
    return checks;
  }
}

export interface CompiledSchema {
  validate: Validator;
  /** Parts of the schema that could not be enforced (e.g. RE2-only patterns). */
  warnings: string[];
}

/** Compiles a whole schema document; `$ref`s resolve against it. Throws on unresolvable references. */
export function compileSchema(schema: unknown, options: CompileOptions = {}): CompiledSchema {
  const compiler = new Compiler(schema, options);
  const validate = compiler.compile(schema);
  return { validate, warnings: compiler.warnings };
}

/** Runs a compiled schema on a value and returns the issues (empty when valid). */
export function checkValue(validate: Validator, value: unknown, options: { sops?: boolean } = {}): SchemaIssue[] {
  const ctx = newContext(options.sops ?? false);
  validate(value, ctx);
  return ctx.errors;
}
