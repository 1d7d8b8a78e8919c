import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigError, readEnvironmentFiles, resolveEnvironment } from '@ck8s/config';
import { CATALOG, configExtensions } from '@ck8s/components';
import { hostileVariant, repoRoot, seededRandom } from '@ck8s/testing';
import { renderEnvironment } from './layout';
import { readSecretFiles } from './workspace';

/**
 * The loader's property test (packages/config) with the real catalog and the shipped example: mutated
 * config.yaml and overrides files end in a valid config that renders, or in configuration errors naming
 * one of the environment's files; nothing throws and nothing takes long.
 */
const ENV = 'example-prod';
const dir = join(repoRoot, 'environments', ENV);
const RUNS = Number(process.env.HOSTILE_YAML_RUNS ?? 120);

describe('hostile variants of example-prod', () => {
  const original = readEnvironmentFiles(dir);
  const secrets = readSecretFiles(dir);
  const ext = configExtensions();
  const names = Object.keys(original);

  it(`load to a config or to errors naming the file (${RUNS} seeds)`, () => {
    let valid = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const target = names[Math.floor(seededRandom(seed)() * names.length)];
      const files = { ...original, [target]: hostileVariant(original[target], seed) };
      try {
        const started = performance.now();
        const result = resolveEnvironment(ENV, files, ext);
        expect(performance.now() - started).toBeLessThan(3000);
        if (result.environment) {
          valid++;
          expect(() => renderEnvironment({ env: result.environment!, secrets }, CATALOG)).not.toThrow();
          continue;
        }
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors)
          expect(
            names.map((n) => `environments/${ENV}/${n}`),
            formatConfigError(e),
          ).toContain(e.file);
      } catch (e) {
        throw new Error(`seed ${seed} (${target}): ${(e as Error).message}\n--- ${target} ---\n${files[target]}`, { cause: e });
      }
    }
    expect(valid).toBeGreaterThan(0);
  }, 180_000);
});
