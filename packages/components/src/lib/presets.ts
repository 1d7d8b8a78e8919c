import { deepMerge, FLAVORS, type Flavor } from '@ck8s/config';

/** Some of a component's settings, as a flavor preset layers them (maps merge deeply, lists replace). */
export type Preset = Record<string, unknown>;

/** A component's presets per flavor: the flavor layer of the config (defaults ◀ flavor ◀ provider ◀ env ◀ cluster). */
export type FlavorPresets = Partial<Record<Flavor, Preset>>;

/** The flavors production presets apply to: every flavor but dev (air-gapped is prod without internet access). */
export const PRODUCTION_FLAVORS: readonly Flavor[] = FLAVORS.filter((f) => f !== 'dev');

export type PresetSpec = Partial<Record<Flavor | 'production', Preset>>;

/**
 * A component's flavor presets, written once: `production` holds what every production flavor shares
 * (HA replicas, headroom, longer retention); a flavor's own entry is merged over it. Every value a
 * flavor changes is a setting, so the config can see it, a user can override it and the catalog
 * lists it: render functions read settings, never the flavor.
 */
export function flavorPresets(spec: PresetSpec): FlavorPresets {
  const out: FlavorPresets = {};
  for (const flavor of FLAVORS) {
    const layers = [PRODUCTION_FLAVORS.includes(flavor) ? spec.production : undefined, spec[flavor]].filter((l): l is Preset => l !== undefined);
    if (layers.length) out[flavor] = deepMerge(...layers);
  }
  return out;
}
