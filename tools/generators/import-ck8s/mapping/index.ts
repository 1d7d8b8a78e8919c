import type { ClusterKind } from '../source/config-path';
import type { Area } from './area';
import { identity } from './identity';
import { logging } from './logging';
import { monitoring } from './monitoring';
import { platform } from './platform';
import { registryBackup, SCHEDULING } from './registry-backup';
import { security } from './security';
import { none, ruleFor, type Rule } from './types';

export type { Area } from './area';
export * from './types';
export { PROVIDER_OF } from './platform';

/** The areas in report order. */
export const AREAS: readonly Area[] = [platform, monitoring, logging, security, identity, registryBackup];

/** Every rule, in the order they are tried: each area's own, then placement catch-alls. */
export const MAPPING: readonly Rule[] = [...AREAS.flatMap((a) => a.rules), ...SCHEDULING];

/** A key no rule knows: not part of compliantkubernetes-apps v0.50's config (a typo or a local addition). */
export const UNKNOWN_KEY: Rule = none(
  '**',
  'not a key of compliantkubernetes-apps v0.50 that the importer knows (a local addition or a typo): not imported; carry it over by hand if it matters',
);

export function mappingRule(path: readonly string[], kind: ClusterKind): Rule {
  return ruleFor(MAPPING, path, kind) ?? UNKNOWN_KEY;
}

/** The area a key belongs to (by its top-level key); undefined for unknown top-level keys. */
export function areaOf(path: readonly string[]): Area | undefined {
  return AREAS.find((a) => a.roots.includes(path[0]));
}
