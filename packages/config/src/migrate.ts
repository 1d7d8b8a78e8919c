import { CONFIG_VERSION } from './schema';

/**
 * In-memory upgrades of older config files, keyed by the version they upgrade *from*.
 * Version 1 is the first schema, so there is nothing to migrate yet; a future v2 adds `1: (c) => ...`
 * here and the loader keeps accepting files written for v1.
 */
const MIGRATIONS: Record<number, (config: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrate(config: Record<string, unknown>): { config: Record<string, unknown>; problem?: string } {
  let version = config.version;
  if (version === undefined)
    return { config, problem: `missing required key (expected the number ${CONFIG_VERSION}); add "version: ${CONFIG_VERSION}" at the top` };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { config, problem: `expected a positive integer schema version, got ${JSON.stringify(version)}; use "version: ${CONFIG_VERSION}"` };
  }
  if (version > CONFIG_VERSION) {
    return {
      config,
      problem: `this file is written for schema version ${version}, but this checkout understands up to ${CONFIG_VERSION}; update the platform packages`,
    };
  }
  let out = config;
  while ((version as number) < CONFIG_VERSION) {
    out = { ...MIGRATIONS[version as number](out), version: (version as number) + 1 };
    version = out.version;
  }
  return { config: out };
}
