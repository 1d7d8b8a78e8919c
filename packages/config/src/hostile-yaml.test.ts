import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aliasBomb, hostileVariant, randomYaml, seededRandom } from '@ck8s/testing';
import { formatConfigError } from './errors';
import { resolveEnvironment, type ConfigExtensions } from './loader';
import { parseSource } from './source';

/** A small component schema with a free-form map, so odd values can travel past the strict keys. */
const ext: ConfigExtensions = {
  components: z.strictObject({
    search: z.strictObject({ enabled: z.boolean().default(true), extra: z.record(z.string(), z.unknown()).default({}) }).prefault({}),
  }),
};

const GOOD = `version: 1
flavor: dev
provider: exoscale
domain: dev.example.com
git:
  url: ssh://git@example.com/platform.git
clusters:
  - name: mgmt
    role: management
  - name: apps
    role: workload
certificates:
  email: ops@example.com
components:
  search:
    extra: {a: 1}
`;
const OVERRIDES = 'provider: aws\ncomponents:\n  search:\n    enabled: false\n';
const CONFIG = 'environments/demo/config.yaml';
const FILES = [CONFIG, 'environments/demo/apps.yaml'];

/** Outcome of loading: a config, or errors that each name one of the environment's files. Never a throw. */
function loadWithin(files: Record<string, string>, ms: number): { ok: boolean; errors: string[] } {
  const started = performance.now();
  const result = resolveEnvironment('demo', files, ext);
  const took = performance.now() - started;
  expect(took, `loading took ${Math.round(took)} ms`).toBeLessThan(ms);
  if (result.environment) {
    expect(result.errors).toEqual([]);
    expect(() => JSON.stringify(result.environment)).not.toThrow();
    return { ok: true, errors: [] };
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(FILES, formatConfigError(e)).toContain(e.file);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.message.length).toBeGreaterThan(0);
  }
  return { ok: false, errors: result.errors.map(formatConfigError) };
}

describe('hostile YAML', () => {
  it('reports an alias bomb as a configuration error naming the file, quickly', () => {
    const r = loadWithin({ 'config.yaml': `${GOOD}${aliasBomb(9, 9)}` }, 2000);
    expect(r.errors).toEqual([expect.stringMatching(/^environments\/demo\/config\.yaml:18:\d+: aliases expand to too many values .*alias bomb/)]);
    const inOverrides = loadWithin({ 'config.yaml': GOOD, 'apps.yaml': aliasBomb(12, 4) }, 2000);
    expect(inOverrides.errors[0]).toMatch(/^environments\/demo\/apps\.yaml:\d+:\d+: aliases expand to too many values/);
  });

  it.each([
    ['an unresolved alias', 'x: *nowhere\n', /x?YAML could not be read: Unresolved alias/],
    [
      'a self-referencing anchor',
      'components:\n  search:\n    extra: &loop {again: *loop}\n',
      /extra\.again: an alias refers to a map or list that contains it/,
    ],
    ['binary data', 'components:\n  search:\n    extra: {blob: !!binary aGk=}\n', /extra\.blob: binary data or another tagged type is not a config value/],
    ['a timestamp', 'components:\n  search:\n    extra: {at: !!timestamp 2001-12-14}\n', /\.at: a timestamp is not a config value/],
    ['a set', 'components:\n  search:\n    extra: {s: !!set {a}}\n', /\.s: a set \(!!set\) is not a config value/],
    ['an ordered map', 'components:\n  search:\n    extra: {m: !!omap [a: 1]}\n', /\.m: an ordered map/],
    ['an infinite number', 'components:\n  search:\n    extra: {n: .inf}\n', /\.n: Infinity is not a usable number/],
    ['a __proto__ key', 'components:\n  search:\n    extra: {__proto__: {polluted: true}}\n', /extra\.__proto__: the key "__proto__" is not allowed/],
    ['a list as a key', 'components:\n  search:\n    extra: {? [a, b] : 1}\n', /map keys must be plain scalars/],
    ['an alias as a key', 'k: &k key\ncomponents:\n  search:\n    extra: {*k : 1}\n', /map keys must be plain scalars/],
    ['deep nesting', `components:\n  search:\n    extra: {deep: ${'['.repeat(200)}${']'.repeat(200)}}\n`, /nested more than 64 levels deep/],
  ])('reports %s in a config file at its place', (_, tail, expected) => {
    const text = `${GOOD.replace(/components:\n {2}search:\n {4}extra: \{a: 1\}\n/, '')}${tail}`;
    const r = loadWithin({ 'config.yaml': text }, 2000);
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(expected);
    expect(r.errors[0]).toMatch(/^environments\/demo\/config\.yaml:\d+:\d+: /);
  });

  it('never throws on a non-map document, whatever it is', () => {
    for (const text of ['', '~', '42', '- a', '!!binary aGk=', '"just a string"', '---\n...\n', '\ufeff']) {
      const r = parseSource('f.yaml', text);
      expect(r.source === undefined || typeof r.source.value === 'object').toBe(true);
      for (const e of r.errors) expect(e.file).toBe('f.yaml');
    }
  });

  // Property: for many seeded random and mutated inputs, loading ends in a valid config or in errors
  // naming the file, within the time bound, and never throws. A failure message carries the seed.
  const RUNS = Number(process.env.HOSTILE_YAML_RUNS ?? 250);
  it(`holds for ${RUNS} mutated configs and overrides files`, () => {
    let valid = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const rand = seededRandom(seed);
      const files: Record<string, string> =
        rand() < 0.7 ? { 'config.yaml': hostileVariant(GOOD, seed) } : { 'config.yaml': GOOD, 'apps.yaml': hostileVariant(OVERRIDES, seed) };
      try {
        if (loadWithin(files, 2000).ok) valid++;
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}\n--- input ---\n${JSON.stringify(files)}`, { cause: e });
      }
    }
    // The mutations must not be so destructive that nothing valid is ever left (the property would be one-sided).
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(RUNS);
  }, 120_000);

  it(`holds for ${RUNS} random YAML documents`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const text = randomYaml(seededRandom(seed * 7919));
      try {
        loadWithin({ 'config.yaml': text }, 2000);
        loadWithin({ 'config.yaml': GOOD, 'apps.yaml': text }, 2000);
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}\n--- input ---\n${JSON.stringify(text)}`, { cause: e });
      }
    }
  }, 120_000);
});
