import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { meta, PROMETHEUS_SELECTOR_LABELS } from '../objects';
import { runbookUrl } from './runbooks';

/** How urgent an alert is: `critical` pages someone, `warning` is for working hours, `info` is context. */
export type Severity = 'critical' | 'warning' | 'info';

/** A Prometheus duration as rules and promtool tests write it (`90s`, `15m`, `2h`, `1d`). */
export type PromDuration = `${number}${'s' | 'm' | 'h' | 'd'}`;

/** One input series of a promtool unit test: `up{job="x"}` and its expanding notation (`1+0x60`, `0 0 5`, `_x10`). */
export interface TestSeries {
  series: string;
  values: string;
}

/** A situation in which the alert must fire: the labels are the alert's own (what the expression outputs, plus the rule's `labels`). */
export interface FiringCase {
  series: TestSeries[];
  /** When to evaluate (after the rule's `for`). */
  at: PromDuration;
  labels: Record<string, string>;
}

/** A situation that looks close to the firing one and must not fire (the healthy state, or a value just under the threshold). */
export interface SilentCase {
  series: TestSeries[];
  at: PromDuration;
}

/**
 * One alert of the platform, written once: the rule, its documentation and its unit tests.
 * `summary` and `description` may use `{{ $labels.<name> }}` and nothing else, so the unit tests can
 * expand them and promtool compares the real annotations; the rendered description also names the
 * cluster that evaluates the rule and gets a `runbook_url`.
 */
export interface AlertSpec<P> {
  /** PascalCase; also the runbook section (`## <alert>`) and its anchor. */
  alert: string;
  severity: Severity;
  summary: string;
  description: string;
  /** The PromQL expression, built from the component's settings (thresholds, cluster lists). */
  expr: (p: P) => string;
  for?: PromDuration | ((p: P) => PromDuration);
  labels?: Record<string, string>;
  /** Whether the rule applies with these parameters (a backup alert without backups); default: always. */
  when?: (p: P) => boolean;
  tests: { fires: FiringCase; silent: SilentCase };
}

/** A rule group: one runbook page (`docs/runbooks/<name>.md`), one component owns it. */
export interface AlertGroup<P = unknown> {
  name: string;
  /** The runbook page's title and the catalog's label for the group. */
  title: string;
  alerts: readonly AlertSpec<P>[];
  /** Parameters the unit tests and docs render with (the component's defaults, a sample cluster list). */
  example: P;
}

/** Where rendered rules run: names the cluster in every description and points at the runbooks. */
export interface AlertTarget {
  environment: string;
  cluster: string;
  /** Base URL of docs/runbooks (see `runbookBaseUrl`). */
  runbookBase: string;
}

/** A group whatever its parameters (for catalogs, docs and tests that only read names and cases). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAlertGroup = AlertGroup<any>;

/** Keeps the parameter type of a group tied to its alerts. */
export function defineAlertGroup<P>(group: AlertGroup<P>): AlertGroup<P> {
  return group;
}

const NAME = /^[A-Z][A-Za-z0-9]+$/;
const TEMPLATE = /\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/** The alert's labels as Prometheus attaches them (`severity` and the spec's own labels). */
export function ruleLabels<P>(spec: AlertSpec<P>): Record<string, string> {
  return { severity: spec.severity, ...spec.labels };
}

/** The annotations of one alert on one cluster. */
export function ruleAnnotations<P>(group: AlertGroup<P>, spec: AlertSpec<P>, target: AlertTarget): Record<string, string> {
  return {
    summary: spec.summary,
    description: `${spec.description} (cluster ${target.cluster}, environment ${target.environment})`,
    runbook_url: runbookUrl(target.runbookBase, group.name, spec.alert),
  };
}

/**
 * A group as a Prometheus rule group. Throws on what promtool would not catch: a badly named alert,
 * an alert twice in a group, an empty summary or description, or a template other than `$labels`.
 */
export function renderAlertGroup<P>(group: AlertGroup<P>, params: P, target: AlertTarget): JsonObject {
  const seen = new Set<string>();
  const rules = group.alerts
    .filter((spec) => spec.when?.(params) ?? true)
    .map((spec) => {
      if (!NAME.test(spec.alert)) throw new Error(`alert group ${group.name}: "${spec.alert}" is not a PascalCase alert name`);
      if (seen.has(spec.alert)) throw new Error(`alert group ${group.name}: ${spec.alert} is defined twice`);
      seen.add(spec.alert);
      for (const [key, text] of [
        ['summary', spec.summary],
        ['description', spec.description],
      ] as const) {
        if (!text.trim()) throw new Error(`alert ${spec.alert}: empty ${key}`);
        if (text.replace(TEMPLATE, '').includes('{{')) throw new Error(`alert ${spec.alert}: ${key} may only use {{ $labels.<name> }} templates`);
      }
      const duration = typeof spec.for === 'function' ? spec.for(params) : spec.for;
      return {
        alert: spec.alert,
        expr: spec.expr(params),
        ...(duration ? { for: duration } : {}),
        labels: ruleLabels(spec),
        annotations: ruleAnnotations(group, spec, target),
      };
    });
  return { name: group.name, rules };
}

/** Expands `{{ $labels.x }}` the way Prometheus does for plain label references (what the unit tests expect). */
export function expandLabels(text: string, labels: Record<string, string>): string {
  return text.replace(TEMPLATE, (_, name: string) => labels[name] ?? '');
}

/** A PrometheusRule the cluster's Prometheus picks up (kube-prometheus-stack's rule selector). */
export function prometheusRule(component: string, namespace: string, groups: JsonObject[], name = `${component}-alerts`): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta(component, name, namespace, PROMETHEUS_SELECTOR_LABELS),
    spec: { groups },
  };
}
