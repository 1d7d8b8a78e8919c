import { createTwoFilesPatch } from 'diff';
import { toYaml } from '@ck8s/manifest';
import type { Tree } from '../tree';
import { renderedObjects, type RenderedObject } from './objects';
import { pairObjects, type Pair } from './pairing';
import { describeSopsChange } from './sops';
import { valueChanges, type ValueChange } from './values';

export interface ObjectChange {
  env: string;
  cluster: string;
  component: string;
  kind: string;
  /** The object's ref after the change (before it, for a removed object). */
  ref: string;
  change: 'added' | 'removed' | 'changed';
  /** The old ref when the name changed with the content (a content-hash suffix). */
  renamedFrom?: string;
  /** How the renamed object was recognised. */
  pairedBy?: Pair['via'];
  /** The settings that changed (not the rename itself, nor references that follow it). */
  values: ValueChange[];
  /** For SOPS files: what changed, in words, without values. */
  sops?: string[];
  /** YAML diff of the object (changed objects only), without file headers. */
  diff?: string;
}

const yamlOf = (o: RenderedObject) => toYaml(o.body);

function patch(before: RenderedObject, after: RenderedObject): string {
  return createTwoFilesPatch(before.ref, after.ref, yamlOf(before), yamlOf(after), '', '', { context: 2 }).split('\n').slice(4).join('\n').trimEnd();
}

/** Object-level changes between two renders, sorted by environment, cluster, component, object. */
export function diffRendered(base: Tree, head: Tree): ObjectChange[] {
  const pairs = pairObjects(renderedObjects(base), renderedObjects(head));
  // A renamed object drags its new name into everything that refers to it: not a change of its own.
  const renames = new Set(pairs.filter((p) => p.via && p.before && p.after).map((p) => `${p.before!.name}\u0000${p.after!.name}`));
  const out: ObjectChange[] = [];
  for (const p of pairs) {
    const o = (p.after ?? p.before) as RenderedObject;
    const base = { env: o.env, cluster: o.cluster, component: o.component, kind: o.kind, ref: o.ref };
    if (!p.before) {
      out.push({ ...base, change: 'added', values: [] });
      continue;
    }
    if (!p.after) {
      out.push({ ...base, change: 'removed', values: [] });
      continue;
    }
    const sops = p.before.sops && p.after.sops ? describeSopsChange(p.before.sops, p.after.sops) : undefined;
    const same = yamlOf(p.before) === yamlOf(p.after);
    if (same && !sops?.length && p.before.ref === p.after.ref) continue;
    const values = valueChanges(p.before.body, p.after.body).filter((v) => !renames.has(`${v.before}\u0000${v.after}`));
    out.push({
      ...base,
      change: 'changed',
      renamedFrom: p.before.ref !== p.after.ref ? p.before.ref : undefined,
      pairedBy: p.via,
      values,
      sops: sops?.length ? sops : undefined,
      diff: same ? undefined : patch(p.before, p.after),
    });
  }
  const key = (c: ObjectChange) => `${c.env}\u0000${c.cluster}\u0000${c.component}\u0000${c.ref}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
