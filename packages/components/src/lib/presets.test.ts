import { describe, expect, it } from 'vitest';
import { flavorPresets, PRODUCTION_FLAVORS } from './presets';
import { memoryBytes } from './resources';
import { testEnvironment } from '../testing';

describe('flavorPresets', () => {
  it('gives every production flavor the production preset and dev only its own', () => {
    expect(PRODUCTION_FLAVORS).toEqual(['prod', 'air-gapped']);
    const p = flavorPresets({ dev: { replicas: 1 }, production: { replicas: 2 } });
    expect(p).toEqual({ dev: { replicas: 1 }, prod: { replicas: 2 }, 'air-gapped': { replicas: 2 } });
  });

  it("merges a flavor's own entry over production: maps deeply, lists and scalars replace", () => {
    const p = flavorPresets({
      production: { sidekick: { replicas: 2, memory: '1Gi' }, days: ['mo', 'tu'] },
      'air-gapped': { sidekick: { replicas: 3 }, days: ['we'], rulesUpdates: false },
    });
    expect(p.prod).toEqual({ sidekick: { replicas: 2, memory: '1Gi' }, days: ['mo', 'tu'] });
    expect(p['air-gapped']).toEqual({ sidekick: { replicas: 3, memory: '1Gi' }, days: ['we'], rulesUpdates: false });
    expect(p.dev).toBeUndefined();
  });

  it('leaves out flavors it has nothing for, and shares no object between flavors', () => {
    expect(flavorPresets({})).toEqual({});
    expect(Object.keys(flavorPresets({ 'air-gapped': { a: 1 } }))).toEqual(['air-gapped']);
    const production = { nested: { a: 1 } };
    const p = flavorPresets({ production });
    (p.prod!.nested as { a: number }).a = 2;
    expect(p['air-gapped']).toEqual({ nested: { a: 1 } });
    expect(production.nested.a).toBe(1);
  });
});

describe('resource settings', () => {
  it('reads memory quantities in binary and decimal units', () => {
    expect(memoryBytes('1Gi')).toBe(1024 ** 3);
    expect(memoryBytes('512Mi')).toBe(512 * 1024 ** 2);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1.5Ki')).toBe(1536);
    expect(memoryBytes('1gb')).toBeNaN();
  });

  it('are overridable per environment, and bad sizes are reported with their key', () => {
    const env = testEnvironment({ config: { components: { dex: { resources: { cpu: '75m', memoryLimit: '1Gi' } } } } });
    expect(env.clusters[0].settings.components.dex).toMatchObject({ resources: { cpu: '75m', memory: '32Mi', memoryLimit: '1Gi' } });
    expect(() => testEnvironment({ config: { components: { dex: { resources: { memory: '256Mi', memoryLimit: '128Mi' } } } } })).toThrow(
      /config\.yaml:\d+:\d+: components\.dex\.resources\.memoryLimit: memory limit 128Mi is below the memory request 256Mi/,
    );
    expect(() => testEnvironment({ config: { components: { dex: { resources: { cpu: 'lots' } } } } })).toThrow(
      /components\.dex\.resources\.cpu: .*CPU quantity/,
    );
    expect(() => testEnvironment({ config: { components: { dex: { resources: { cpus: '1' } } } } })).toThrow(/components\.dex\.resources\.cpus: unknown key/);
  });
});
