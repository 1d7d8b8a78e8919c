import { apiGroup } from '@ck8s/manifest';

/**
 * Flux removed its beta APIs (v1beta1/v1beta2/v2beta1/v2beta2) on the way to 2.x GA. A manifest
 * still using one has no schema, and kubeconform only says "could not find schema"; this says
 * what to move to. The versions are those Flux 2.9's controllers serve.
 */
const SERVED_VERSIONS: Record<string, Record<string, string>> = {
  'helm.toolkit.fluxcd.io': { HelmRelease: 'v2' },
  'kustomize.toolkit.fluxcd.io': { Kustomization: 'v1' },
  'source.toolkit.fluxcd.io': { GitRepository: 'v1', HelmRepository: 'v1', HelmChart: 'v1', Bucket: 'v1', OCIRepository: 'v1' },
  'notification.toolkit.fluxcd.io': { Alert: 'v1beta3', Provider: 'v1beta3', Receiver: 'v1' },
  'image.toolkit.fluxcd.io': { ImageRepository: 'v1', ImagePolicy: 'v1', ImageUpdateAutomation: 'v1' },
};

const REMOVED_VERSIONS = new Set(['v1beta1', 'v1beta2', 'v2beta1', 'v2beta2']);

/** A one-line hint when `apiVersion` is a removed Flux API version, else undefined. */
export function removedFluxApiHint(apiVersion: string, kind: string): string | undefined {
  const group = apiGroup(apiVersion);
  if (!group.endsWith('.toolkit.fluxcd.io')) return undefined;
  const version = apiVersion.slice(group.length + 1);
  if (!REMOVED_VERSIONS.has(version)) return undefined;
  const served = SERVED_VERSIONS[group]?.[kind];
  const target = served ? `use ${group}/${served}` : 'see the Flux upgrade notes for the served version';
  return `${apiVersion} is a removed Flux API version; ${target}`;
}
