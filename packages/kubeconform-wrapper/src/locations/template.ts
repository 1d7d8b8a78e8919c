import { join } from 'node:path';

/**
 * kubeconform's -schema-location values: Go-template paths or URLs filled in per resource.
 * The variables and their values mirror kubeconform's registry (pkg/registry), so the same
 * location strings find the same files under both engines.
 */

const KUBERNETES_LAYOUT = '{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json';

/** `-schema-location default`: the yannh/kubernetes-json-schema repository. */
export const DEFAULT_SCHEMA_LOCATION = `https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/${KUBERNETES_LAYOUT}`;

export interface TemplateVariables {
  NormalizedKubernetesVersion: string;
  StrictSuffix: string;
  ResourceKind: string;
  ResourceAPIVersion: string;
  Group: string;
  KindSuffix: string;
}

export interface SchemaLocation {
  /** The value as given on the command line. */
  given: string;
  /** The full template after kubeconform's expansions (default, bare folders). */
  template: string;
  /** http(s) locations are downloaded (and cached); anything else is a file path. */
  remote: boolean;
}

const ACTION = /\{\{-?\s*([^}]*?)\s*-?\}\}/g;
const KNOWN = new Set<string>(['NormalizedKubernetesVersion', 'StrictSuffix', 'ResourceKind', 'ResourceAPIVersion', 'Group', 'KindSuffix']);

/** Parses one -schema-location value; throws with kubeconform's wording when the template is unusable. */
export function parseSchemaLocation(given: string): SchemaLocation {
  let template = given;
  if (given === 'default') template = DEFAULT_SCHEMA_LOCATION;
  // Like kubeconform: a value not ending in "json" is a folder laid out like kubernetes-json-schema.
  else if (!given.endsWith('json')) template = `${given.replace(/\/+$/, '')}/${KUBERNETES_LAYOUT}`;
  for (const m of template.matchAll(ACTION)) {
    const field = m[1].startsWith('.') ? m[1].slice(1) : '';
    if (!KNOWN.has(field)) {
      throw new Error(`failed initialising schema location registry: template ${given}: unsupported action {{${m[1]}}}`);
    }
  }
  return { given, template, remote: /^https?:\/\//.test(template) };
}

/** kubeconform's rule, to the letter: "master" stays, anything else gets a "v" (so "1.36.0", not "v1.36.0"). */
function normalizeKubernetesVersion(version: string): string {
  return version === 'master' ? version : `v${version}`;
}

/** The template variables for one resource, computed exactly as kubeconform does. */
export function templateVariables(kind: string, apiVersion: string, kubernetesVersion: string, strict: boolean): TemplateVariables {
  const groupParts = apiVersion.split('/');
  const firstGroupLabel = groupParts[0].split('.')[0];
  let kindSuffix = '-' + firstGroupLabel.toLowerCase();
  if (groupParts.length > 1) kindSuffix += '-' + groupParts[1].toLowerCase();
  return {
    NormalizedKubernetesVersion: normalizeKubernetesVersion(kubernetesVersion),
    StrictSuffix: strict ? '-strict' : '',
    ResourceKind: kind.toLowerCase(),
    // For a core apiVersion ("v1") kubeconform's Group is "v1" too: there is no group part.
    ResourceAPIVersion: groupParts[groupParts.length - 1],
    Group: groupParts[0],
    KindSuffix: kindSuffix,
  };
}

export function expandTemplate(template: string, vars: TemplateVariables): string {
  return template.replace(ACTION, (_m, action: string) => vars[action.slice(1) as keyof TemplateVariables]);
}

/**
 * The two locations CI uses with the schemas kept next to the repository (../shared/schemas):
 * Kubernetes core kinds in kubeconform's standalone-strict layout and CRDs in the CRD catalog's
 * layout. Pair with kubernetesVersion "1.36.0" and strict.
 */
export function sharedSchemaLocations(sharedRoot: string): string[] {
  return [
    join(sharedRoot, 'schemas', 'kubernetes', '{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}', '{{.ResourceKind}}{{.KindSuffix}}.json'),
    join(sharedRoot, 'schemas', 'crds', '{{.Group}}', '{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
  ];
}
