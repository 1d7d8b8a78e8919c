import type { K8sObject } from '@ck8s/manifest';

/**
 * The CRD Gatekeeper creates for a ConstraintTemplate: group constraints.gatekeeper.sh, cluster scoped,
 * kind = the template's spec.crd.spec.names.kind, plural and singular its lower case, served as v1beta1
 * (stored) and v1alpha1, a status subresource, and a schema whose spec holds `match` (which objects a
 * constraint applies to), `enforcementAction` (default deny), `scopedEnforcementActions` and `parameters`
 * (the template's openAPIV3Schema). Written from Gatekeeper's documented constraint API so the API
 * server validates the rendered constraints as a cluster with Gatekeeper would.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: str };

const labelSelector: Schema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: str },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: str, operator: str, values: strings },
      },
    },
  },
  'x-kubernetes-map-type': 'atomic',
};

/** `spec.match` of every constraint (Gatekeeper's Match type). */
export const MATCH_SCHEMA: Schema = {
  type: 'object',
  properties: {
    kinds: { type: 'array', items: { type: 'object', properties: { apiGroups: strings, kinds: strings } } },
    scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
    namespaces: strings,
    excludedNamespaces: strings,
    labelSelector,
    namespaceSelector: labelSelector,
    name: str,
    source: { type: 'string', enum: ['All', 'Generated', 'Original'] },
  },
};

export const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh';

interface TemplateSpec {
  crd?: { spec?: { names?: { kind?: string; shortNames?: string[] }; validation?: { openAPIV3Schema?: Schema; legacySchema?: boolean } } };
}

export function isConstraintTemplate(o: Pick<K8sObject, 'apiVersion' | 'kind'>): boolean {
  return o.kind === 'ConstraintTemplate' && o.apiVersion.startsWith('templates.gatekeeper.sh/');
}

export function constraintCrd(template: K8sObject): K8sObject {
  const names = (template.spec as TemplateSpec | undefined)?.crd?.spec?.names;
  const kind = names?.kind;
  if (!kind) throw new Error(`ConstraintTemplate/${template.metadata.name}: spec.crd.spec.names.kind is missing`);
  const validation = (template.spec as TemplateSpec).crd?.spec?.validation;
  const parameters: Schema | undefined = validation?.openAPIV3Schema
    ? { ...validation.openAPIV3Schema, ...(validation.legacySchema ? { 'x-kubernetes-preserve-unknown-fields': true } : {}) }
    : undefined;
  const schema: Schema = {
    type: 'object',
    properties: {
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } },
      spec: {
        type: 'object',
        properties: {
          match: MATCH_SCHEMA,
          enforcementAction: { type: 'string', default: 'deny' },
          scopedEnforcementActions: {
            type: 'array',
            items: { type: 'object', properties: { action: str, enforcementPoints: { type: 'array', items: { type: 'object', properties: { name: str } } } } },
          },
          ...(parameters ? { parameters } : {}),
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  const plural = kind.toLowerCase();
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    subresources: { status: {} },
    additionalPrinterColumns: [
      { name: 'enforcement-action', type: 'string', description: 'Type of enforcement action', jsonPath: '.spec.enforcementAction' },
      { name: 'total-violations', type: 'integer', description: 'Total number of violations', jsonPath: '.status.totalViolations' },
    ],
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${CONSTRAINTS_GROUP}`, labels: { ...(template.metadata.labels ?? {}), 'gatekeeper.sh/constraint': 'yes' } },
    spec: {
      group: CONSTRAINTS_GROUP,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: plural,
        categories: ['constraint', 'constraints'],
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      },
      scope: 'Cluster',
      versions: [version('v1beta1', true), version('v1alpha1', false)],
    },
  };
}
