import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadEnvironment, readRenderedEnvironment } from '@ck8s/render';
import { repoRoot } from '@ck8s/testing';
import { checkEgress } from './egress';
import { checkGraph } from './graph';
import { checkRenderedSecrets } from './secrets';
import { objectsIn, objectsOfKustomization, parseObjects, yamlIn, type Tree } from './tree';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: x\ndata:\n  k: v\n';

describe('one parse per file, shared by the checks', () => {
  it('reads the objects parseObjects reads, and the same ones again on a second call', () => {
    const tree: Tree = new Map([['a.yaml', `${CM}---\n# only a comment\n---\n${CM.replace('name: c', 'name: d')}`]]);
    const first = objectsIn(tree, 'a.yaml');
    expect(first).toEqual(parseObjects('a.yaml', tree.get('a.yaml')!));
    expect(first.map((p) => p.doc)).toEqual([0, 2]);
    const second = objectsIn(tree, 'a.yaml');
    expect(second).toEqual(first);
    expect(second[0].object).toBe(first[0].object);
    // The placement is the caller's to replace (objectsOfKustomization sets namespaces that way).
    expect(second[0]).not.toBe(first[0]);
  });

  it('parses again when a file of the tree changes in place, and never mixes up two trees', () => {
    const tree: Tree = new Map([['a.yaml', CM]]);
    expect(objectsIn(tree, 'a.yaml')[0].object.kind).toBe('ConfigMap');
    expect(checkRenderedSecrets(tree)).toEqual([]);
    tree.set('a.yaml', CM.replace('ConfigMap', 'Secret'));
    expect(objectsIn(tree, 'a.yaml')[0].object.kind).toBe('Secret');
    expect(checkRenderedSecrets(tree).map((f) => f.object)).toEqual(['Secret/x/c']);
    const other: Tree = new Map([['a.yaml', CM]]);
    expect(objectsIn(other, 'a.yaml')[0].object.kind).toBe('ConfigMap');
    expect(yamlIn<{ kind: string }>(tree, 'a.yaml').kind).toBe('Secret');
    expect(yamlIn<{ kind: string }>(other, 'a.yaml').kind).toBe('ConfigMap');
  });

  it('hands out frozen objects, so a reader cannot change what the next one reads', () => {
    const tree: Tree = new Map([['a.yaml', CM]]);
    const [{ object }] = objectsIn(tree, 'a.yaml');
    expect(() => {
      (object.metadata as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (yamlIn<{ data: Record<string, string> }>(tree, 'a.yaml').data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    expect(objectsIn(tree, 'a.yaml')[0].object.metadata.name).toBe('c');
  });

  it('throws the parse error of a broken file on every read, as YAML.parse does', () => {
    const tree: Tree = new Map([['bad.yaml', 'a: [1, 2\n']]);
    const direct = (() => {
      try {
        YAML.parse('a: [1, 2\n');
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(direct).toMatch(/Flow sequence/);
    expect(() => yamlIn(tree, 'bad.yaml')).toThrow(direct);
    expect(() => yamlIn(tree, 'bad.yaml')).toThrow(direct);
    expect(() => yamlIn(tree, 'missing.yaml')).toThrow(/not in the tree/);
  });

  it('a binary scalar (a typed array) is left as it is', () => {
    const tree: Tree = new Map([['b.yaml', 'apiVersion: v1\nkind: X\nmetadata:\n  name: b\ndata: !!binary aGVsbG8=\n']]);
    expect((objectsIn(tree, 'b.yaml')[0].object as unknown as { data: Uint8Array }).data).toBeInstanceOf(Uint8Array);
  });

  it('the checks on the committed example-prod report the same on a warm cache as on a cold one, and change no parsed object', () => {
    const env = loadEnvironment(repoRoot, 'example-prod');
    const run = (tree: Tree) =>
      env.clusters.flatMap((c) => {
        const root = `clusters/example-prod/${c.name}`;
        return [...checkGraph(tree, root, c.name), ...checkEgress(env.flavor, c, tree, root), ...checkRenderedSecrets(tree)];
      });
    const tree = readRenderedEnvironment(repoRoot, 'example-prod');
    const cold = run(tree);
    expect(run(tree)).toEqual(cold);
    // A copy of the tree is a new cache: the same findings again from fresh parses.
    expect(run(new Map(tree))).toEqual(cold);
    const root = `clusters/example-prod/${env.clusters[0].name}`;
    expect(objectsOfKustomization(tree, root).map((p) => p.object)).toEqual(objectsOfKustomization(new Map(tree), root).map((p) => p.object));
  });
});
