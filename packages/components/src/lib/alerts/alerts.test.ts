import { describe, expect, it } from 'vitest';
import { realTool } from '@ck8s/testing';
import { testEnvironment } from '../../testing';
import { renderedAlerts } from './find';
import { missingMembers, promRegexLiteral, withLabels } from './promql';
import { checkRuleFiles, runPromtoolSuite } from './promtool';
import { defineAlertGroup, expandLabels, prometheusRule, renderAlertGroup, type AlertSpec } from './rules';
import { alertTarget, gitWebUrl, runbookAnchor, runbookBaseUrl, runbookUrl } from './runbooks';
import { promtoolSuite, TEST_TARGET } from './unit-tests';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const downSpec: AlertSpec<{ minutes: number }> = {
  alert: 'ThingDown',
  severity: 'critical',
  summary: 'Thing {{ $labels.instance }} is down',
  description: 'The thing at {{ $labels.instance }} has not answered for a while.',
  expr: () => 'up{job="thing"} == 0',
  for: (p) => `${p.minutes}m`,
  labels: { team: 'platform' },
  tests: {
    fires: { series: [{ series: 'up{job="thing",instance="a:80"}', values: '0x20' }], at: '10m', labels: { job: 'thing', instance: 'a:80' } },
    silent: { series: [{ series: 'up{job="thing",instance="a:80"}', values: '1x20' }], at: '10m' },
  },
};
const group = defineAlertGroup({ name: 'things', title: 'Things', example: { minutes: 5 }, alerts: [downSpec] });

describe('runbook addresses', () => {
  it('turn clone URLs into web URLs', () => {
    expect(gitWebUrl('ssh://git@github.com/example-org/compliant-gitops.git')).toBe('https://github.com/example-org/compliant-gitops');
    expect(gitWebUrl('ssh://git@gitlab.example.com:2222/group/sub/repo.git')).toBe('https://gitlab.example.com/group/sub/repo');
    expect(gitWebUrl('https://deploy:token@git.example.com:8443/org/repo.git/')).toBe('https://git.example.com:8443/org/repo');
  });
  it('default to the runbooks folder on the deployed branch, or use alerting.runbookBaseUrl', () => {
    const env = testEnvironment({ config: { git: { url: 'ssh://git@github.com/acme/platform.git', branch: 'release' } } });
    expect(runbookBaseUrl(env, env.clusters[0])).toBe('https://github.com/acme/platform/blob/release/docs/runbooks');
    const set = testEnvironment({ config: { alerting: { runbookBaseUrl: 'https://wiki.example.com/runbooks/' } } });
    expect(alertTarget(set, set.clusters[1])).toEqual({ environment: 'test-env', cluster: 'workload', runbookBase: 'https://wiki.example.com/runbooks' });
    expect(() => testEnvironment({ config: { alerting: { runbookBaseUrl: 'wiki/runbooks' } } })).toThrow(/alerting.runbookBaseUrl: .*http/);
  });
  it("point at the alert's section of its group's page", () => {
    expect(runbookAnchor('KubePersistentVolumeFillingUp')).toBe('kubepersistentvolumefillingup');
    expect(runbookAnchor('Some heading: with (punctuation)')).toBe('some-heading-with-punctuation');
    expect(runbookUrl('https://x/docs/runbooks', 'velero', 'VeleroBackupFailed')).toBe('https://x/docs/runbooks/velero.md#velerobackupfailed');
  });
});

describe('renderAlertGroup', () => {
  it('renders severity, the spec labels, a description naming the cluster and the runbook URL', () => {
    const g = renderAlertGroup(group, { minutes: 7 }, { environment: 'prod', cluster: 'apps-a', runbookBase: 'https://r' }) as Any;
    expect(g.name).toBe('things');
    expect(g.rules[0]).toEqual({
      alert: 'ThingDown',
      expr: 'up{job="thing"} == 0',
      for: '7m',
      labels: { severity: 'critical', team: 'platform' },
      annotations: {
        summary: 'Thing {{ $labels.instance }} is down',
        description: 'The thing at {{ $labels.instance }} has not answered for a while. (cluster apps-a, environment prod)',
        runbook_url: 'https://r/things.md#thingdown',
      },
    });
  });
  it('refuses bad names, duplicates, empty texts and templates the tests cannot expand', () => {
    const bad = (alerts: AlertSpec<{ minutes: number }>[]) => () => renderAlertGroup({ ...group, alerts }, { minutes: 1 }, TEST_TARGET);
    expect(bad([{ ...downSpec, alert: 'thing_down' }])).toThrow(/not a PascalCase alert name/);
    expect(bad([downSpec, downSpec])).toThrow(/ThingDown is defined twice/);
    expect(bad([{ ...downSpec, summary: ' ' }])).toThrow(/empty summary/);
    expect(bad([{ ...downSpec, description: 'value {{ $value }}' }])).toThrow(/description may only use/);
  });
  it('expands label references like Prometheus does (missing labels are empty)', () => {
    expect(expandLabels('{{ $labels.a }}/{{$labels.b}}/{{ $labels.c }}', { a: '1', b: '2' })).toBe('1/2/');
  });
  it("wraps groups in a PrometheusRule the cluster's Prometheus selects", () => {
    const o = prometheusRule('opensearch', 'opensearch-system', [{ name: 'x', rules: [] }]) as Any;
    expect(o.metadata).toMatchObject({
      name: 'opensearch-alerts',
      namespace: 'opensearch-system',
      labels: { release: 'kube-prometheus-stack', 'ck8s.io/component': 'opensearch' },
    });
    expect(o.spec.groups).toEqual([{ name: 'x', rules: [] }]);
  });
});

describe('promtoolSuite', () => {
  it("expects the firing case's labels and expanded annotations, and nothing in the silent case", () => {
    const s = promtoolSuite(group) as Any;
    expect(s.cases).toBe(2);
    const [fires, silent] = s.tests.tests;
    expect(fires.alert_rule_test[0].exp_alerts).toEqual([
      {
        exp_labels: { job: 'thing', instance: 'a:80', severity: 'critical', team: 'platform' },
        exp_annotations: {
          summary: 'Thing a:80 is down',
          description: 'The thing at a:80 has not answered for a while. (cluster test-cluster, environment unit-test)',
          runbook_url: 'https://runbooks.test/docs/runbooks/things.md#thingdown',
        },
      },
    ]);
    expect(silent.alert_rule_test[0]).toEqual({ eval_time: '10m', alertname: 'ThingDown', exp_alerts: [] });
  });
});

const bin = realTool('promtool', 'alert rule harness');
describe.skipIf(!bin)('promtool harness', { timeout: 60_000 }, () => {
  it('passes a correct suite and fails when the firing case does not fire (for longer than the case waits)', () => {
    expect(runPromtoolSuite(bin as string, promtoolSuite(group)).ok).toBe(true);
    const late = runPromtoolSuite(bin as string, promtoolSuite(group, { minutes: 30 }));
    expect(late.ok).toBe(false);
    expect(late.output).toMatch(/ThingDown fires/);
  });
  it('fails when the silent case fires', () => {
    const noisy = { ...downSpec, tests: { ...downSpec.tests, silent: downSpec.tests.fires } };
    const r = runPromtoolSuite(bin as string, promtoolSuite({ ...group, alerts: [noisy] }));
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/ThingDown stays silent/);
  });
  it('check rules accepts valid files and rejects bad PromQL and duplicate rules, naming the file', () => {
    const good = { groups: [renderAlertGroup(group, group.example, TEST_TARGET)] };
    expect(checkRuleFiles(bin as string, [{ name: 'good', content: good }])).toMatchObject({ ok: true });
    const broken = { groups: [{ name: 'b', rules: [{ alert: 'Broken', expr: 'rate(up[5m]' }] }] };
    const r = checkRuleFiles(bin as string, [
      { name: 'good', content: good },
      { name: 'clusters/x/values.yaml', content: broken },
    ]);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/clusters_x_values\.yaml[\s\S]*FAILED/);
    const twice = { groups: [{ name: 'd', rules: [good.groups[0].rules, good.groups[0].rules].flat() }] };
    expect(checkRuleFiles(bin as string, [{ name: 'dup', content: twice }]).ok).toBe(false);
  });
});

describe('PromQL helpers', () => {
  it('escape regex characters for a double-quoted PromQL string', () => {
    expect(promRegexLiteral('a.b-c')).toBe('a\\\\.b-c');
  });
  it('label a vector and list the members of a set that are missing', () => {
    expect(withLabels('vector(1)', { cluster: 'a' })).toBe('label_replace(vector(1), "cluster", "a", "", "")');
    const e = missingMembers([{ cluster: 'a' }, { cluster: 'b' }], (m) => `up{tenant="${m.cluster}"}`);
    expect(e).toBe(
      '(label_replace(vector(1), "cluster", "a", "", "") or label_replace(vector(1), "cluster", "b", "", "")) unless on (cluster) ' +
        '(label_replace(max(up{tenant="a"}), "cluster", "a", "", "") or label_replace(max(up{tenant="b"}), "cluster", "b", "", ""))',
    );
    expect(() => missingMembers([], () => 'x')).toThrow(/no member/);
  });
});

describe('renderedAlerts', () => {
  it('lists the alerts of an output wherever they are rendered, each once, with severity and runbook', () => {
    const rendered = renderAlertGroup(group, group.example, TEST_TARGET);
    const out = {
      values: {
        ruler: { config: `groups:\n  - name: g\n    rules:\n      - alert: InRuler\n        expr: up == 0\n        labels: { severity: info }\n` },
        list: [rendered.rules],
      },
      objects: [prometheusRule('c', 'ns', [rendered])],
      config: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'no rules' } }],
    } as unknown as Parameters<typeof renderedAlerts>[0];
    expect(renderedAlerts(out)).toEqual([
      { name: 'InRuler', severity: 'info', runbook: '' },
      { name: 'ThingDown', severity: 'critical', runbook: 'https://runbooks.test/docs/runbooks/things.md#thingdown' },
    ]);
    expect(renderedAlerts({})).toEqual([]);
  });
});
