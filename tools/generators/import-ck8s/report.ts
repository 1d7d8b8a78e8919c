import { isPlainObject } from '@ck8s/config';
import type { LeafResult } from './classify';
import { AREAS, areaOf, OUTCOME_TITLES, type Outcome } from './mapping';
import { getPath } from './source/effective';
import type { ImportResult } from './generator';

/**
 * environments/<env>/IMPORT.md: every leaf key of every imported cluster's effective ck8s config,
 * grouped by area, with what became of it; the secrets.yaml keys; the credentials to copy or rotate;
 * and the migration steps. Generated from the same mapping rules that did the import.
 */

const OUTCOMES: Outcome[] = ['mapped', 'default', 'different', 'none', 'replaced'];

/** Markdown table cell: no pipes or newlines, long values shortened. */
export function cell(s: string, max = 0): string {
  const t = max && s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export const showValue = (v: unknown) => code(cell(v === undefined ? 'undefined' : JSON.stringify(v), 60));

function isEmpty(v: unknown): boolean {
  return v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

/** The outcome column: what became of the key, with our key and the reason. */
export function outcomeText(l: Pick<LeafResult, 'outcome' | 'targets' | 'note' | 'rule' | 'value'>, written?: string): string {
  const targets = l.targets.map(code).join(', ');
  switch (l.outcome) {
    case 'mapped':
      return `mapped to ${targets || '(the importer)'}${written ? ` = ${written}` : ''}${l.note ? `: ${cell(l.note)}` : ''}`;
    case 'default':
      return `${OUTCOME_TITLES.default}${targets ? ` (${targets})` : ''}${l.note ? `: ${cell(l.note)}` : ''}`;
    case 'different':
      return `${OUTCOME_TITLES.different}${targets ? ` (${targets})` : ''}: ${cell(l.note)}`;
    case 'none':
      return `${OUTCOME_TITLES.none}: ${isEmpty(l.value) ? 'unused here (empty), nothing lost; ' : ''}${cell(l.note)}`;
    case 'replaced':
      return `replaced by ${l.rule.replacedBy ?? 'another component'}${targets && written ? ` (${targets} = ${written})` : ''}: ${cell(l.note)}`;
  }
}

interface Row {
  key: string;
  clusters: string[];
  value: string;
  origin: string;
  outcome: string;
}

/** One row per key, value and outcome; clusters that agree share a row. */
function rows(leaves: LeafResult[], writtenOf: (l: LeafResult) => string | undefined): Row[] {
  const out = new Map<string, Row>();
  for (const l of leaves) {
    const value = showValue(l.value);
    const outcome = outcomeText(l, writtenOf(l));
    const id = [l.key, value, l.origin, outcome].join('\u0000');
    const r = out.get(id) ?? { key: l.key, clusters: [], value, origin: l.origin, outcome };
    if (!r.clusters.includes(l.cluster)) r.clusters.push(l.cluster);
    out.set(id, r);
  }
  // In the order of the ck8s config (the service cluster's keys first).
  return [...out.values()];
}

export function importReport(r: ImportResult): string {
  const { sources: s } = r;
  const placedBy = new Map<LeafResult, string>();
  for (const p of r.assembled.placed) for (const l of p.leaves) placedBy.set(l, `${code(JSON.stringify(p.value).slice(0, 80))} in ${p.file}`);
  const writtenOf = (l: LeafResult) => placedBy.get(l);
  const sc = s.clusters.find((c) => c.kind === 'sc')!;
  const installer = getPath(sc.cfg.value, ['global', 'ck8sK8sInstaller']);
  const lines: string[] = [
    `# ${r.name}: imported from compliantkubernetes-apps`,
    '',
    `<!-- Written by \`npx nx g @ck8s/tools:import-ck8s\`. A record of the import: regenerate by importing again, do not edit. -->`,
    '',
    `This environment was imported from compliantkubernetes-apps ${s.version} (flavor \`${s.flavor}\`, installer \`${String(installer)}\`). ` +
      "Every leaf key of every imported cluster's effective ck8s config (defaults ◀ overrides, merged as ck8s merges them) is listed below with what " +
      'became of it: ' +
      `**mapped** to one of our keys (with the value written), **${OUTCOME_TITLES.default}**, **${OUTCOME_TITLES.different}** (explained), ` +
      `**${OUTCOME_TITLES.none}** (why, and what to do) or **${OUTCOME_TITLES.replaced}**.`,
    '',
    '| ck8s cluster | config path | our cluster | role | provider |',
    '| --- | --- | --- | --- | --- |',
    ...s.clusters.map((c) => `| ${c.kind} | ${code(c.cfg.source.dir)} | ${code(c.name)} | ${c.role} | ${c.provider} |`),
    '',
  ];
  const monitored = getPath(sc.cfg.value, ['global', 'clustersMonitoring']);
  const missing = Array.isArray(monitored) ? monitored.filter((m) => typeof m === 'string' && !s.clusters.some((c) => c.name === m)) : [];
  if (missing.length) {
    lines.push(
      `**Not imported:** the service cluster monitors ${missing.map((m) => code(String(m))).join(', ')} (global.clustersMonitoring), but no config ` +
        `path was given for ${missing.length === 1 ? 'it' : 'them'}. Import again with \`--workloadConfigPaths\`, or add ` +
        `${missing.length === 1 ? 'it' : 'them'} later with \`add-workload-cluster\`.`,
      '',
    );
  }

  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, r.leaves.filter((l) => l.outcome === o).length]));
  lines.push(
    '## Summary',
    '',
    `${r.leaves.length} leaf keys over ${s.clusters.length} clusters (a key counts once per cluster whose config has it):`,
    '',
    '| outcome | keys |',
    '| --- | --- |',
  );
  for (const o of OUTCOMES) lines.push(`| ${OUTCOME_TITLES[o]} | ${counts[o]} |`);
  lines.push(
    '',
    `Written: ${Object.keys(r.assembled.files)
      .map((f) => code(f))
      .join(', ')} (${r.assembled.placed.length} imported settings), \`.sops.yaml\` and ${r.secrets.files.length} SOPS-encrypted Secrets.`,
    '',
  );

  lines.push(
    '## Migration steps',
    '',
    '1. Read this file. Everything under "different meaning" and "no equivalent" with a value of yours needs a decision; "replaced" components ' +
      '(Traefik, Fluent Bit, Capsule) run next to nothing of the old ones.',
    '2. Fill the placeholders and copy the credentials listed under "Secrets" (`sops <file>`).',
    `3. Render and validate: \`npx nx run ${r.name}:render\`, \`npx nx run ${r.name}:validate\`; review \`clusters/${r.name}/\` and commit both folders.`,
    '4. Per cluster, bootstrap Flux (packages/bootstrap or `flux install` plus the `sops-age` and `flux-system` Secrets) with its Kustomizations ' +
      'suspended, and stop running `ck8s apply` against it.',
    '5. Adopt the releases one component at a time: where the Helm release name and namespace are the same, resume the Kustomization and Flux upgrades ' +
      'the release in place; where they differ (Traefik for ingress-nginx, Fluent Bit for Fluentd, Capsule for HNC), let Flux install ours, move ' +
      'traffic or users over, then uninstall the old release with `helm uninstall`.',
    '6. Move data where this file says so (buckets named differently, Harbor or Thanos on Swift, the sc-logs bucket), then remove the old releases and ' +
      'buckets.',
    '',
  );

  // ---- secrets ----
  lines.push('## Secrets', '');
  for (const f of r.secretFiles)
    lines.push(
      f.plain
        ? `- ${code(f.path)}: decrypted with sops; values with an equivalent were imported into our Secrets.`
        : `- ${code(f.path)}: **not decrypted** (${cell(f.reason ?? '')}); our Secrets got fresh values or placeholders.`,
    );
  if (!r.secretFiles.length) lines.push('- no secrets.yaml in the config paths: our Secrets got fresh values or placeholders.');
  lines.push('');
  if (r.manual.length) {
    lines.push(
      'Credentials that would have come from ck8s but could not be read (**copy**: the running system depends on the old value, copy it from the ck8s ' +
        'secrets.yaml with `sops`; **rotate**: a fresh value was generated, both sides change together when Flux applies them):',
      '',
      '| our Secret | key | clusters | ck8s key | action |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const m of r.manual) lines.push(`| ${code(m.secret)} | ${code(m.key)} | ${m.clusters.join(', ')} | ${code(m.from)} | ${m.action} |`);
    lines.push('');
  }
  if (r.secrets.placeholders.length) {
    lines.push('Placeholders (`REPLACE-ME: ...`) to fill with `sops <file>`:', '', '| file | key | what |', '| --- | --- | --- |');
    for (const p of r.secrets.placeholders) lines.push(`| ${code(p.path)} | ${code(p.key)} | ${cell(p.hint.split('\n')[0], 100)} |`);
    lines.push('');
  }
  if (r.secretLeaves.length) {
    lines.push('Keys of the ck8s secrets.yaml (names only):', '', '| file | ck8s key | outcome |', '| --- | --- | --- |');
    for (const l of r.secretLeaves) {
      const to = l.destinations.length ? ` → ${l.destinations.map(code).join(', ')}` : '';
      lines.push(`| ${code(l.file.split('/').slice(-2).join('/'))} | ${code(l.key)} | ${OUTCOME_TITLES[l.outcome]}${to}: ${cell(l.note)} |`);
    }
    lines.push('');
  }

  // ---- config keys by area ----
  lines.push('## Config keys by area', '');
  const groups = [
    ...AREAS.map((a) => ({ title: a.title, leaves: r.leaves.filter((l) => areaOf(l.path) === a) })),
    { title: 'Other keys', leaves: r.leaves.filter((l) => !areaOf(l.path)) },
  ];
  for (const g of groups.filter((x) => x.leaves.length)) {
    const c = Object.fromEntries(OUTCOMES.map((o) => [o, g.leaves.filter((l) => l.outcome === o).length]));
    lines.push(
      `### ${g.title}`,
      '',
      OUTCOMES.filter((o) => c[o])
        .map((o) => `${c[o]} ${OUTCOME_TITLES[o]}`)
        .join(', '),
      '',
      '| ck8s key | clusters | value | from | outcome |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const row of rows(g.leaves, writtenOf))
      lines.push(`| ${code(row.key)} | ${row.clusters.join(', ')} | ${row.value} | ${row.origin} | ${row.outcome} |`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
