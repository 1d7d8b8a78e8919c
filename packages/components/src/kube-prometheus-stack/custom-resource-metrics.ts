import type { JsonObject } from '@ck8s/manifest';

/** Flux's kinds whose state the alerts watch, with their API group, version and plural. */
export const FLUX_KINDS = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories' },
] as const;

/** Gatekeeper's constraint kinds live in one API group; their plural is the lower-cased kind. */
export const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh';

/**
 * kube-state-metrics values for custom resources the alerts watch, merged into the chart's
 * `kube-state-metrics` values with read access to those kinds:
 * - Flux objects as `gotk_resource_info` (Flux's controllers no longer export per-object conditions):
 *   one series per object, labelled with its name, namespace (`exported_namespace`), Ready status and
 *   whether it is suspended;
 * - each Gatekeeper constraint's audit result as `gatekeeper_constraint_violations` (Gatekeeper's own
 *   metrics only count violations per enforcement action, not per constraint).
 */
export function customResourceMetrics(constraintKinds: readonly string[]): JsonObject {
  const fluxRules = [...new Set(FLUX_KINDS.map((k) => k.group))].map((group) => ({
    apiGroups: [group],
    resources: FLUX_KINDS.filter((k) => k.group === group).map((k) => k.plural),
    verbs: ['list', 'watch'],
  }));
  const constraintRules = constraintKinds.length
    ? [{ apiGroups: [CONSTRAINTS_GROUP], resources: constraintKinds.map((k) => k.toLowerCase()), verbs: ['list', 'watch'] }]
    : [];
  return {
    rbac: { extraRules: [...fluxRules, ...constraintRules] },
    customResourceState: {
      enabled: true,
      config: {
        spec: {
          resources: [
            ...FLUX_KINDS.map((k) => ({
              groupVersionKind: { group: k.group, version: k.version, kind: k.kind },
              metricNamePrefix: 'gotk',
              metrics: [
                {
                  name: 'resource_info',
                  help: `The state of a Flux ${k.kind}`,
                  each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
                  labelsFromPath: {
                    exported_namespace: ['metadata', 'namespace'],
                    ready: ['status', 'conditions', '[type=Ready]', 'status'],
                    suspended: ['spec', 'suspend'],
                  },
                },
              ],
            })),
            ...constraintKinds.map((kind) => ({
              groupVersionKind: { group: CONSTRAINTS_GROUP, version: 'v1beta1', kind },
              metricNamePrefix: 'gatekeeper_constraint',
              metrics: [
                {
                  name: 'violations',
                  help: `Violations the last Gatekeeper audit found for a ${kind} constraint`,
                  each: { type: 'Gauge', gauge: { path: ['status', 'totalViolations'] } },
                  labelsFromPath: { name: ['metadata', 'name'], enforcement_action: ['spec', 'enforcementAction'] },
                },
              ],
            })),
          ],
        },
      },
    },
  };
}
