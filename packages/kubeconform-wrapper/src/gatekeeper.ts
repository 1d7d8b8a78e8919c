import { apiGroup } from '@ck8s/manifest';
import { compileSchema, type CompiledSchema } from './schema/compile';

/**
 * Gatekeeper constraints have no published schema: Gatekeeper generates a CRD per
 * ConstraintTemplate, whose spec.parameters schema is the template's openAPIV3Schema. So a
 * constraint is checked against the template that came with it in the same input set, plus a
 * built-in schema for what every constraint shares (match, enforcementAction).
 */

export const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh';

export function isConstraint(apiVersion: string): boolean {
  return apiGroup(apiVersion) === CONSTRAINTS_GROUP;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(obj: unknown, ...path: string[]): unknown {
  let node = obj;
  for (const p of path) node = isObject(node) ? node[p] : undefined;
  return node;
}

/**
 * An OpenAPI v3 (structural) schema as a JSON Schema: `nullable` becomes a "null" type and, when
 * strict, objects with properties reject unknown fields unless they preserve them, the convention
 * the shared CRD schemas follow too (the API server would silently prune such fields).
 */
export function structuralToJsonSchema(schema: unknown, strict: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => structuralToJsonSchema(s, strict));
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, structuralToJsonSchema(sub, strict)])) : v;
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = structuralToJsonSchema(v, strict);
    } else {
      out[k] = v;
    }
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (strict && isObject(out.properties) && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** The schema of a whole constraint whose parameters follow `parameters`. */
export function constraintSchema(parameters: unknown, strict: boolean): Json {
  const object = (properties: Json, extra: Json = {}): Json => ({
    type: 'object',
    properties,
    ...(strict ? { additionalProperties: false } : {}),
    ...extra,
  });
  const strings = { type: 'array', items: { type: 'string' } };
  const labelSelector = object({
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: object(
        { key: { type: 'string' }, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: strings },
        { required: ['key', 'operator'] },
      ),
    },
  });
  const match = object({
    kinds: { type: 'array', items: object({ apiGroups: strings, kinds: strings }) },
    scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
    namespaces: strings,
    excludedNamespaces: strings,
    labelSelector,
    namespaceSelector: labelSelector,
    name: { type: 'string' },
    source: { type: 'string', enum: ['All', 'Generated', 'Original'] },
  });
  const spec = object({
    match,
    enforcementAction: { type: 'string', enum: ['deny', 'dryrun', 'warn', 'scoped'] },
    scopedEnforcementActions: {
      type: 'array',
      items: object({ action: { type: 'string' }, enforcementPoints: { type: 'array', items: object({ name: { type: 'string' } }) } }),
    },
    parameters,
  });
  return object(
    {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      // Object metadata is the API server's business; only the name is required of a constraint.
      metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      spec,
      status: { type: 'object' },
    },
    { required: ['apiVersion', 'kind', 'metadata'] },
  );
}

export type ConstraintSchemaLookup = { status: 'found'; schema: CompiledSchema; source: string } | { status: 'missing' } | { status: 'error'; message: string };

interface TemplateEntry {
  template: Json;
  compiled: Map<boolean, CompiledSchema | Error>;
}

/** The ConstraintTemplates of one validated input set, by the constraint kind they define. */
export class ConstraintTemplates {
  private readonly byKind = new Map<string, TemplateEntry>();

  /** Remembers `doc` if it is a ConstraintTemplate; returns whether it was. */
  add(doc: Json): boolean {
    if (doc.kind !== 'ConstraintTemplate' || typeof doc.apiVersion !== 'string' || apiGroup(doc.apiVersion) !== 'templates.gatekeeper.sh') return false;
    const kind = at(doc, 'spec', 'crd', 'spec', 'names', 'kind');
    if (typeof kind === 'string' && !this.byKind.has(kind)) this.byKind.set(kind, { template: doc, compiled: new Map() });
    return true;
  }

  get size(): number {
    return this.byKind.size;
  }

  lookup(kind: string, strict: boolean): ConstraintSchemaLookup {
    const entry = this.byKind.get(kind);
    if (!entry) return { status: 'missing' };
    const source = `ConstraintTemplate ${String(at(entry.template, 'metadata', 'name') ?? kind)}`;
    let compiled = entry.compiled.get(strict);
    if (!compiled) {
      try {
        // Gatekeeper's CRD for the template is checked by the API server, which knows int-or-string.
        compiled = compileSchema(constraintSchema(parametersSchema(entry.template, strict), strict), { kubernetesExtensions: true });
      } catch (e) {
        compiled = e as Error;
      }
      entry.compiled.set(strict, compiled);
    }
    if (compiled instanceof Error) return { status: 'error', message: `${source} has an unusable parameters schema: ${compiled.message}` };
    return { status: 'found', schema: compiled, source };
  }
}

/**
 * The template's parameters schema as Gatekeeper applies it. Legacy schemas (the default before
 * templates.gatekeeper.sh/v1) and schemas preserving unknown fields accept any extra parameter.
 */
function parametersSchema(template: Json, strict: boolean): unknown {
  const validation = at(template, 'spec', 'crd', 'spec', 'validation');
  const openAPI = at(validation, 'openAPIV3Schema');
  if (!isObject(openAPI)) return {};
  const version = String(template.apiVersion).split('/')[1];
  const legacy = (at(validation, 'legacySchema') as boolean | undefined) ?? version !== 'v1';
  const open = legacy || openAPI['x-kubernetes-preserve-unknown-fields'] === true;
  return structuralToJsonSchema(openAPI, strict && !open);
}
