import type { JsonObject, K8sObject } from '@ck8s/manifest';

/**
 * Images from a mirror (`mirrors.images`), for every component without knowing any chart's image
 * keys: Gatekeeper's mutating webhook rewrites the registry of every container image in every Pod
 * (containers, init containers, ephemeral containers) to the mirror, keeping the repository path and
 * the tag or digest. Gatekeeper's own images cannot pass through its webhook: its chart values name
 * the mirror directly.
 */

const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export function mirrorImages(mirror: string): K8sObject[] {
  return CONTAINER_FIELDS.map((field) => ({
    apiVersion: 'mutations.gatekeeper.sh/v1alpha1',
    kind: 'AssignImage',
    // Gatekeeper's mutator CRDs allow a name and nothing else in metadata (no labels).
    metadata: { name: `mirror-images-${field.toLowerCase()}` },
    spec: {
      applyTo: [{ groups: [''], kinds: ['Pod'], versions: ['v1'] }],
      location: `spec.${field}[name:*].image`,
      parameters: { assignDomain: mirror },
      match: { scope: 'Namespaced', kinds: [{ apiGroups: [''], kinds: ['Pod'] }] },
    },
  }));
}

/** Gatekeeper's own images (controller, CRD upgrade job) from the mirror. */
export function gatekeeperImageValues(mirror: string): JsonObject {
  return { image: { repository: `${mirror}/openpolicyagent/gatekeeper`, crdRepository: `${mirror}/openpolicyagent/gatekeeper-crds` } };
}
