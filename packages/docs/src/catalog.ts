import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export interface CatalogSetting {
  path: string;
  type: string;
  default: string;
  /** The flavor presets of this key, readable (`presetCells`); empty when no flavor changes it. */
  presets: string;
  description: string;
}

/** One alert as the catalog lists it, with the link to its runbook section. */
export interface CatalogAlert {
  name: string;
  severity: string;
  summary: string;
  runbook: string;
}

export interface CatalogAlertGroup {
  name: string;
  title: string;
  alerts: CatalogAlert[];
}

/** One chart a component may install, and the setting that picks it (empty when it has one chart). */
export interface CatalogChart {
  chart: string;
  version: string;
  repository: string;
  when: string;
}

export interface CatalogEntry {
  name: string;
  anchor: string;
  key: string;
  description: string;
  roles: string;
  namespace: string;
  podSecurity: string;
  /** Every chart the component may install (several when a setting chooses); empty for plain objects. */
  charts: CatalogChart[];
  dependsOn: string;
  controls: string;
  settings: CatalogSetting[];
  /** The component's alert groups (empty when it has none). */
  alerts: CatalogAlertGroup[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const code = (v: unknown) => `\`${JSON.stringify(v).replace(/\|/g, '\\|')}\``;

/**
 * A component's flavor presets per setting key, as table cells: flavors that set a key to the same
 * value share one entry (`` `prod`, `air-gapped`: `2` ``). `paths` are the catalog's rows (leaf keys);
 * a preset that sets no row is an error, because the catalog would hide a value a flavor changes.
 */
export function presetCells(presets: Record<string, Record<string, unknown> | undefined>, paths: readonly string[]): Map<string, string> {
  const rows = new Set(paths);
  const byPath = new Map<string, { flavors: string[]; value: unknown }[]>();
  const visit = (flavor: string, value: unknown, path: string) => {
    if (rows.has(path)) {
      const entries = byPath.get(path) ?? [];
      const same = entries.find((e) => JSON.stringify(e.value) === JSON.stringify(value));
      if (same) same.flavors.push(flavor);
      else entries.push({ flavors: [flavor], value });
      byPath.set(path, entries);
    } else if (isMap(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) visit(flavor, v, path ? `${path}.${k}` : k);
    } else {
      throw new Error(`flavor preset "${flavor}" sets "${path}", which is no setting of the component`);
    }
  };
  for (const [flavor, preset] of Object.entries(presets)) if (preset) visit(flavor, preset, '');
  return new Map(
    [...byPath].map(([path, entries]) => [path, entries.map((e) => `${e.flavors.map((f) => `\`${f}\``).join(', ')}: ${code(e.value)}`).join('; ')]),
  );
}

let compiled: Handlebars.TemplateDelegate | undefined;

/** The component catalog reference (packages/components/CATALOG.md): the environment's own settings, then every component. */
export function catalogMarkdown(components: CatalogEntry[], environment: CatalogSetting[] = []): string {
  compiled ??= Handlebars.create().compile(readFileSync(join(__dirname, '..', 'templates', 'catalog.md.hbs'), 'utf8'), { noEscape: true, strict: true });
  return `${compiled({ components, environment }).trimEnd()}\n`;
}
