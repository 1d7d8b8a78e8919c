import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chartFilesOf, installCharts } from './chart-archive';
import { ChartFetchError, downloadChart, type ChartRef, type DownloadOptions } from './chart-registry';
import { objectsIn, yamlIn, type Tree } from './tree';

/** A rendered values file, the chart version its HelmRelease pins, and the URL of the chart's source. */
export interface ChartRelease {
  file: string;
  chart: string;
  version: string;
  /** The HelmRepository URL the base renders (charts.yaml's `repository`); undefined when the base has none. */
  repository?: string;
  /** The rendered base folder that pins the chart. */
  base: string;
}

/** Why a chart's defaults are missing: the URL that failed and what went wrong there. */
export interface FetchFailure {
  url: string;
  reason: string;
}

export const chartKey = (chart: string, version: string) => `${chart}@${version}`;

/** The download cache: what validate fetched from the charts' public sources, in the layout of ../shared/charts. */
export function chartCacheDir(root: string): string {
  return resolve(process.env.CK8S_CHART_CACHE ?? join(root, 'node_modules', '.cache', 'ck8s-charts'));
}

/**
 * Where chart defaults are looked up, in order: CK8S_CHARTS_DIR, the shared data next to the repository
 * (a cache pre-seeded for machines without network), then the download cache.
 */
export function chartDirs(root: string): string[] {
  const shared = join(process.env.CK8S_SHARED_DIR ?? join(root, '..', 'shared'), 'charts');
  return [...new Set([process.env.CK8S_CHARTS_DIR, shared, chartCacheDir(root)].filter((d): d is string => !!d).map((d) => resolve(d)))];
}

/** The first folder of `dirs` that holds `<chart>/<version>/values.yaml`. */
export function locateChart(dirs: string[], chart: string, version: string): string | undefined {
  return dirs.find((d) => existsSync(join(d, chart, version, 'values.yaml')));
}

/** The URL of the source object (a HelmRepository) a base's release names, from the files of that base folder. */
function sourceUrl(tree: Tree, base: string, ref: { kind?: string; name?: string } | undefined): string | undefined {
  for (const path of tree.keys()) {
    if (!path.startsWith(`${base}/`) || path.slice(base.length + 1).includes('/')) continue;
    for (const { object } of objectsIn(tree, path)) {
      const o = object as { kind: string; metadata?: { name?: string }; spec?: { url?: string } };
      if (o.kind === (ref?.kind ?? 'HelmRepository') && o.metadata?.name === ref?.name && o.spec?.url) return o.spec.url;
    }
  }
  return undefined;
}

/** Every overlay values.yaml with the chart its base HelmRelease pins and the URL of that base's HelmRepository. */
export function chartReleases(tree: Tree): ChartRelease[] {
  const out: ChartRelease[] = [];
  const sources = new Map<string, string | undefined>();
  for (const file of tree.keys()) {
    if (!file.endsWith('/values.yaml')) continue;
    const kustomization = file.replace(/values\.yaml$/, 'kustomization.yaml');
    const baseRef = (tree.has(kustomization) ? yamlIn<{ resources?: string[] } | null>(tree, kustomization) : null)?.resources?.find((r) =>
      r.includes('/bases/'),
    );
    const envRoot = file.split('/').slice(0, 2).join('/');
    const base = baseRef && `${envRoot}/bases/${baseRef.split('/').pop()}`;
    if (!base || !tree.get(`${base}/release.yaml`)) continue;
    const spec = yamlIn<{ spec: { chart: { spec: { chart: string; version: string; sourceRef?: { kind?: string; name?: string } } } } }>(
      tree,
      `${base}/release.yaml`,
    ).spec.chart.spec;
    if (!sources.has(base)) sources.set(base, sourceUrl(tree, base, spec.sourceRef));
    out.push({ file, chart: spec.chart, version: String(spec.version), repository: sources.get(base), base });
  }
  return out;
}

/** Downloads one chart version (verified against its source's digest) and installs it and its subcharts in the cache. */
export async function fetchChart(ref: ChartRef, cacheDir: string, options: DownloadOptions = {}): Promise<void> {
  const { archive, url } = await downloadChart(ref, options);
  let charts;
  try {
    charts = chartFilesOf(archive, ref.chart, ref.version);
  } catch (e) {
    throw new ChartFetchError(ref, url, (e as Error).message);
  }
  try {
    installCharts(cacheDir, charts);
  } catch (e) {
    throw new ChartFetchError(ref, url, `downloaded, but the cache at ${cacheDir} cannot be written (${(e as Error).message})`);
  }
}

export interface PrefetchOptions extends DownloadOptions {
  /** Downloads at a time (default 4). */
  concurrency?: number;
}

/**
 * Fetches, into the download cache, every chart version the tree pins that no lookup folder holds, and
 * returns the ones that could not be had, by chartKey. CK8S_OFFLINE=1 fetches nothing.
 */
export async function fetchMissingCharts(root: string, tree: Tree, options: PrefetchOptions = {}): Promise<Map<string, FetchFailure>> {
  const dirs = chartDirs(root);
  const wanted = new Map<string, ChartRelease>();
  for (const r of chartReleases(tree))
    if (!wanted.has(chartKey(r.chart, r.version)) && !locateChart(dirs, r.chart, r.version)) wanted.set(chartKey(r.chart, r.version), r);
  const failures = new Map<string, FetchFailure>();
  const offline = !!process.env.CK8S_OFFLINE && process.env.CK8S_OFFLINE !== '0';
  const indexes = options.indexes ?? new Map<string, Promise<string>>();
  const queue = [...wanted];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, r] = next;
      if (!r.repository) failures.set(key, { url: `${r.base}/`, reason: 'the rendered base names no HelmRepository URL' });
      else if (offline) failures.set(key, { url: r.repository, reason: 'not fetched, CK8S_OFFLINE is set' });
      else {
        try {
          await fetchChart({ chart: r.chart, version: r.version, repository: r.repository }, chartCacheDir(root), { ...options, indexes });
        } catch (e) {
          failures.set(key, e instanceof ChartFetchError ? { url: e.url, reason: e.reason } : { url: r.repository, reason: (e as Error).message });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return failures;
}
