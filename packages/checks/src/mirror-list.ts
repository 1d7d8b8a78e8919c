import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { CATALOG, type Component } from '@ck8s/components';
import { deepMerge, type EnvironmentConfig } from '@ck8s/config';
import { planCluster } from '@ck8s/render';
import { chartDirs, locateChart } from './chart-source';

/**
 * Everything an environment pulls, for copying into its mirrors: every pinned chart, and every image
 * reference found in each chart's defaults merged with the values the platform renders (the chart's
 * appVersion where a tag is left empty) plus the images the platform's own objects name. Chart defaults
 * come from the same folders validate reads (CK8S_CHARTS_DIR, ../shared/charts, the download cache).
 * A chart whose defaults are missing is listed under `unresolved`: its images need `helm template`.
 */

type Json = unknown;

export interface MirrorList {
  charts: { key: string; repository: string; chart: string; version: string; mirror?: string }[];
  images: { image: string; mirror?: string; from: string[] }[];
  unresolved: string[];
}

/** Image references in a values tree: `image: <ref>` strings and `{registry?, repository, tag|digest}` maps. */
export function imageRefs(values: Json, appVersion = ''): string[] {
  const out = new Set<string>();
  const walk = (v: Json): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, Json>;
    if (typeof o.image === 'string' && /^[\w.-]+(:\d+)?\/[\w./-]+(:[\w.-]+|@sha256:[0-9a-f]+)?$/.test(o.image)) out.add(o.image);
    const repo = o.repository;
    const imageLike = typeof repo === 'string' && /^[\w.-]+(\/[\w.-]+)+$/.test(repo) && ('tag' in o || 'registry' in o || 'digest' in o);
    if (imageLike) {
      const tag = typeof o.digest === 'string' && o.digest ? `@${o.digest}` : `:${String(o.tag || appVersion || 'latest')}`;
      const registry = typeof o.registry === 'string' && o.registry ? `${o.registry}/` : '';
      out.add(`${registry}${repo}${tag}`);
    }
    Object.values(o).forEach(walk);
  };
  walk(values);
  return [...out];
}

/** `docker.io/falcosecurity/falco:1` on mirror `m` is `m/falcosecurity/falco:1`: the registry host is replaced, the path kept. */
export function mirrored(image: string, mirror: string): string {
  const [first, ...rest] = image.split('/');
  const hasRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${mirror}/${hasRegistry ? rest.join('/') : image}`;
}

export function mirrorList(root: string, env: EnvironmentConfig, catalog: readonly Component[] = CATALOG): MirrorList {
  const dirs = chartDirs(root);
  const charts = new Map<string, MirrorList['charts'][number]>();
  const images = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  const add = (image: string, from: string) => images.set(image, (images.get(image) ?? new Set()).add(from));
  for (const cluster of env.clusters) {
    for (const p of planCluster(env, cluster, catalog).components) {
      for (const image of imageRefs([p.output.objects, p.output.config])) add(image, `${cluster.name}/${p.component.name}`);
      if (!p.chartKey || !p.chart) continue;
      const { repository, chart, version } = p.chart;
      charts.set(p.chartKey, { key: p.chartKey, repository, chart, version, ...(env.mirrors.charts ? { mirror: env.mirrors.charts } : {}) });
      const dir = locateChart(dirs, chart, version);
      if (!dir) {
        unresolved.add(`${chart} ${version}`);
        continue;
      }
      const base = join(dir, chart, version);
      const defaults = YAML.parse(readFileSync(join(base, 'values.yaml'), 'utf8')) as Json;
      const meta = existsSync(join(base, 'Chart.yaml')) ? (YAML.parse(readFileSync(join(base, 'Chart.yaml'), 'utf8')) as { appVersion?: string }) : {};
      const merged = deepMerge(defaults, p.output.values ?? {});
      for (const image of imageRefs(merged, meta.appVersion ?? '')) add(image, `${cluster.name}/${p.component.name}`);
    }
  }
  return {
    charts: [...charts.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    images: [...images]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([image, from]) => ({ image, from: [...from].sort(), ...(env.mirrors.images ? { mirror: mirrored(image, env.mirrors.images) } : {}) })),
    unresolved: [...unresolved].sort(),
  };
}
