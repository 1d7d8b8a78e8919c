import { describe, expect, it } from 'vitest';
import { toYaml, toYamlDocuments } from '@ck8s/manifest';
import { checkRuleFiles } from '@ck8s/components';
import { listEnvironments, readRenderedEnvironment } from '@ck8s/render';
import { realTool, repoRoot } from '@ck8s/testing';
import { findRuleFiles, missingAlertFields, rulesInFile } from './rules';
import type { Tree } from './tree';

const rule = (alert: string, extra: object = {}) => ({ alert, expr: 'up == 0', ...extra });

describe('finding rule groups in rendered output', () => {
  it('finds PrometheusRule specs, rule files in values, rule files in YAML strings and bare rule lists', () => {
    const tree: Tree = new Map([
      [
        'clusters/e/c/components/a/objects.yaml',
        toYamlDocuments([
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'notes.txt': 'groups: none here' } },
          { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g1', rules: [rule('A')] }] } },
        ]),
      ],
      [
        'clusters/e/c/components/b/values.yaml',
        toYaml({
          additionalPrometheusRulesMap: { mine: { groups: [{ name: 'g2', rules: [rule('B')] }] } },
          ruler: { config: toYaml({ groups: [{ name: 'g3', rules: [rule('C'), { record: 'r:up', expr: 'sum(up)' }] }] }) },
          metrics: { prometheusRule: { spec: [rule('D')] } },
          alertmanager: { config: { inhibit_rules: [{ source_matchers: ['a="b"'], target_matchers: ['c="d"'] }] } },
        }),
      ],
      ['clusters/e/c/components/b/secrets/s.yaml', toYaml({ groups: [{ name: 'enc', rules: [rule('E')] }] })],
    ]);
    const found = findRuleFiles(tree);
    expect(found.map((f) => [f.file.split('/').slice(-2).join('/'), f.path, f.groups.map((g) => g.name)])).toEqual([
      ['a/objects.yaml', 'doc 1 spec', ['g1']],
      ['b/values.yaml', 'doc 0 additionalPrometheusRulesMap.mine', ['g2']],
      ['b/values.yaml', 'doc 0 ruler.config(yaml)', ['g3']],
      ['b/values.yaml', 'doc 0 metrics.prometheusRule.spec', ['metrics.prometheusRule.spec']],
    ]);
  });
  it('ignores documents without rules and unparsable strings', () => {
    expect(rulesInFile('f', { a: 'groups: [expr: {', b: [1, 2], c: { rules: [] } })).toEqual([]);
  });
  it('names every alert that lacks severity, summary, description or runbook_url', () => {
    const complete = rule('Ok', { labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r' } });
    const files = [{ file: 'f.yaml', path: 'spec', groups: [{ name: 'g', rules: [complete, rule('Bare'), { record: 'x', expr: '1' }] }] }];
    expect(missingAlertFields(files)).toEqual([
      'f.yaml (spec) group g: alert Bare has no labels.severity, annotations.summary, annotations.description, annotations.runbook_url',
    ]);
  });
});

const bin = realTool('promtool', 'checking every rendered rule group');
const environments = listEnvironments(repoRoot);

describe.each(environments)('rendered rules of %s', (env) => {
  const tree = readRenderedEnvironment(repoRoot, env);
  const clusters = [
    ...new Set([...tree.keys()].map((f) => f.split('/')[2]).filter((c) => c !== 'bases' && tree.has(`clusters/${env}/${c}/kustomization.yaml`))),
  ];
  const files = findRuleFiles(tree);

  it('every cluster renders rules, and every alert has severity, summary, description and runbook_url', () => {
    expect(clusters.length).toBeGreaterThan(1);
    for (const c of clusters) expect(files.filter((f) => f.file.startsWith(`clusters/${env}/${c}/`)).length, c).toBeGreaterThan(0);
    expect(missingAlertFields(files)).toEqual([]);
  });

  it.skipIf(!bin).each(clusters)('promtool check rules passes on every rule group of cluster %s', (cluster) => {
    const mine = files.filter((f) => f.file.startsWith(`clusters/${env}/${cluster}/`));
    const result = checkRuleFiles(
      bin as string,
      mine.map((f) => ({ name: `${f.file} ${f.path}`, content: { groups: f.groups } })),
    );
    console.log(`${env}/${cluster}: ${mine.reduce((n, f) => n + f.groups.length, 0)} rule groups checked`);
    expect(result.ok, result.output).toBe(true);
  });
});
