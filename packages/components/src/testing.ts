import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import YAML from 'yaml';
import { formatConfigError, resolveEnvironment, type EnvironmentConfig } from '@ck8s/config';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { toYaml } from '@ck8s/manifest';
import { configExtensions, componentSettings } from './catalog';
import { placeComponents, summarize, type Component, type ComponentOutput, type RenderContext, type SecretRequirement } from './lib/component';
import { CATALOG } from './catalog';

export interface TestEnvironmentOptions {
  flavor?: 'dev' | 'prod' | 'air-gapped';
  provider?: string;
  /** Merged over the base config.yaml (top-level keys replace). */
  config?: Record<string, unknown>;
  /** Per-cluster override files (`<cluster>.yaml`). */
  clusterOverrides?: Record<string, Record<string, unknown>>;
  workloadClusters?: string[];
}

/** A valid environment built through the real loader, so tests see exactly what rendering sees. */
const SWIFT_PROVIDERS = ['elastx', 'openstack'];
/** A mirrored OpenSearch snapshot plugin, as the air-gapped flavor requires. */
const AIR_GAPPED_PLUGIN_URL = 'https://mirror.test.example.com/opensearch/repository-s3.zip';

export function testEnvironment(o: TestEnvironmentOptions = {}): EnvironmentConfig {
  const flavor = o.flavor ?? 'dev';
  const config = {
    version: 1,
    flavor,
    provider: o.provider ?? 'exoscale',
    domain: 'test.example.com',
    git: { url: 'ssh://git@example.com/platform.git' },
    clusters: [{ name: 'management', role: 'management' }, ...(o.workloadClusters ?? ['workload']).map((name) => ({ name, role: 'workload' }))],
    certificates: { email: 'ops@example.com', ...(flavor === 'dev' ? {} : { issuer: 'letsencrypt-prod' }) },
    // Swift providers need the store's S3 API for S3-only clients; the config requires it.
    ...(SWIFT_PROVIDERS.includes(o.provider ?? '') ? { storage: { objectStorage: { s3Endpoint: 'https://s3.swift.test.example.com' } } } : {}),
    // The air-gapped flavor takes every chart and image from mirrors; the config requires them.
    ...(flavor === 'air-gapped' ? { mirrors: { charts: 'oci://mirror.test.example.com/charts', images: 'mirror.test.example.com' } } : {}),
    ...o.config,
    // Air-gapped: the snapshot plugin comes from a mirror too (the config requires its URL).
    ...(flavor === 'air-gapped'
      ? { components: { opensearch: { snapshots: { pluginUrl: AIR_GAPPED_PLUGIN_URL } }, ...(o.config?.components as object) } }
      : {}),
  };
  const files: Record<string, string> = { 'config.yaml': toYaml(config) };
  for (const [cluster, override] of Object.entries(o.clusterOverrides ?? {})) files[`${cluster}.yaml`] = toYaml(override);
  const result = resolveEnvironment('test-env', files, configExtensions());
  // The loader's own wording (file:line:column: key path: message), which tests can assert on.
  if (!result.environment) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.environment;
}

/**
 * The context the planner gives a component on one cluster: every catalog component its settings
 * enable counts as enabled, plus `alsoEnabled` (wiring to components a test wants present anyway).
 */
export function renderContext(
  component: Component,
  env: EnvironmentConfig,
  clusterName: string,
  alsoEnabled: string[] = [],
): RenderContext<ReturnType<typeof componentSettings>> {
  const cluster = env.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`no cluster ${clusterName}`);
  const settings = componentSettings(component, cluster.settings.components);
  const enabled = CATALOG.filter((c) => c.roles.includes(cluster.role) && componentSettings(c, cluster.settings.components)?.enabled);
  const names = new Set([...enabled.map((c) => c.name), ...alsoEnabled]);
  return {
    env,
    cluster,
    settings,
    isEnabled: (n) => names.has(n),
    enabledComponents: enabled.map(summarize),
    // As the planner reports it: every component enabled on some cluster of the environment.
    environmentComponents: placeComponents(env, CATALOG, (c, cl) => componentSettings(c, cl.settings.components)),
  };
}

/** Calls one component's render function the way the planner does. */
export function renderComponent(component: Component, env: EnvironmentConfig, clusterName: string): ComponentOutput {
  return component.render(renderContext(component, env, clusterName));
}

/** Renders a component as if some other components were enabled too. */
export function renderAssuming(component: Component, env: EnvironmentConfig, clusterName: string, alsoEnabled: string[]): ComponentOutput {
  return component.render(renderContext(component, env, clusterName, alsoEnabled));
}

/** A component's secret requirements on one cluster, computed the way the planner does. */
export function componentSecrets(component: Component, env: EnvironmentConfig, clusterName: string): SecretRequirement[] {
  return component.secrets?.(renderContext(component, env, clusterName)) ?? [];
}

type Json = unknown;
const isMap = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ChartKeyCheckOptions {
  /** Dotted paths (or prefixes of them) a chart reads although its values.yaml only mentions them in comments. */
  allow?: string[];
  /** Subchart aliases whose keys are checked against another pinned chart's values (`{ grafana: ['grafana', '9.2.10'] }`). */
  subcharts?: Record<string, [chart: string, version: string]>;
}

function chartDefaults(chart: string, version: string): { values: Json; schema?: Json } | undefined {
  if (!hasShared('charts', chart, version, 'values.yaml')) return undefined;
  const values = YAML.parse(readFileSync(sharedDir('charts', chart, version, 'values.yaml'), 'utf8')) ?? {};
  const schemaFile = sharedDir('charts', chart, version, 'values.schema.json');
  return { values, schema: existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, 'utf8')) : undefined };
}

/** The parent chart's values for a subchart override the subchart's own defaults, key by key. */
function deepMerge(base: Json, over: Json): Json {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** Whether a JSON schema node explicitly admits `key` (declared, pattern-matched or additionalProperties allowed on purpose). */
function schemaChild(schema: Json, key: string): { ok: boolean; child?: Json } {
  if (!isMap(schema)) return { ok: false };
  const props = schema.properties;
  if (isMap(props) && key in props) return { ok: true, child: props[key] };
  const patterns = schema.patternProperties;
  if (isMap(patterns)) for (const [re, child] of Object.entries(patterns)) if (new RegExp(re).test(key)) return { ok: true, child };
  const extra = schema.additionalProperties;
  if (extra === true || isMap(extra)) return { ok: true, child: isMap(extra) ? extra : undefined };
  return { ok: false };
}

/** Value paths a chart does not declare: Helm ignores a mistyped key silently, so tests must catch it. */
export function unknownChartKeys(values: Record<string, Json>, chart: string, version: string, options: ChartKeyCheckOptions = {}): string[] | undefined {
  const root = chartDefaults(chart, version);
  if (!root) return undefined;
  const missing: string[] = [];
  const allowed = (path: string) => (options.allow ?? []).some((a) => path === a || path.startsWith(`${a}.`));
  const walk = (ours: Record<string, Json>, defaults: Json, schema: Json, path: string[]) => {
    for (const [key, value] of Object.entries(ours)) {
      const p = [...path, key];
      const dotted = p.join('.');
      let def: Json = isMap(defaults) && key in defaults ? defaults[key] : undefined;
      let known = isMap(defaults) && key in defaults;
      const sub = path.length === 0 ? options.subcharts?.[key] : undefined;
      if (sub) {
        const subDefaults = chartDefaults(sub[0], sub[1])?.values;
        def = deepMerge(subDefaults, def);
        known = true;
      }
      const fromSchema = schemaChild(schema, key);
      const leadsToAllowed = (options.allow ?? []).some((a) => a.startsWith(`${dotted}.`));
      if (!known && !fromSchema.ok && !allowed(dotted) && !leadsToAllowed) {
        missing.push(dotted);
        continue;
      }
      // Lists replace defaults wholesale; empty or null maps are free-form (labels, annotations, ini sections).
      if (!isMap(value) || allowed(dotted)) continue;
      if (known && (def === null || (isMap(def) && Object.keys(def).length === 0))) continue;
      if (known && !isMap(def)) continue;
      walk(value, def, fromSchema.child, p);
    }
  };
  walk(values, root.values, root.schema, []);
  return missing;
}

/**
 * Asserts every key in `values` exists in the pinned chart's default values.yaml (or is allowed by its
 * values.schema.json). Skips with a message when ../shared/charts is absent.
 */
export function expectKeysInChartValues(values: Record<string, Json> | undefined, chart: string, version: string, options: ChartKeyCheckOptions = {}): void {
  const missing = unknownChartKeys(values ?? {}, chart, version, options);
  if (missing === undefined) {
    console.warn(skipMessage('charts', chart, version, 'values.yaml'));
    return;
  }
  expect(missing, `keys not in ${chart} ${version} values.yaml`).toEqual([]);
}
