import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { DocsModel } from './model';

let compiled: Handlebars.TemplateDelegate | undefined;

/** Mermaid identifiers may not contain "-". */
const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  hb.registerHelper('id', (s: string) => id(s));
  hb.registerHelper('join', (list: string[]) => (list?.length ? list.join('; ') : '—'));
  hb.registerHelper('count', (list: unknown[]) => list?.length ?? 0);
  compiled = hb.compile(readFileSync(join(__dirname, '..', 'templates', 'environment-readme.md.hbs'), 'utf8'), { noEscape: true, strict: true });
  return compiled;
}

/** The human-facing README of one environment (Markdown with C4 diagrams as Mermaid). */
export function environmentReadme(model: DocsModel): string {
  const management = model.clusters.find((c) => c.role === 'management');
  const text = template()({ ...model, managementName: management?.name ?? '', workloads: model.clusters.filter((c) => c.role === 'workload') });
  return `${text.trimEnd()}\n`;
}
