import YAML from 'yaml';
import { objectRef, type K8sObject } from '@ck8s/manifest';
import { parseObjects, type Tree } from '../tree';
import { sopsInfo, withoutCiphertext, type SopsInfo } from './sops';

/** Where a reviewer places a rendered object: environment, cluster, component. */
export interface Place {
  env: string;
  cluster: string;
  component: string;
}

/** One rendered object (or a component's Helm values) as the diff compares it. */
export interface RenderedObject extends Place {
  file: string;
  kind: string;
  namespace: string;
  name: string;
  /** `Kind/namespace/name`, or `Kind <file>` for objects without a name. */
  ref: string;
  /** The object as compared: SOPS ciphertext replaced by a marker, the `sops` block left out. */
  body: unknown;
  /** Key/value structure of a SOPS file: which keys, which ciphertext, which recipients. */
  sops?: SopsInfo;
}

/** `clusters/<env>/<cluster>/components/<component>/…` → its parts; bases belong to every cluster. */
export function place(file: string): Place | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'clusters' || parts.length < 4) return undefined;
  const [, env, cluster] = parts;
  if (cluster === 'bases') return { env, cluster: '(shared bases)', component: parts[3] };
  if (parts[3] === 'components') return { env, cluster, component: parts[4] };
  const component = parts[3] === 'flux' ? 'flux wiring' : parts[3] === 'flux-system' ? 'flux-system' : '(cluster root)';
  return { env, cluster, component };
}

/** Every object of a rendered tree, keyed so the same object in two renders gets the same key. */
export function renderedObjects(tree: Tree): Map<string, RenderedObject> {
  const out = new Map<string, RenderedObject>();
  for (const [file, text] of tree) {
    const where = place(file);
    if (!where || !file.endsWith('.yaml')) continue;
    for (const o of objectsOf(file, text, where)) out.set(objectKey(o), o);
  }
  return out;
}

/** Identity of an object across renders: its place and ref (kustomization files by path, they have no name). */
export function objectKey(o: RenderedObject): string {
  return [o.env, o.cluster, o.component, o.ref, o.file.endsWith('kustomization.yaml') ? o.file : ''].join('\u0000');
}

function objectsOf(file: string, text: string, where: Place): RenderedObject[] {
  // values.yaml is not an object, but it is what reviewers read most: treat it as one.
  if (file.endsWith('/values.yaml')) {
    const body = YAML.parse(text) ?? {};
    return [{ ...where, file, kind: 'Values', namespace: '', name: where.component, ref: `Values/${where.component}`, body }];
  }
  return parseObjects(file, text).map(({ object }) => {
    const name = object.metadata?.name ?? '';
    const ref = name ? objectRef(object) : `${object.kind} ${file.split('/').slice(-2).join('/')}`;
    const sops = sopsInfo(object);
    const body = sops ? withoutCiphertext(object) : object;
    return { ...where, file, kind: object.kind, namespace: (object as K8sObject).metadata?.namespace ?? '', name, ref, body, sops };
  });
}
