import type { JsonObject } from '@ck8s/manifest';
import { expandLabels, renderAlertGroup, ruleAnnotations, ruleLabels, type AlertGroup, type AlertTarget } from './rules';

/** The target unit tests render with: fixed names, so expected annotations are stable. */
export const TEST_TARGET: AlertTarget = { environment: 'unit-test', cluster: 'test-cluster', runbookBase: 'https://runbooks.test/docs/runbooks' };

export interface PromtoolSuite {
  /** The rule file (`{ groups: [...] }`), referred to by the test file as `rules.yaml`. */
  rules: JsonObject;
  /** The `promtool test rules` file: a firing and a silent test per alert. */
  tests: JsonObject;
  /** How many test cases it holds. */
  cases: number;
}

/**
 * A group's unit tests for `promtool test rules`, generated from the typed cases next to each alert:
 * the firing case expects exactly one alert with the labels it names (plus `severity` and the rule's
 * labels) and the annotations the rule renders for them; the silent case expects none.
 */
export function promtoolSuite<P>(group: AlertGroup<P>, params: P = group.example, target: AlertTarget = TEST_TARGET): PromtoolSuite {
  const tests: JsonObject[] = [];
  for (const spec of group.alerts) {
    if (spec.when && !spec.when(params))
      throw new Error(`alert ${spec.alert} is off with the parameters of its unit tests: give the group example parameters that enable every alert`);
    const { fires, silent } = spec.tests;
    const labels = { ...fires.labels, ...ruleLabels(spec) };
    const annotations = Object.fromEntries(Object.entries(ruleAnnotations(group, spec, target)).map(([k, v]) => [k, expandLabels(v, labels)]));
    tests.push({
      name: `${spec.alert} fires`,
      interval: '1m',
      input_series: fires.series.map((s) => ({ ...s })),
      alert_rule_test: [{ eval_time: fires.at, alertname: spec.alert, exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }] }],
    });
    tests.push({
      name: `${spec.alert} stays silent`,
      interval: '1m',
      input_series: silent.series.map((s) => ({ ...s })),
      alert_rule_test: [{ eval_time: silent.at, alertname: spec.alert, exp_alerts: [] }],
    });
  }
  return {
    rules: { groups: [renderAlertGroup(group, params, target)] },
    tests: { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests },
    cases: tests.length,
  };
}
