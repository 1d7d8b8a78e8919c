import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export interface CatalogSetting {
  path: string;
  type: string;
  default: string;
  description: string;
}

export interface CatalogEntry {
  name: string;
  anchor: string;
  key: string;
  description: string;
  roles: string;
  namespace: string;
  podSecurity: string;
  chart?: string;
  version?: string;
  repository?: string;
  dependsOn: string;
  controls: string;
  presets: string;
  settings: CatalogSetting[];
}

let compiled: Handlebars.TemplateDelegate | undefined;

/** The component catalog reference (packages/components/CATALOG.md). */
export function catalogMarkdown(components: CatalogEntry[]): string {
  compiled ??= Handlebars.create().compile(readFileSync(join(__dirname, '..', 'templates', 'catalog.md.hbs'), 'utf8'), { noEscape: true, strict: true });
  return `${compiled({ components }).trimEnd()}\n`;
}
