import type { ObjectChange } from './changes';
import { formatValueChange } from './values';

/** Changes that are the same wherever they happened, shown once with the list of places. */
export interface ChangeGroup {
  change: ObjectChange['change'];
  /** The first change of the group: its values, SOPS lines and diff stand for all. */
  sample: ObjectChange;
  members: ObjectChange[];
}

const place = (c: ObjectChange) => `${c.env} / ${c.cluster} / ${c.component}`;

/**
 * Two changes are the same when they change the same settings from the same old to the same new
 * values, whatever the object's name or kind (a Flux interval is the same change on a Kustomization
 * and a HelmRelease), or add or remove the same object.
 */
function signature(c: ObjectChange): string {
  if (c.change !== 'changed') return `${c.change}\u0000${c.ref}`;
  if (c.values.length || c.sops) return `${c.change}\u0000${c.renamedFrom ? 'renamed' : ''}\u0000${JSON.stringify([c.values, c.sops ?? []])}`;
  return `${c.change}\u0000${c.kind}\u0000${c.diff ?? ''}`;
}

export function groupChanges(changes: readonly ObjectChange[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const c of changes) {
    const k = signature(c);
    const g = groups.get(k);
    if (g) g.members.push(c);
    else groups.set(k, { change: c.change, sample: c, members: [c] });
  }
  return [...groups.values()];
}

const MAX_VALUES = 20;
const MAX_OPEN_PLACES = 5;

function describe(g: ChangeGroup): string[] {
  const c = g.sample;
  const lines: string[] = [];
  const many = g.members.length > 1;
  const kinds = [...new Set(g.members.map((m) => `\`${m.kind}\``))].join(', ');
  const what = many ? `${kinds} in ${g.members.length} places (the same change in each)` : `\`${c.ref}\``;
  const renamed = c.renamedFrom && !many ? ` (was \`${c.renamedFrom.split('/').pop()}\`: the name follows the content; paired by ${c.pairedBy})` : '';
  lines.push(`- **${c.change}** ${what}${renamed}`);
  if (many) {
    const list = g.members.map((m) => `  - ${place(m)}: \`${m.ref}\``);
    if (g.members.length > MAX_OPEN_PLACES) lines.push('', '  <details><summary>places</summary>', '', ...list, '', '  </details>', '');
    else lines.push(...list);
  }
  for (const s of c.sops ?? []) lines.push(`  - ${s}`);
  const shown = c.values.map(formatValueChange).filter((v): v is string => !!v);
  for (const v of shown.slice(0, MAX_VALUES)) lines.push(`  - ${v}`);
  if (shown.length > MAX_VALUES) lines.push(`  - … and ${shown.length - MAX_VALUES} more`);
  if (c.diff) {
    const block = ['  ```diff', ...c.diff.split('\n').map((l) => `  ${l}`), '  ```'];
    // With the settings listed above, the YAML diff is the detail: folded, so the list stays readable.
    if (shown.length) lines.push('', `  <details><summary>YAML diff${many ? ` (${place(c)})` : ''}</summary>`, '', ...block, '', '  </details>', '');
    else lines.push('', ...block);
  }
  return lines;
}

/** Markdown for a pull request: a summary table, identical changes once with their places, then the rest per place. */
export function diffMarkdown(changes: ObjectChange[], title = 'Rendered changes'): string {
  if (!changes.length) return `### ${title}\n\nNo rendered object changes.\n`;
  const lines = [`### ${title}`, '', '| environment | cluster | component | added | changed | removed |', '| --- | --- | --- | --- | --- | --- |'];
  const byPlace = new Map<string, ObjectChange[]>();
  for (const c of changes) byPlace.set(place(c), [...(byPlace.get(place(c)) ?? []), c]);
  for (const list of byPlace.values()) {
    const n = (t: ObjectChange['change']) => list.filter((c) => c.change === t).length;
    const { env, cluster, component } = list[0];
    lines.push(`| ${env} | ${cluster} | ${component} | ${n('added')} | ${n('changed')} | ${n('removed')} |`);
  }
  const groups = groupChanges(changes);
  const shared = groups.filter((g) => g.members.length > 1);
  if (shared.length) lines.push('', '#### The same change in several places', '', ...shared.flatMap(describe));
  const single = new Map<string, ChangeGroup[]>();
  for (const g of groups.filter((x) => x.members.length === 1)) single.set(place(g.sample), [...(single.get(place(g.sample)) ?? []), g]);
  for (const [where, list] of single) lines.push('', `#### ${where}`, '', ...list.flatMap(describe));
  return `${lines.join('\n')}\n`;
}
