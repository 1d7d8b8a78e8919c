import { z } from 'zod';
import type { ConfigExtensions, Flavor } from '@ck8s/config';
import type { Component } from './lib/component';
import { settingsKey } from './lib/cluster-settings';
import { CORE_COMPONENTS } from './catalog/core';
import { MANAGEMENT_COMPONENTS } from './catalog/management';
import { SHARED_COMPONENTS } from './catalog/shared';
import { WORKLOAD_COMPONENTS } from './catalog/workload';

/**
 * Every component the platform knows, in a stable order (the render order of files and docs):
 * core plumbing, components on both roles, then management-only and workload-only ones.
 */
export const CATALOG: readonly Component[] = [...CORE_COMPONENTS, ...SHARED_COMPONENTS, ...MANAGEMENT_COMPONENTS, ...WORKLOAD_COMPONENTS];

/** What the config loader needs from the catalog: the `components` schema and flavor presets. */
export function configExtensions(catalog: readonly Component[] = CATALOG): ConfigExtensions {
  const shape: Record<string, z.ZodType> = {};
  const flavorDefaults: Partial<Record<Flavor, Record<string, unknown>>> = {};
  for (const c of catalog) {
    const key = settingsKey(c.name);
    shape[key] = c.settings.prefault({}).describe(c.description);
    for (const [flavor, preset] of Object.entries(c.defaults ?? {})) {
      (flavorDefaults[flavor as Flavor] ??= {})[key] = preset;
    }
  }
  return {
    components: z.strictObject(shape),
    componentFlavorDefaults: flavorDefaults,
    semanticChecks: (env, cluster) =>
      catalog
        .filter((c) => c.checkSettings && c.roles.includes(cluster.role))
        .flatMap((c) => {
          const key = settingsKey(c.name);
          const settings = componentSettings(c, cluster.settings.components);
          return (c.checkSettings?.(settings, env, cluster) ?? []).map((p) => ({ path: ['components', key, ...p.path], message: p.message }));
        }),
  };
}

export function componentSettings(c: Component, components: Record<string, unknown>): { enabled: boolean } & Record<string, unknown> {
  return components[settingsKey(c.name)] as { enabled: boolean } & Record<string, unknown>;
}
