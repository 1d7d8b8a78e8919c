import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { cachedJson, contentKey, forgetCachedJson, isPlainJson } from './json-cache';

describe('content-keyed JSON cache', () => {
  it('keys differ whenever the parts do, however they are split', () => {
    expect(contentKey('ab', 'c')).not.toBe(contentKey('a', 'bc'));
    expect(contentKey('a', undefined)).not.toBe(contentKey('a', ''));
    expect(contentKey('a', undefined)).not.toBe(contentKey('a'));
    expect(contentKey('x', 'y')).toBe(contentKey('x', 'y'));
  });

  it('knows what JSON keeps', () => {
    expect(isPlainJson({ a: [1, 'b', null, true, { c: 1.5 }] })).toBe(true);
    for (const v of [Infinity, NaN, undefined, new Date(0), new Map(), new Uint8Array(1), { a: undefined }, [() => 1]]) expect(isPlainJson(v)).toBe(false);
  });

  it('computes once per process and once per cache folder, and hands out frozen values', () => {
    const t = tempDir('ck8s-json-cache-');
    try {
      let runs = 0;
      const compute = () => {
        runs++;
        return { list: [1, 2], nested: { k: 'v' } };
      };
      forgetCachedJson();
      const key = contentKey('test', String(Date.now()));
      const first = cachedJson(t.dir, key, compute);
      expect(cachedJson(t.dir, key, compute)).toBe(first);
      forgetCachedJson();
      const fromDisk = cachedJson(t.dir, key, compute);
      expect(runs).toBe(1);
      expect(fromDisk).toEqual(first);
      expect(Object.isFrozen(fromDisk.nested)).toBe(true);
      expect(readdirSync(t.dir)).toEqual([`${key}.json`]);
      // No folder: memory only.
      expect(cachedJson(undefined, contentKey('other'), compute)).toEqual(first);
      expect(runs).toBe(2);
    } finally {
      t.cleanup();
    }
  });
});
