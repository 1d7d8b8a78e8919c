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
  const k = YAML.parse(tree.get(file) as string) as { namespace?: string; resources?: string[]; configMapGenerator?: { name: string }[] };
  const out: PlacedObject[] = [];
  for (const r of k.resources ?? []) {
    const path = normalise(`${dir}/${r}`);
    if (tree.has(path)) out.push(...parseObjects(path, tree.get(path) as string));
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
