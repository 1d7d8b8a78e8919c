import YAML from 'yaml';
import type { ComponentOutput } from '../component';

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

/** Rule groups found somewhere in a document: where (key path) and what. */
export interface FoundRuleFile {
  /** Key path inside the document (`spec`, `ruler.config(yaml)`, `metrics.prometheusRule.spec`). */
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
 * Every rule group in a parsed document, whatever carries it: a PrometheusRule's `spec`, a chart value
 * holding a rule file (`additionalPrometheusRulesMap.<name>`), a rule file embedded as a YAML string
 * (the Thanos ruler's `config`), or a bare list of rules a chart wraps in its own group (velero's
 * `metrics.prometheusRule.spec`, reported as a group named after its key path). The shapes, not the
 * chart, say what a rule is: the checks and the docs find every rule without knowing the components.
 */
export function rulesInDocument(doc: Node): FoundRuleFile[] {
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
      out.push({ path, groups: node.groups });
      return;
    }
    if (Array.isArray(node)) {
      if (node.length > 0 && node.every(isRule)) {
        out.push({ path, groups: [{ name: path, rules: node }] });
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

export interface RenderedAlert {
  name: string;
  severity: string;
  runbook: string;
}

/** The alerts a component's output renders (values, objects and config), in order, each once. */
export function renderedAlerts(output: ComponentOutput): RenderedAlert[] {
  const seen = new Map<string, RenderedAlert>();
  for (const doc of [output.values ?? {}, ...(output.objects ?? []), ...(output.config ?? [])]) {
    for (const file of rulesInDocument(doc)) {
      for (const rule of file.groups.flatMap((g) => g.rules)) {
        if (!rule.alert || seen.has(rule.alert)) continue;
        seen.set(rule.alert, { name: rule.alert, severity: String(rule.labels?.severity ?? ''), runbook: String(rule.annotations?.runbook_url ?? '') });
      }
    }
  }
  return [...seen.values()];
}
