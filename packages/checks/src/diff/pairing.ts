import type { RenderedObject } from './objects';
import { changedStrings } from './values';

/** The same object in two renders; one side is missing for an added or removed object. */
export interface Pair {
  before?: RenderedObject;
  after?: RenderedObject;
  /** How a pair whose name changed was found: the name without its content hash, or an object referring to both. */
  via?: 'hash suffix' | 'reference';
}

/**
 * A name that ends in a digest of the content (`opensearch-configurer-b5e56975`, kustomize's
 * `-7g9k2m4b8t`) changes whenever the content does; without the suffix it is the object's identity.
 */
export function nameStem(name: string): string | undefined {
  const m = /^(.+)-(?:[0-9a-f]{8}|[bcdfghkmt2-9]{10})$/.exec(name);
  return m && /\d/.test(name.slice(m[1].length)) ? m[1] : undefined;
}

const scope = (o: RenderedObject) => `${o.env}\u0000${o.cluster}`;
const sameKind = (a: RenderedObject, b: RenderedObject) => scope(a) === scope(b) && a.kind === b.kind && a.namespace === b.namespace;
const family = (o: RenderedObject) => `${scope(o)}\u0000${o.component}\u0000${o.kind}\u0000${o.namespace}`;

/**
 * Pairs the objects of two renders: by identity first; then an object that disappeared with one
 * that appeared in the same place when their names differ only in a content hash; then, repeatedly,
 * two such objects when a paired object referred to the old name and now refers to the new one.
 */
export function pairObjects(base: Map<string, RenderedObject>, head: Map<string, RenderedObject>): Pair[] {
  const pairs: Pair[] = [];
  const removed = new Map<string, RenderedObject>();
  const added = new Map<string, RenderedObject>();
  for (const [k, before] of base) {
    const after = head.get(k);
    if (after) pairs.push({ before, after });
    else removed.set(k, before);
  }
  for (const [k, after] of head) if (!base.has(k)) added.set(k, after);

  const match = (r: string, a: string, via: Pair['via']) => {
    const p: Pair = { before: removed.get(r), after: added.get(a), via };
    removed.delete(r);
    added.delete(a);
    pairs.push(p);
    return p;
  };

  const byStem = (m: Map<string, RenderedObject>) => {
    const out = new Map<string, string[]>();
    for (const [k, o] of m) {
      const stem = nameStem(o.name);
      if (stem) out.set(`${family(o)}\u0000${stem}`, [...(out.get(`${family(o)}\u0000${stem}`) ?? []), k]);
    }
    return out;
  };
  const removedStems = byStem(removed);
  for (const [stem, adds] of byStem(added)) {
    const rems = removedStems.get(stem);
    if (rems?.length === 1 && adds.length === 1) match(rems[0], adds[0], 'hash suffix');
  }

  const queue = pairs.filter((p) => p.before && p.after);
  while (queue.length) {
    const p = queue.shift() as Required<Pick<Pair, 'before' | 'after'>>;
    for (const [from, to] of changedStrings(p.before.body, p.after.body)) {
      const r = [...removed].find(([, o]) => o.name === from && scope(o) === scope(p.before));
      if (!r) continue;
      const a = [...added].find(([, o]) => o.name === to && sameKind(o, r[1]));
      if (a) queue.push(match(r[0], a[0], 'reference') as Required<Pair>);
    }
  }
  for (const before of removed.values()) pairs.push({ before });
  for (const after of added.values()) pairs.push({ after });
  return pairs;
}
