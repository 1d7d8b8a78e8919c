import YAML from 'yaml';
import type { Tree } from './tree';

export interface FoundRule {
  alert?: string;
  record?: string;
  expr?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface FoundGroup {
  name: string;
  rules: FoundRule[];
}

/** A rule file found in the rendered output: where it is (file and key path) and its groups. */
export interface FoundRuleFile {
  file: string;
  /** Key path inside the file's document (`spec`, `ruler.config`, `metrics.prometheusRule.spec`). */
  path: string;
  groups: FoundGroup[];
}

type Node = unknown;
const isObject = (v: Node): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRule = (v: Node): v is FoundRule => isObject(v) && 'expr' in v && ('alert' in v || 'record' in v);
const isGroup = (v: Node): v is FoundGroup => isObject(v) && typeof v.name === 'string' && Array.isArray(v.rules);
const isRuleFile = (v: Node): v is { groups: FoundGroup[] } => isObject(v) && Array.isArray(v.groups) && v.groups.length > 0 && v.groups.every(isGroup);
const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * Every rule group in one parsed document, whatever carries it: a PrometheusRule's `spec`, a chart
 * value holding a rule file (`additionalPrometheusRulesMap.<name>`), a rule file embedded as a YAML
 * string (the Thanos ruler's `config`), or a bare list of rules a chart wraps in its own group
 * (velero's `metrics.prometheusRule.spec`, reported as a group named after its key path). Checks
 * know no component: the shapes, not the chart, say what a rule is.
 */
export function rulesInDocument(file: string, doc: Node): FoundRuleFile[] {
  const out: FoundRuleFile[] = [];
  const walk = (node: Node, path: string) => {
    if (typeof node === 'string') {
      if (!/\bgroups:/.test(node) || !/\bexpr:/.test(node)) return;
      let parsed: Node;
      try {
        parsed = YAML.parse(node);
      } catch {
        return;
      }
      if (isObject(parsed)) walk(parsed, `${path}(yaml)`);
      return;
    }
    if (isRuleFile(node)) {
      out.push({ file, path, groups: node.groups });
      return;
    }
    if (Array.isArray(node)) {
      if (node.length > 0 && node.every(isRule)) {
        out.push({ file, path, groups: [{ name: path, rules: node }] });
        return;
      }
      node.forEach((v, i) => walk(v, join(path, i)));
      return;
    }
    if (isObject(node)) for (const [k, v] of Object.entries(node)) walk(v, join(path, k));
  };
  walk(doc, '');
  return out;
}

/** Every rule file in one environment's rendered tree (SOPS files are skipped: ciphertext holds no rules). */
export function findRuleFiles(tree: Tree, prefix = ''): FoundRuleFile[] {
  const out: FoundRuleFile[] = [];
  for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!file.startsWith(prefix) || !/\.ya?ml$/.test(file) || file.includes('/secrets/')) continue;
    YAML.parseAllDocuments(text).forEach((d, i) => {
      const found = rulesInDocument(file, d.toJS());
      out.push(...found.map((f) => ({ ...f, path: `doc ${i}${f.path ? ` ${f.path}` : ''}` })));
    });
  }
  return out;
}

/** What every alert of the platform carries; a missing one is a message naming the alert and where it is. */
export const REQUIRED_ALERT_FIELDS = { labels: ['severity'], annotations: ['summary', 'description', 'runbook_url'] } as const;

export function missingAlertFields(files: readonly FoundRuleFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    for (const g of f.groups) {
      for (const r of g.rules) {
        if (!r.alert) continue;
        const missing = [
          ...REQUIRED_ALERT_FIELDS.labels.filter((k) => !String(r.labels?.[k] ?? '').trim()).map((k) => `labels.${k}`),
          ...REQUIRED_ALERT_FIELDS.annotations.filter((k) => !String(r.annotations?.[k] ?? '').trim()).map((k) => `annotations.${k}`),
        ];
        if (missing.length) problems.push(`${f.file} (${f.path}) group ${g.name}: alert ${r.alert} has no ${missing.join(', ')}`);
      }
    }
  }
  return problems;
}
