import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { readTgz } from './tar';

/** The files of one chart version the chart-values check reads, by file name. */
export interface ChartFiles {
  name: string;
  version: string;
  files: Record<string, Buffer>;
}

/** What the check reads of a chart; templates and the rest stay in the archive. */
const KEPT = ['Chart.yaml', 'values.yaml', 'values.schema.json'];
/** Names and versions become folder names: nothing that could climb out of the cache. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
/** Subcharts nest (charts/<sub>/charts/<subsub>); a bound keeps a hostile archive from recursing forever. */
const MAX_DEPTH = 8;

function unpack(archive: Buffer): Map<string, Buffer> {
  try {
    return new Map(
      readTgz(archive)
        .filter((e) => e.type === 'file')
        .map((e) => [e.path, e.data]),
    );
  } catch (e) {
    throw new Error(`the download is not a gzip-compressed tar archive (${(e as Error).message})`, { cause: e });
  }
}

/** The folder of a packed chart: Helm names it after the chart; `want` picks it when several have a Chart.yaml. */
function chartRoot(files: Map<string, Buffer>, want?: string): string | undefined {
  const roots = [...files.keys()].filter((p) => /^[^/]+\/Chart\.yaml$/.test(p)).map((p) => p.split('/')[0]);
  return want && roots.includes(want) ? want : roots[0];
}

function collect(files: Map<string, Buffer>, prefix: string, out: ChartFiles[], depth: number): void {
  // failsafe: every scalar a string, so `version: 1.10` stays "1.10".
  const meta = YAML.parse(files.get(`${prefix}Chart.yaml`)!.toString('utf8'), { schema: 'failsafe' }) as { name?: string; version?: string } | null;
  const name = meta?.name ?? '';
  const version = meta?.version ?? '';
  if (!SAFE.test(name) || !SAFE.test(version)) throw new Error(`${prefix}Chart.yaml has no usable name and version`);
  // A chart without values.yaml has no defaults: an empty file says so in the cache.
  const kept = Object.fromEntries(KEPT.filter((f) => files.has(prefix + f)).map((f) => [f, files.get(prefix + f)!]));
  if (!out.some((c) => c.name === name && c.version === version)) out.push({ name, version, files: { 'values.yaml': Buffer.alloc(0), ...kept } });
  if (depth >= MAX_DEPTH) return;
  const below = `${prefix}charts/`;
  for (const path of [...files.keys()].sort()) {
    if (!path.startsWith(below)) continue;
    const rest = path.slice(below.length);
    const dir = /^([^/]+)\/Chart\.yaml$/.exec(rest);
    if (dir) collect(files, `${below}${dir[1]}/`, out, depth + 1);
    else if (/^[^/]+\.tgz$/.test(rest)) {
      // A dependency left packed (charts/<sub>-<version>.tgz) is a chart archive of its own.
      const inner = unpack(files.get(path)!);
      const root = chartRoot(inner);
      if (root) collect(inner, `${root}/`, out, depth + 1);
    }
  }
}

/**
 * Chart.yaml, values.yaml and values.schema.json of a packed chart and of every subchart it bundles, the
 * chart itself first. Throws when the archive is not that chart at that version.
 */
export function chartFilesOf(archive: Buffer, chart: string, version: string): ChartFiles[] {
  const files = unpack(archive);
  const root = chartRoot(files, chart);
  if (!root) throw new Error('the archive holds no <chart>/Chart.yaml');
  const out: ChartFiles[] = [];
  collect(files, `${root}/`, out, 0);
  if (out[0].name !== chart || out[0].version !== version) throw new Error(`the archive holds chart ${out[0].name} ${out[0].version}, not ${chart} ${version}`);
  return out;
}

/**
 * Writes charts into `<cacheDir>/<name>/<version>/` (the layout of ../shared/charts). Everything is written
 * into a temporary folder first and each version folder renamed into place, subcharts before the chart:
 * a version folder either is complete or does not exist, and the chart's folder appears last.
 */
export function installCharts(cacheDir: string, charts: ChartFiles[]): void {
  mkdirSync(cacheDir, { recursive: true });
  const incoming = mkdtempSync(join(cacheDir, '.incoming-'));
  try {
    for (const c of charts) {
      mkdirSync(join(incoming, c.name, c.version), { recursive: true });
      for (const [file, data] of Object.entries(c.files)) writeFileSync(join(incoming, c.name, c.version, file), data);
    }
    for (const c of [...charts.slice(1), charts[0]]) {
      const target = join(cacheDir, c.name, c.version);
      if (existsSync(join(target, 'values.yaml'))) continue;
      mkdirSync(join(cacheDir, c.name), { recursive: true });
      try {
        renameSync(join(incoming, c.name, c.version), target);
      } catch (e) {
        // Another validate run may have put the same version in place meanwhile; anything else is an error.
        if (!existsSync(join(target, 'values.yaml'))) throw e;
      }
    }
  } finally {
    rmSync(incoming, { recursive: true, force: true });
  }
}
