import { runbookAnchor } from './runbooks';
import type { AnyAlertGroup } from './rules';

/** The parts every alert's section has (level-3 headings, in any order). */
export const RUNBOOK_PARTS = ['What it means', 'How to confirm', 'How to fix'] as const;

/** Level-2 sections of a Markdown page, with the level-3 headings inside each. */
export function runbookSections(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const h2 = /^## (.+?)\s*$/.exec(line);
    const h3 = /^### (.+?)\s*$/.exec(line);
    if (h2) sections.set(h2[1], (current = []));
    else if (h3 && current) current.push(h3[1]);
  }
  return sections;
}

/**
 * What is wrong between the alert groups and the runbook pages (`<group>.md` → content; other pages
 * such as the README are ignored): a group without a page, a page without a group, an alert without a
 * section, a section that names no alert of its group, a section missing one of the parts.
 */
export function runbookProblems(groups: readonly AnyAlertGroup[], pages: Record<string, string>): string[] {
  const problems: string[] = [];
  const byPage = new Map(groups.map((g) => [`${g.name}.md`, g]));
  for (const page of Object.keys(pages).filter((p) => p !== 'README.md' && !byPage.has(p)))
    problems.push(`${page}: no alert group "${page.replace(/\.md$/, '')}" renders alerts for this page`);
  for (const [page, group] of byPage) {
    const text = pages[page];
    if (text === undefined) {
      problems.push(`${page}: missing (alert group ${group.name}: ${group.alerts.map((a) => a.alert).join(', ')})`);
      continue;
    }
    const sections = runbookSections(text);
    const alerts = new Set(group.alerts.map((a) => a.alert));
    for (const a of alerts) if (!sections.has(a)) problems.push(`${page}: no section "## ${a}" for the alert ${a}`);
    for (const [heading, parts] of sections) {
      if (!alerts.has(heading)) {
        problems.push(`${page}: section "## ${heading}" names no alert of the group ${group.name}`);
        continue;
      }
      // The runbook_url anchor is the alert name in lower case: the heading must produce exactly that.
      if (runbookAnchor(heading) !== heading.toLowerCase()) problems.push(`${page}: the anchor of "## ${heading}" is not #${heading.toLowerCase()}`);
      for (const part of RUNBOOK_PARTS) if (!parts.includes(part)) problems.push(`${page}: ${heading} has no "### ${part}"`);
    }
  }
  return problems;
}
