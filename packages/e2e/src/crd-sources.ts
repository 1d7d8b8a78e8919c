import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { K8sObject } from '@ck8s/manifest';

/**
 * Where the CRDs a chart installs come from: the upstream CRD files of the pinned versions in
 * ../shared/crds/<source>/<version>/ (see its SOURCE.md). No controller runs in the end-to-end test, so
 * what helm-controller would install with a HelmRelease is installed from here instead; a chart pinned at
 * a version whose CRDs are not there is an error, so a chart bump without new CRDs fails loudly.
 */
export interface ChartCrdSource {
  /** Folder name under shared/crds. */
  source: string;
  /**
   * Chart version → CRD folder version, where they differ: some charts' CRDs are tagged by the
   * application version. Otherwise the folder is the chart version with or without a leading "v".
   */
  versions?: Record<string, string>;
}

export const CHART_CRDS: Record<string, ChartCrdSource> = {
  'cert-manager': { source: 'cert-manager' },
  'kube-prometheus-stack': { source: 'kube-prometheus-stack' },
  gatekeeper: { source: 'gatekeeper' },
  velero: { source: 'velero' },
  capsule: { source: 'capsule' },
  'external-dns': { source: 'external-dns' },
  traefik: { source: 'traefik' },
  // The trivy-operator chart 0.31.0 ships the CRDs of trivy-operator v0.29.0 (its appVersion).
  'trivy-operator': { source: 'trivy-operator', versions: { '0.31.0': 'v0.29.0' } },
};

/**
 * The Flux controllers' CRDs per Flux version (what the bootstrap installs). Flux v2.9.1 ships
 * source-controller v1.9.2, whose CRD schemas equal v1.9.1's (the shared copy; SOURCE.md).
 */
export const FLUX_CRDS: Record<string, Record<string, string>> = {
  'v2.9.1': {
    'fluxcd-source-controller': 'v1.9.1',
    'fluxcd-kustomize-controller': 'v1.9.2',
    'fluxcd-helm-controller': 'v1.6.2',
    'fluxcd-notification-controller': 'v1.9.2',
  },
};

export interface CrdFolder {
  source: string;
  version: string;
  dir: string;
}

/** The folder of `source` for `version` (tried as given, with and without a leading "v"); undefined when absent. */
export function crdFolder(crdsDir: string, source: string, version: string): CrdFolder | undefined {
  const bare = version.replace(/^v/, '');
  for (const v of [version, bare, `v${bare}`]) {
    const dir = join(crdsDir, source, v);
    if (existsSync(dir)) return { source, version: v, dir };
  }
  return undefined;
}

/** The CRD folder of a chart at a version, or why there is none. */
export function chartCrdFolder(crdsDir: string, chart: string, version: string): { folder?: CrdFolder; error?: string } {
  const entry = CHART_CRDS[chart];
  if (!entry) return {};
  const wanted = entry.versions?.[version] ?? version;
  const folder = crdFolder(crdsDir, entry.source, wanted);
  if (folder) return { folder };
  const have = existsSync(join(crdsDir, entry.source)) ? readdirSync(join(crdsDir, entry.source)).join(', ') : 'none';
  return {
    error: `chart ${chart} ${version} installs CRDs, but ${join(crdsDir, entry.source)}/ has no version ${wanted} (has: ${have}); add its CRDs (see SOURCE.md)`,
  };
}

export function fluxCrdFolders(crdsDir: string, fluxVersion: string): CrdFolder[] {
  const sources = FLUX_CRDS[fluxVersion];
  if (!sources) throw new Error(`no Flux CRD sources known for Flux ${fluxVersion} (known: ${Object.keys(FLUX_CRDS).join(', ')})`);
  return Object.entries(sources).map(([source, version]) => {
    const folder = crdFolder(crdsDir, source, version);
    if (!folder) throw new Error(`Flux ${fluxVersion}: ${join(crdsDir, source, version)} is missing`);
    return folder;
  });
}

/**
 * Every CustomResourceDefinition in a folder, in file order. Parsed as YAML 1.1, as the API server's
 * YAML reader does (one upstream file has a bare `=` enum value).
 */
export function readCrds(folder: CrdFolder): K8sObject[] {
  const out: K8sObject[] = [];
  for (const file of readdirSync(folder.dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(folder.dir, file), 'utf8'), { version: '1.1' })) {
      const o = doc.toJS() as K8sObject | null;
      if (o?.kind === 'CustomResourceDefinition') out.push(o);
    }
  }
  return out;
}

/** `group` of a CRD object. */
export function crdGroup(crd: K8sObject): string {
  return String((crd.spec as { group?: string } | undefined)?.group ?? '');
}
