import { z } from 'zod';
import { CATALOG, chartPin, configExtensions, RUNBOOKS_DIR, runbookAnchor, settingsKey, type Component } from '@ck8s/components';
import { environmentSchema, FLAVOR_DEFAULTS, PROVIDER_DEFAULTS } from '@ck8s/config';
import { presetCells, type CatalogChart, type CatalogEntry, type CatalogSetting } from '@ck8s/docs';

/**
 * The model of packages/components/CATALOG.md, read from the same zod schemas the config loader
 * validates with: the environment's own keys, then every component with its chart(s) and every key.
 */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const toJson = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** A key's type as a reader wants it: enum values and constants literally, alternatives once each. */
export function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

const objectLike = (s: JsonSchema) => s.type === 'object' && !!s.properties && Object.keys(s.properties).length > 0;

/**
 * One row per key: nested objects are walked (`a.b`), lists of objects get a row per field of their
 * items (`clusters[].name`); any other value is a row of its own.
 */
export function flatten(s: JsonSchema, prefix = ''): CatalogSetting[] {
  const out: CatalogSetting[] = [];
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (objectLike(p)) out.push(...flatten(p, path));
    else if (p.type === 'array' && p.items && objectLike(p.items)) {
      out.push({
        path,
        type: 'list',
        default: p.default === undefined ? '—' : `\`${cell(JSON.stringify(p.default))}\``,
        presets: '',
        description: cell(p.description ?? ''),
      });
      out.push(...flatten(p.items, `${path}[]`));
    } else
      out.push({
        path,
        type: typeOf(p),
        default: p.default === undefined ? '—' : `\`${cell(JSON.stringify(p.default))}\``,
        presets: '',
        description: cell(p.description ?? ''),
      });
  }
  return out;
}

/**
 * The charts a component may install. A chart chosen by settings (the ingress controller) is found
 * by trying every value of each enum setting on the defaults: each chart comes with the setting that picks it.
 */
export function chartsOf(c: Component, schema: JsonSchema = toJson(c.settings)): CatalogChart[] {
  const pin = (key: string, when: string): CatalogChart => {
    const p = chartPin(key);
    return { chart: p.chart, version: p.version, repository: p.repository ?? '', when };
  };
  if (!c.chart) return [];
  if (typeof c.chart === 'string') return [pin(c.chart, '')];
  const choose = c.chart;
  const defaults = c.settings.parse({}) as Record<string, unknown>;
  const found = new Map<string, string>();
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    for (const value of prop.enum ?? []) {
      let chart: string | undefined;
      try {
        chart = choose({ ...defaults, [key]: value } as never);
      } catch {
        continue;
      }
      if (!found.has(chart)) found.set(chart, `${key}: ${String(value)}`);
    }
  }
  if (!found.size) throw new Error(`component ${c.name}: its chart is chosen by settings, but no enum setting changes it; the catalog cannot list the choices`);
  return [...found].map(([key, when]) => pin(key, when));
}

export function componentEntry(c: Component): CatalogEntry {
  const schema = toJson(c.settings);
  const settings = flatten(schema);
  const presets = presetCells(
    c.defaults ?? {},
    settings.map((s) => s.path),
  );
  return {
    name: c.name,
    anchor: c.name,
    key: settingsKey(c.name),
    description: c.description,
    roles: c.roles.join(', '),
    namespace: c.namespace,
    podSecurity: c.podSecurity,
    charts: chartsOf(c, schema),
    dependsOn: (c.dependsOn ?? []).join(', '),
    controls: (c.controls ?? []).join('; '),
    settings: settings.map((s) => ({ ...s, presets: presets.get(s.path) ?? '' })),
    // Links relative to packages/components/CATALOG.md.
    alerts: (c.alerts ?? []).map((g) => ({
      name: g.name,
      title: g.title,
      alerts: g.alerts.map((a) => ({
        name: a.alert,
        severity: a.severity,
        summary: cell(a.summary.replace(/\{\{\s*\$labels\.([a-z_]+)\s*\}\}/g, '{$1}')),
        runbook: `../../${RUNBOOKS_DIR}/${g.name}.md#${runbookAnchor(a.alert)}`,
      })),
    })),
  };
}

/** Paths a layer of defaults sets (`storage.objectStorage.type`), for the "per provider" mark. */
function setPaths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) setPaths(x, prefix ? `${prefix}.${k}` : k, out);
  else out.add(prefix);
  return out;
}

/** The environment's own keys (everything but `components`), with flavor presets and the provider's keys marked. */
export function environmentSettings(): CatalogSetting[] {
  const schema = toJson(environmentSchema(configExtensions().components));
  const { components: _components, ...properties } = schema.properties ?? {};
  const rows = flatten({ ...schema, properties });
  const presets = presetCells(
    FLAVOR_DEFAULTS,
    rows.map((r) => r.path),
  );
  const byProvider = new Set(Object.values(PROVIDER_DEFAULTS).flatMap((d) => [...setPaths(d)]));
  return rows.map((r) => ({ ...r, presets: [presets.get(r.path), byProvider.has(r.path) ? 'per provider' : ''].filter(Boolean).join('; ') }));
}

export function catalogEntries(): CatalogEntry[] {
  return CATALOG.map(componentEntry);
}

/** Rows without a description: each is a key a user meets in the catalog and the editor without being told what it does. */
export function undocumented(rows: readonly CatalogSetting[]): string[] {
  return rows.filter((r) => !r.description.trim()).map((r) => r.path);
}
