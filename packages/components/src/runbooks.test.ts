import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@ck8s/testing';
import { CATALOG } from './catalog';
import { RUNBOOKS_DIR, runbookProblems, runbookSections, type AnyAlertGroup } from './lib/alerts';

const groups = CATALOG.flatMap((c) => c.alerts ?? []);
const dir = join(repoRoot, RUNBOOKS_DIR);
const pages = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
);

describe('runbooks', () => {
  it(`${RUNBOOKS_DIR} has a page per alert group and a complete section per alert, and nothing else`, () => {
    expect(groups.length).toBeGreaterThan(10);
    expect(runbookProblems(groups, pages)).toEqual([]);
  });
});

describe('runbookProblems', () => {
  const spec = (alert: string) => ({
    alert,
    severity: 'warning' as const,
    summary: 's',
    description: 'd',
    expr: () => 'up == 0',
    tests: { fires: { series: [], at: '1m' as const, labels: {} }, silent: { series: [], at: '1m' as const } },
  });
  const group: AnyAlertGroup = { name: 'things', title: 'Things', example: {}, alerts: [spec('ThingDown'), spec('ThingSlow')] };
  const section = (name: string, parts = ['What it means', 'How to confirm', 'How to fix']) =>
    `## ${name}\n\n${parts.map((p) => `### ${p}\ntext\n`).join('\n')}`;

  it('accepts a page with a complete section per alert', () => {
    expect(runbookProblems([group], { 'things.md': `# Things\n\n${section('ThingDown')}\n${section('ThingSlow')}`, 'README.md': '# index' })).toEqual([]);
  });
  it('names an alert without a section, a section without an alert, and a missing part', () => {
    const page = `# Things\n\n${section('ThingDown', ['What it means', 'How to fix'])}\n${section('ThingGone')}`;
    expect(runbookProblems([group], { 'things.md': page })).toEqual([
      'things.md: no section "## ThingSlow" for the alert ThingSlow',
      'things.md: ThingDown has no "### How to confirm"',
      'things.md: section "## ThingGone" names no alert of the group things',
    ]);
  });
  it('names a group without a page and a page without a group', () => {
    expect(runbookProblems([group], { 'others.md': section('X') })).toEqual([
      'others.md: no alert group "others" renders alerts for this page',
      'things.md: missing (alert group things: ThingDown, ThingSlow)',
    ]);
  });
  it('ignores headings inside code blocks', () => {
    expect([...runbookSections('## A\n```\n## not a section\n### nor this\n```\n### Part\n').entries()]).toEqual([['A', ['Part']]]);
  });
});
