import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { flowchart, mermaidId, mermaidText } from './mermaid';
import type { ConcernView, DocsModel, DocsSetting } from './model';

let compiled: Handlebars.TemplateDelegate | undefined;

/** A table cell of `label: value` pairs; `|` would end the cell. */
const settingsCell = (list: DocsSetting[]) =>
  list?.length
    ? list
        .map((s) => `${s.label}: ${s.value}`)
        .join('; ')
        .replace(/\|/g, '\\|')
    : '—';

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  hb.registerHelper('id', (s: string) => mermaidId(s));
  hb.registerHelper('text', (s: string) => mermaidText(s));
  hb.registerHelper('join', (list: string[]) => (list?.length ? list.join('; ') : '—'));
  hb.registerHelper('count', (list: unknown[]) => list?.length ?? 0);
  hb.registerHelper('settings', settingsCell);
  hb.registerHelper('flowchart', (v: ConcernView) => flowchart(v));
  compiled = hb.compile(readFileSync(join(__dirname, '..', 'templates', 'environment-readme.md.hbs'), 'utf8'), { noEscape: true, strict: true });
  return compiled;
}

/** The human-facing README of one environment (Markdown with Mermaid diagrams). */
export function environmentReadme(model: DocsModel): string {
  const management = model.clusters.find((c) => c.role === 'management');
  const text = template()({ ...model, managementName: management?.name ?? '', workloads: model.clusters.filter((c) => c.role === 'workload') });
  return `${text.trimEnd()}\n`;
}

/** Every Mermaid block of a README, in order (for rendering them in tests and tools). */
export function mermaidBlocks(readme: string): string[] {
  return [...readme.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}
