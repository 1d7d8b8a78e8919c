import YAML, { type Node, type YAMLSeq } from 'yaml';
import { z } from 'zod';
import type { JsonObject } from '@ck8s/manifest';

/**
 * Falco's rules as configuration: the upstream `falco-rules` artifact at a pinned version (falcoctl
 * installs exactly that one, so a rules update is a reviewed change of `rules.version`), exceptions
 * that silence a rule for named namespaces, and rules of one's own. Exceptions and custom rules
 * become one rules file in /etc/falco/rules.d, which Falco loads after the upstream rules.
 */

/** The falco-rules major line the pinned Falco chart's falcoctl defaults to (`falco-rules:4`). */
export const DEFAULT_RULES_VERSION = '4.0.0';
/** The rules file the chart's `customRules` mounts under /etc/falco/rules.d. */
export const LOCAL_RULES_FILE = 'ck8s-rules.yaml';

const Namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'a Kubernetes namespace name' });

const RuleException = z.strictObject({
  rule: z.string().min(1).describe('Name of the Falco rule, exactly as in the rules file (e.g. "Contact K8S API Server From Container")'),
  namespaces: z.array(Namespace).min(1).describe('Namespaces whose events of this rule are dropped'),
  reason: z.string().min(1).describe('Why the events are expected there (kept in the rendered rules file for reviewers)'),
});

export const rulesSettings = z
  .strictObject({
    version: z
      .string()
      .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { message: 'an exact version such as "4.0.0"' })
      .default(DEFAULT_RULES_VERSION)
      .describe('falco-rules artifact version falcoctl installs; pinned, so a rules update is a reviewed diff of this value'),
    exceptions: z.array(RuleException).default([]).describe("Silence a rule for some namespaces (appended to the rule's condition)"),
    custom: z.string().default('').describe('Rules of your own: a YAML list of Falco rule, macro and list items, loaded after the upstream rules'),
  })
  .prefault({});

export type RulesSettings = z.output<typeof rulesSettings>;

/** Problems with `custom` (paths relative to `rules`); a broken rules file would stop Falco on every node. */
export function customRulesProblems(custom: string): { path: PropertyKey[]; message: string }[] {
  if (!custom.trim()) return [];
  const doc = YAML.parseDocument(custom);
  if (doc.errors.length) return [{ path: ['custom'], message: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}` }];
  const items = doc.toJS({ maxAliasCount: 0 }) as unknown;
  if (!Array.isArray(items)) return [{ path: ['custom'], message: 'expected a YAML list of rule, macro or list items' }];
  const problems: { path: PropertyKey[]; message: string }[] = [];
  items.forEach((item, i) => {
    const keys = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
    const kind = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'].filter((k) => keys.includes(k));
    if (kind.length !== 1)
      problems.push({
        path: ['custom'],
        message: `item ${i + 1}: expected exactly one of rule, macro, list, required_engine_version or required_plugin_versions`,
      });
  });
  return problems;
}

/** Falco's `in (...)` list of quoted names. */
const inList = (names: readonly string[]) => `(${names.map((n) => `"${n}"`).join(', ')})`;

/**
 * The rules file: one override per rule with exceptions, appending `and not k8s.ns.name in (...)` to
 * its condition (Falco >= 0.36 `override` syntax: the upstream condition stays as it is), then the
 * custom items. Each override carries its reasons as a comment for reviewers.
 */
export function localRulesFile(s: RulesSettings): string | undefined {
  const byRule = new Map<string, { namespaces: string[]; reasons: string[] }>();
  for (const e of s.exceptions) {
    const entry = byRule.get(e.rule) ?? { namespaces: [], reasons: [] };
    entry.namespaces.push(...e.namespaces.filter((n) => !entry.namespaces.includes(n)));
    entry.reasons.push(e.reason);
    byRule.set(e.rule, entry);
  }
  const overrides = [...byRule].map(([rule, e]) => ({ rule, condition: `and not k8s.ns.name in ${inList(e.namespaces)}`, override: { condition: 'append' } }));
  const custom = s.custom.trim() ? (YAML.parse(s.custom, { maxAliasCount: 0 }) as unknown[]) : [];
  if (!overrides.length && !custom.length) return undefined;
  const doc = new YAML.Document([...overrides, ...custom]);
  const reasons = [...byRule.values()].map((e) => e.reasons.join('; '));
  (doc.contents as YAMLSeq).items.forEach((node, i) => {
    if (i < reasons.length) (node as Node).commentBefore = ` exception: ${reasons[i]}`;
    else if (i === reasons.length) (node as Node).commentBefore = ' custom rules (components.falco.rules.custom)';
  });
  doc.commentBefore = ' Rendered from components.falco.rules; loaded after the upstream falco-rules.';
  return doc.toString({ lineWidth: 0 });
}

/** falcoctl installs the pinned artifact once per pod start; following a pinned version would find nothing new. */
export function falcoctlValues(s: RulesSettings, install: boolean): JsonObject {
  const refs = [`falco-rules:${s.version}`];
  return {
    artifact: { install: { enabled: install }, follow: { enabled: false } },
    config: { artifact: { install: { refs }, follow: { refs } } },
  };
}
