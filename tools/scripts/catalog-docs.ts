import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CATALOG, chartPin, RUNBOOKS_DIR, runbookAnchor, settingsKey, type Component } from '@ck8s/components';
import { catalogMarkdown, presetCells, type CatalogEntry, type CatalogSetting } from '@ck8s/docs';

/**
 * Writes (or with --check, verifies) packages/components/CATALOG.md: every component, where it runs,
 * its chart pin and every config key with type, default and description, read from the same zod
 * schemas the config loader validates with.
 */
type JsonSchema = { type?: string | string[]; enum?: unknown[]; default?: unknown; description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function flatten(s: JsonSchema, prefix = ''): CatalogSetting[] {
  const out: CatalogSetting[] = [];
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (p.type === 'object' && p.properties) out.push(...flatten(p, path));
    else out.push({ path, type: typeOf(p), default: p.default === undefined ? '—' : `\`${cell(JSON.stringify(p.default))}\``, presets: '', description: cell(p.description ?? '') });
  }
  return out;
}

function entry(c: Component): CatalogEntry {
  const chartKey = typeof c.chart === 'function' ? undefined : c.chart;
  const pin = chartKey ? chartPin(chartKey) : undefined;
  const schema = z.toJSONSchema(c.settings, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const settings = flatten(schema);
  const presets = presetCells(c.defaults ?? {}, settings.map((s) => s.path));
  return {
    name: c.name,
    anchor: c.name,
    key: settingsKey(c.name),
    description: c.description,
    roles: c.roles.join(', '),
    namespace: c.namespace,
    podSecurity: c.podSecurity,
    chart: pin?.chart ?? (typeof c.chart === 'function' ? 'chosen by settings' : undefined),
    version: pin?.version ?? '',
    repository: pin?.repository ?? '',
    dependsOn: (c.dependsOn ?? []).join(', '),
    controls: (c.controls ?? []).join('; '),
    settings: settings.map((s) => ({ ...s, presets: presets.get(s.path) ?? '' })),
    // Links relative to packages/components/CATALOG.md.
    alerts: (c.alerts ?? []).map((g) => ({
      name: g.name,
      title: g.title,
      alerts: g.alerts.map((a) => ({ name: a.alert, severity: a.severity, summary: cell(a.summary.replace(/\{\{\s*\$labels\.([a-z_]+)\s*\}\}/g, '{$1}')), runbook: `../../${RUNBOOKS_DIR}/${g.name}.md#${runbookAnchor(a.alert)}` })),
    })),
  };
}

const root = resolve(__dirname, '..', '..');
const file = join(root, 'packages/components/CATALOG.md');
const text = catalogMarkdown(CATALOG.map(entry));
const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write('packages/components/CATALOG.md is out of date; run `npm run docs` and commit it\n');
    process.exitCode = 1;
  }
} else if (current !== text) {
  writeFileSync(file, text);
  process.stdout.write('wrote packages/components/CATALOG.md\n');
}
