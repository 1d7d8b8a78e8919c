import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, toYaml, toYamlDocuments } from './yaml';

describe('toYaml', () => {
  it('puts apiVersion, kind and metadata first and sorts labels', () => {
    const text = toYaml({ spec: { a: 1 }, metadata: { labels: { z: '1', a: '2' }, name: 'x' }, kind: 'ConfigMap', apiVersion: 'v1' });
    expect(text).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: "2"\n    z: "1"\nspec:\n  a: 1\n');
  });

  it('quotes YAML 1.1 booleans so go-yaml reads them as strings', () => {
    const text = toYaml({ a: 'yes', b: 'on', c: 'y' });
    expect(parseYamlDocuments(text)).toEqual([{ a: 'yes', b: 'on', c: 'y' }]);
    expect(text).not.toMatch(/: yes$/m);
  });

  it('drops undefined fields and keeps nulls', () => {
    expect(toYaml({ a: undefined, b: null, c: [1, undefined] })).toBe('b: null\nc:\n  - 1\n');
  });

  it('separates documents with ---', () => {
    expect(toYamlDocuments([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });
});
