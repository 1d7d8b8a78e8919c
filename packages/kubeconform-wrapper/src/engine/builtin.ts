import { removedFluxApiHint } from '../flux-hints';
import { ConstraintTemplates, isConstraint } from '../gatekeeper';
import type { ParsedFile } from '../inputs';
import { type KindFilter, listItemSignatureOf, signatureOf, type Signature } from '../kinds';
import type { SchemaRegistry } from '../locations/registry';
import { newContext } from '../schema/compile';
import { isSopsEncrypted, withoutSopsBlock } from '../sops';
import type { ResourceResult } from '../types';
import type { ParsedYamlDocument } from '../yaml';

/** The in-process engine: kubeconform's decisions, in kubeconform's order, plus Gatekeeper and SOPS. */
export interface BuiltinEngineOptions {
  registry: SchemaRegistry;
  strict: boolean;
  skip: KindFilter;
  reject: KindFilter;
  ignoreMissingSchemas: boolean;
  /** Stop after the first invalid or failed resource (kubeconform -exit-on-error). */
  exitOnError?: boolean;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every ConstraintTemplate in the input set, so constraints can be checked whatever the file order. */
export function collectTemplates(files: ParsedFile[]): ConstraintTemplates {
  const templates = new ConstraintTemplates();
  for (const file of files) for (const doc of file.documents) if (isObject(doc.value)) templates.add(doc.value);
  return templates;
}

/** The kinds the files need schemas for (for downloading them up front). */
export function requiredSignatures(files: ParsedFile[]): { kind: string; apiVersion: string }[] {
  const out: { kind: string; apiVersion: string }[] = [];
  const visit = (v: unknown) => {
    if (!isObject(v) || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') return;
    if (v.kind.toLowerCase() === 'list' && Array.isArray(v.items)) v.items.forEach(visit);
    else if (!isConstraint(v.apiVersion)) out.push({ kind: v.kind, apiVersion: v.apiVersion });
  };
  for (const file of files) for (const doc of file.documents) visit(doc.value);
  return out;
}

export class BuiltinEngine {
  constructor(
    private readonly options: BuiltinEngineOptions,
    private readonly templates: ConstraintTemplates,
  ) {}

  validateFiles(files: ParsedFile[]): ResourceResult[] {
    const results: ResourceResult[] = [];
    for (const file of files) {
      if (file.readError) {
        results.push(result(file.filename, undefined, undefined, 'error', [{ path: '', reason: file.readError }]));
      } else {
        // An empty file still counts as read, as in kubeconform.
        if (file.documents.length === 0) results.push(result(file.filename, undefined, undefined, 'empty'));
        file.documents.forEach((doc, index) => results.push(...this.validateDocument(file.filename, index, doc)));
      }
      if (this.options.exitOnError && results.some((r) => r.status === 'invalid' || r.status === 'error')) break;
    }
    return results;
  }

  /**
   * One YAML document, in kubeconform's order of decisions: unreadable YAML, then (unless it is a List)
   * duplicate keys under -strict, then the signature, then -skip, -reject and the schema.
   */
  validateDocument(filename: string, index: number, doc: ParsedYamlDocument): ResourceResult[] {
    const unreadable = (reason: string, line?: number) => [
      result(filename, index, undefined, 'error', [{ path: '', reason: `error unmarshalling resource: ${reason}`, line }]),
    ];
    if (doc.error) return unreadable(doc.error.message, doc.error.line);
    if (doc.nonFinite) return unreadable('.inf and .nan have no JSON form');
    if (doc.value === null || doc.value === undefined) return [result(filename, index, undefined, 'empty')];
    if (!isObject(doc.value)) return unreadable('the document is not a mapping');
    const sig = signatureOf(doc.value);
    const known = typeof sig === 'string' ? undefined : sig;
    // kubeconform splits a List before anything else, reading it leniently and each item on its own
    // (re-serialized, so duplicate keys inside a List are never seen). Without an `items` list there is nothing.
    if (known && known.kind.toLowerCase() === 'list') {
      const items = Array.isArray(doc.value.items) ? doc.value.items : [];
      return items.map((item, i) => {
        const r = this.validateListItem(item, filename, index);
        r.listItem = i;
        return r;
      });
    }
    if (this.options.strict && doc.duplicates.length > 0) {
      const errors = doc.duplicates.map((d) => ({ path: d.path, reason: `duplicate key "${d.key}" (line ${d.line})`, line: d.line }));
      return [result(filename, index, known, 'error', errors)];
    }
    if (typeof sig === 'string') return [result(filename, index, undefined, 'error', [{ path: '', reason: `error while parsing: ${sig}` }])];
    return [this.validateObject(doc.value, sig, filename, index)];
  }

  private validateListItem(item: unknown, filename: string, index: number): ResourceResult {
    if (item === null || item === undefined) return result(filename, index, undefined, 'empty');
    if (!isObject(item)) {
      return result(filename, index, undefined, 'error', [{ path: '', reason: 'error unmarshalling resource: the list item is not a mapping' }]);
    }
    const sig = listItemSignatureOf(item);
    if (typeof sig === 'string') return result(filename, index, undefined, 'error', [{ path: '', reason: `error while parsing: ${sig}` }]);
    return this.validateObject(item, sig, filename, index);
  }

  private validateObject(obj: Json, sig: Signature, filename: string, index: number): ResourceResult {
    const { skip, reject, strict, ignoreMissingSchemas, registry } = this.options;
    if (skip.matches(sig.kind, sig.apiVersion)) return result(filename, index, sig, 'skipped');
    if (reject.matches(sig.kind, sig.apiVersion)) {
      return result(filename, index, sig, 'error', [{ path: '', reason: `prohibited resource kind ${sig.kind}` }]);
    }
    const encrypted = isSopsEncrypted(obj);
    const target = encrypted ? withoutSopsBlock(obj) : obj;
    const constraint = isConstraint(sig.apiVersion);
    const lookup = constraint ? this.templates.lookup(sig.kind, strict) : registry.lookup(sig.kind, sig.apiVersion);

    if (lookup.status === 'error') return result(filename, index, sig, 'error', [{ path: '', reason: lookup.message }]);
    if (lookup.status === 'missing') {
      const hint = constraint ? undefined : removedFluxApiHint(sig.apiVersion, sig.kind);
      if (ignoreMissingSchemas) return result(filename, index, sig, 'skipped', [], hint ? [hint] : []);
      const reason = constraint ? `no ConstraintTemplate for kind ${sig.kind}` : `could not find schema for ${sig.kind}${hint ? ` (${hint})` : ''}`;
      return result(filename, index, sig, 'error', [{ path: '', reason }]);
    }
    const ctx = newContext(encrypted);
    lookup.schema.validate(target, ctx);
    return result(filename, index, sig, ctx.errors.length > 0 ? 'invalid' : 'valid', ctx.errors);
  }
}

function result(
  filename: string,
  document: number | undefined,
  sig: Signature | undefined,
  status: ResourceResult['status'],
  errors: ResourceResult['errors'] = [],
  warnings: string[] = [],
): ResourceResult {
  return {
    filename,
    document,
    kind: sig?.kind ?? '',
    apiVersion: sig?.apiVersion ?? '',
    namespace: sig?.namespace ?? '',
    name: sig?.name ?? '',
    status,
    errors,
    warnings,
  };
}
