import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { toolsRequired } from '@ck8s/toolchain';
import { chartDirs, chartKey, chartReleases, locateChart, type FetchFailure } from './chart-source';
import type { Finding } from './finding';
import { contentKey, cachedJson } from './json-cache';
import { yamlIn, type Tree } from './tree';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  type?: string | string[];
  $ref?: string;
};

export interface ChartDefaults {
  values: Json;
  schema?: Schema;
  /** Keys the defaults document only in comments (`# pathType: Prefix`): set them and the chart reads them. */
  commented?: Set<string>;
  /** Subcharts by the key their values live under; undefined when their defaults are not available. */
  subcharts?: Record<string, ChartDefaults | undefined>;
}

/** Kubernetes structures charts pass through verbatim: anything below them is the API's business. */
const PASSTHROUGH = new Set([
  'resources',
  'affinity',
  'tolerations',
  'nodeSelector',
  'securityContext',
  'podSecurityContext',
  'containerSecurityContext',
  'topologySpreadConstraints',
  'annotations',
  'labels',
  'podAnnotations',
  'podLabels',
  'global',
  'grafana.ini',
  'config',
  'env',
  'extraEnv',
  'args',
  'extraArgs',
  'spec',
]);

const isMap = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Follows local `$ref`s (`#/$defs/...`), as generated chart schemas use them for every level. */
function deref(s: Schema | undefined, root: Schema | undefined): Schema | undefined {
  for (let hops = 0; s?.$ref?.startsWith('#') && hops < 32; hops++) {
    const pointer = s.$ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    s = pointer.reduce<unknown>((node, t) => (isMap(node) ? node[t] : undefined), root) as Schema | undefined;
  }
  return s;
}

/** The schema of `key` under `schema`: a declared property, a matching pattern, or additionalProperties as a schema. */
function childSchema(schema: Schema | undefined, key: string, root: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const pattern = Object.entries(schema.patternProperties ?? {}).find(([re]) => new RegExp(re, 'u').test(key))?.[1];
  return deref(schema.properties?.[key] ?? pattern ?? (isMap(schema.additionalProperties) ? schema.additionalProperties : undefined), root);
}

/**
 * Keys the platform sets that the chart does not know. Helm ignores a mistyped key silently, so a
 * key must exist in the chart's default values, or be allowed by its values.schema.json, or sit
 * under a map the chart leaves empty or unset (free-form maps such as podAnnotations).
 */
export function unknownValueKeys(values: Json, chart: ChartDefaults, path: string[] = []): string[] {
  if (!isMap(values)) return [];
  if (path.length && PASSTHROUGH.has(path[path.length - 1])) return [];
  if (path.length === 1 && chart.subcharts && path[0] in chart.subcharts) {
    const sub = chart.subcharts[path[0]];
    if (!sub) return [];
    // Keys under a subchart's name are read by the subchart, or by the parent chart where its defaults have that key.
    const subUnknown = unknownValueKeys(values, sub).map((k) => `${path[0]}.${k}`);
    if (!(isMap(chart.values) && path[0] in chart.values) && !childSchema(deref(chart.schema, chart.schema), path[0], chart.schema)) return subUnknown;
    const parentUnknown = new Set(unknownValueKeys(values, { ...chart, subcharts: undefined }, path));
    return subUnknown.filter((k) => parentUnknown.has(k));
  }
  let defaults: Json = chart.values;
  let schema = deref(chart.schema, chart.schema);
  for (const seg of path) {
    defaults = isMap(defaults) ? (defaults[seg] ?? null) : null;
    schema = childSchema(schema, seg, chart.schema);
  }
  const out: string[] = [];
  // A map the chart leaves empty or unset takes any key, unless its schema lists or closes the keys.
  const freeForm =
    (!isMap(defaults) || Object.keys(defaults).length === 0) &&
    (!schema || (schema.additionalProperties !== false && !schema.properties && !schema.patternProperties));
  // Generated chart schemas list properties without closing them, so only an explicit opening counts.
  const openBySchema = !!schema && (schema.additionalProperties === true || isMap(schema.additionalProperties));
  for (const [k, v] of Object.entries(values)) {
    const inDefaults = isMap(defaults) && k in defaults;
    const inSchema = !!schema && (!!schema.properties?.[k] || Object.keys(schema.patternProperties ?? {}).some((re) => new RegExp(re, 'u').test(k)));
    // Helm hands `<subchart>:` to the subchart whether or not the parent's defaults mention it.
    const subchart = path.length === 0 && !!chart.subcharts && k in chart.subcharts;
    if (inDefaults || inSchema || subchart) out.push(...unknownValueKeys(v, chart, [...path, k]));
    else if (!freeForm && !openBySchema && !chart.commented?.has(k)) out.push([...path, k].join('.'));
  }
  return out;
}

/** The newest version folder of a chart (numeric order: 10.0.0 after 9.2.10). */
function newestVersion(dir: string, chart: string): string | undefined {
  if (!existsSync(join(dir, chart))) return undefined;
  return readdirSync(join(dir, chart))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .pop();
}

/** Where parsed chart defaults are kept between runs (JSON, keyed by the chart files' contents): CK8S_CHART_DEFAULTS_CACHE or node_modules/.cache. */
export function chartDefaultsCacheDir(root: string): string {
  return resolve(process.env.CK8S_CHART_DEFAULTS_CACHE ?? join(root, 'node_modules', '.cache', 'ck8s-chart-defaults'));
}

type Dependency = { name: string; version?: string; alias?: string };

/** One chart version folder, parsed: what loadChartDefaults reads from it, in a form JSON keeps. */
interface ChartFolder {
  values: Json;
  commented: string[];
  schema?: Schema;
  dependencies: Dependency[];
}

/** Bump when parseChartFolder changes what it makes of the same files, so older cache entries are not read. */
const FOLDER_FORMAT = 'chart-folder/1';

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function parseChartFolder(valuesText: string, schemaText: string | undefined, chartText: string | undefined): ChartFolder {
  const values = (YAML.parse(valuesText) ?? {}) as Json;
  const commented = [...new Set([...valuesText.matchAll(/^\s*#+\s*([A-Za-z_][A-Za-z0-9_.-]*):/gm)].map((m) => m[1]))];
  const meta = chartText === undefined ? {} : (YAML.parse(chartText) as { dependencies?: Dependency[] });
  const schema = schemaText === undefined ? {} : { schema: JSON.parse(schemaText) as Schema };
  return { values, commented, ...schema, dependencies: meta.dependencies ?? [] };
}

/**
 * A chart's defaults from `<dir>/<chart>/<version>/` (the newest version when none is given), with
 * its subcharts' own defaults one level deep: the version its Chart.yaml pins when the data has it,
 * else the newest the data has (an approximation); a subchart the data lacks leaves its subtree free-form.
 * With `cacheDir`, each folder's parse is kept there as JSON, keyed by its files' contents (big charts'
 * values.yaml take far longer to parse as YAML than as JSON).
 */
export function loadChartDefaults(dir: string, chart: string, version?: string, withSubcharts = true, cacheDir?: string): ChartDefaults | undefined {
  const v = version ?? newestVersion(dir, chart);
  if (!v) return undefined;
  const base = join(dir, chart, v);
  const valuesText = readIfExists(join(base, 'values.yaml'));
  if (valuesText === undefined) return undefined;
  const schemaText = readIfExists(join(base, 'values.schema.json'));
  const chartText = readIfExists(join(base, 'Chart.yaml'));
  const folder = cachedJson(cacheDir, contentKey(FOLDER_FORMAT, valuesText, schemaText, chartText), () => parseChartFolder(valuesText, schemaText, chartText));
  const subchart = (d: Dependency) =>
    withSubcharts ? loadChartDefaults(dir, d.name, d.version && existsSync(join(dir, d.name, d.version)) ? d.version : undefined, false, cacheDir) : undefined;
  const subcharts = Object.fromEntries(folder.dependencies.map((d) => [d.alias ?? d.name, subchart(d)]));
  return { values: folder.values, schema: folder.schema, commented: new Set(folder.commented), subcharts };
}

/**
 * The finding for a chart whose defaults are in no lookup folder: an error with CI=true (a check that
 * did not run must not pass), a warning for users without network. It names the chart, the version and
 * the URL that failed.
 */
export function missingChartFinding(file: string, chart: string, version: string, dirs: string[], failure?: FetchFailure): Finding {
  const why = failure ? `fetching it failed: ${failure.url}: ${failure.reason}` : 'it was not fetched from its source';
  return {
    check: 'chart-values',
    severity: toolsRequired() ? 'error' : 'warning',
    file,
    message: `no defaults for chart ${chart} ${version} in ${dirs.join(', ')}, and ${why}; its values keys were not checked`,
  };
}

/**
 * Chart values check over every overlay's values.yaml, using the chart named by its base release, read
 * from the first lookup folder that has it (chartDirs). `failures` are the fetches fetchMissingCharts gave up on.
 */
export function checkChartValues(root: string, tree: Tree, failures: ReadonlyMap<string, FetchFailure> = new Map()): Finding[] {
  const dirs = chartDirs(root);
  const findings: Finding[] = [];
  const loaded = new Map<string, ChartDefaults | undefined>();
  for (const { file, chart, version } of chartReleases(tree)) {
    const key = chartKey(chart, version);
    if (!loaded.has(key)) {
      const dir = locateChart(dirs, chart, version);
      loaded.set(key, dir ? loadChartDefaults(dir, chart, version, true, chartDefaultsCacheDir(root)) : undefined);
    }
    const defaults = loaded.get(key);
    if (!defaults) {
      findings.push(missingChartFinding(file, chart, version, dirs, failures.get(key)));
      continue;
    }
    for (const k of unknownValueKeys(yamlIn<Json>(tree, file), defaults)) {
      findings.push({
        check: 'chart-values',
        severity: 'error',
        file,
        message: `values key "${k}" is not in chart ${key}'s defaults or values schema; Helm would ignore it silently`,
      });
    }
  }
  return findings;
}
