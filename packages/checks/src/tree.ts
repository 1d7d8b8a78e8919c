import YAML from 'yaml';
import type { K8sObject } from '@ck8s/manifest';

/** The rendered files of one environment, keyed by repository-relative path. */
export type Tree = Map<string, string>;

export interface PlacedObject {
  object: K8sObject;
  file: string;
  /** 0-based document index in the file. */
  doc: number;
}

export function parseObjects(file: string, text: string): PlacedObject[] {
  return YAML.parseAllDocuments(text)
    .map((d, doc) => ({ object: d.toJS() as K8sObject, file, doc }))
    .filter((p) => p.object && typeof p.object === 'object' && typeof p.object.kind === 'string');
}

/** A value shared by every reader of one parse: frozen, so a reader that changed it would fail instead of misleading the next one. */
export function deepFreeze<T>(value: T): T {
  // Binary scalars (!!binary) become typed arrays, which cannot be frozen; nothing reads into them.
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface Parsed<T> {
  text: string;
  value?: T;
  error?: unknown;
}

/** One parse per file and tree, for all checks: the tree's texts are the key, so a file changed in place is parsed again. */
function memo<T>(cache: WeakMap<Tree, Map<string, Parsed<T>>>, tree: Tree, file: string, parse: (text: string) => T): T {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`${file} is not in the tree`);
  const files = cache.get(tree) ?? cache.set(tree, new Map()).get(tree)!;
  let hit = files.get(file);
  if (hit?.text !== text) {
    hit = { text };
    try {
      hit.value = parse(text);
    } catch (e) {
      hit.error = e;
    }
    deepFreeze(hit.value);
    files.set(file, hit);
  }
  if ('error' in hit) throw hit.error;
  return hit.value as T;
}

const objectsCache = new WeakMap<Tree, Map<string, Parsed<PlacedObject[]>>>();
const yamlCache = new WeakMap<Tree, Map<string, Parsed<unknown>>>();

/**
 * The objects of one file of the tree, as parseObjects finds them, parsed once however many checks read
 * them. They are shared and frozen: copy before changing. Placement (file, doc) comes fresh each call.
 */
export function objectsIn(tree: Tree, file: string): PlacedObject[] {
  const placed = memo(objectsCache, tree, file, (text) => parseObjects(file, text));
  return placed.map((p) => ({ ...p }));
}

/** `YAML.parse` of one file of the tree (one document; parse errors thrown), parsed once; shared and frozen like objectsIn. */
export function yamlIn<T = unknown>(tree: Tree, file: string): T {
  return memo(yamlCache, tree, file, (text) => YAML.parse(text) as unknown) as T;
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg && seg !== '.') out.push(seg);
  }
  return out.join('/');
}

/**
 * What a kustomization directory applies, read without running kustomize: resource files, nested
 * directories, and ConfigMaps from generators (by their pre-hash name, which is also how the rendered
 * references spell them). Patches are applied to objects that exist already, so they add none.
 */
export function objectsOfKustomization(tree: Tree, dir: string, seen = new Set<string>()): PlacedObject[] {
  const file = `${dir}/kustomization.yaml`;
  if (seen.has(dir) || !tree.has(file)) return [];
  seen.add(dir);
  const k = yamlIn<{ namespace?: string; resources?: string[]; configMapGenerator?: { name: string }[] }>(tree, file);
  const out: PlacedObject[] = [];
  for (const r of k.resources ?? []) {
    const path = normalise(`${dir}/${r}`);
    if (tree.has(path)) out.push(...objectsIn(tree, path));
    else out.push(...objectsOfKustomization(tree, path, seen));
  }
  for (const g of k.configMapGenerator ?? []) {
    out.push({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name } }, file, doc: 0 });
  }
  if (k.namespace) {
    for (const p of out)
      if (!p.object.metadata.namespace && !isClusterScoped(p.object)) p.object = { ...p.object, metadata: { ...p.object.metadata, namespace: k.namespace } };
  }
  return out;
}

/** Kinds kustomize's namespace transformer leaves alone, and the graph check treats as cluster-wide. */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ClusterIssuer',
  'ConstraintTemplate',
  'Tenant',
  'ClusterSecretStore',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'PersistentVolume',
  'Assign',
  'AssignMetadata',
  'ModifySet',
  'AssignImage',
  'ExpansionTemplate',
  'CapsuleConfiguration',
  'GlobalTenantResource',
]);

export function isClusterScoped(o: Pick<K8sObject, 'apiVersion' | 'kind'>): boolean {
  return CLUSTER_SCOPED.has(o.kind) || o.apiVersion.startsWith('constraints.gatekeeper.sh/');
}
