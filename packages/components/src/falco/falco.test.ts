import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot } from '@ck8s/testing';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { kubePrometheusStack } from '../kube-prometheus-stack';
import { falco } from '.';
import { LOCAL_RULES_FILE } from './rules';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('falco');
/**
 * falcosidekick is a subchart (0.9.x) whose values.yaml is not among the shared chart defaults; these
 * paths were checked against falcosecurity/charts charts/falcosidekick/values.yaml of that series.
 */
const SIDEKICK_KEYS = [
  'falcosidekick.replicaCount',
  'falcosidekick.resources',
  'falcosidekick.serviceMonitor.enabled',
  'falcosidekick.config.extraEnv',
  'falcosidekick.config.alertmanager',
];

const render = (env: ReturnType<typeof testEnvironment>, cluster: string) => renderComponent(falco, env, cluster);
const values = (env: ReturnType<typeof testEnvironment>, cluster: string) => render(env, cluster).values as Any;
const secrets = (env: ReturnType<typeof testEnvironment>, cluster: string) => {
  const c = env.clusters.find((x) => x.name === cluster)!;
  return falco.secrets!({ env, cluster: c, settings: (c.settings.components as Any).falco, isEnabled: () => true, enabledComponents: [] });
};

describe('falco', () => {
  const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b', 'apps-c'] });

  it('uses the modern eBPF driver and forwards events through falcosidekick', () => {
    const v = values(env, 'apps-a');
    expect(v.driver.kind).toBe('modern_ebpf');
    expect(v.falcosidekick.enabled).toBe(true);
    expect(v.falco.json_output).toBe(true);
  });

  it('workload: posts to the management Alertmanager with the cluster push identity, labelled with the cluster', () => {
    const sk = values(env, 'apps-c').falcosidekick.config;
    const hostport = sk.extraEnv.find((e: Any) => e.name === 'ALERTMANAGER_HOSTPORT').value;
    expect(hostport).toBe('https://$(ALERTMANAGER_USERNAME):$(ALERTMANAGER_PASSWORD)@alertmanager.ops.test.example.com');
    expect(sk.extraEnv).toContainEqual({ name: 'ALERTMANAGER_PASSWORD', valueFrom: { secretKeyRef: { name: 'alertmanager-writer', key: 'password' } } });
    expect(sk.alertmanager).toMatchObject({ endpoint: '/api/v2/alerts', extralabels: 'cluster:apps-c', minimumpriority: 'warning' });
    const [req] = secrets(env, 'apps-c');
    expect([req.name, req.namespace]).toEqual(['alertmanager-writer', 'falco']);
    expect(req.generate!.password).toEqual({ type: 'random', shareAs: 'alertmanager-writer-apps-c' });
  });

  it('management: posts in-cluster without credentials, through policies both sides open', () => {
    const v = values(env, 'management');
    const url = new URL(v.falcosidekick.config.alertmanager.hostport);
    expect(url.hostname).toBe('alertmanager-operated.monitoring.svc');
    expect(v.falcosidekick.config.extraEnv).toEqual([]);
    // Falco's egress and kube-prometheus-stack's ingress agree on namespace and port.
    const egress = (render(env, 'management').objects as Any[]).find((o) => o.metadata.name === 'allow-alertmanager')!.spec.egress[0];
    expect(egress.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('monitoring');
    expect(egress.ports.map((p: Any) => p.port)).toEqual([Number(url.port)]);
    const senders = (renderComponent(kubePrometheusStack, env, 'management').objects as Any[]).find((o) => o.metadata.name === 'allow-alert-senders')!.spec
      .ingress[0];
    expect(senders.from).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } } });
    expect(senders.ports.map((p: Any) => p.port)).toContain(Number(url.port));
    expect(secrets(env, 'management')).toEqual([]);
    const names = render(env, 'management').objects!.map((o) => o.metadata.name);
    expect(names).toContain('allow-alertmanager');
    expect(names).not.toContain('allow-management-alertmanager');
  });

  it('management without kube-prometheus-stack has no Alertmanager output', () => {
    const off = testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } });
    const v = values(off, 'management');
    expect(v.falcosidekick.config.alertmanager.hostport).toBe('');
    expect(v.serviceMonitor.create).toBe(false);
    expect(render(off, 'management').objects!.map((o) => o.metadata.name)).not.toContain('allow-alertmanager');
  });

  it('dev runs one falcosidekick, prod two; air-gapped does not download rules', () => {
    expect(values(env, 'apps-a').falcosidekick.replicaCount).toBe(1);
    expect(values(testEnvironment({ flavor: 'prod' }), 'workload').falcosidekick.replicaCount).toBe(2);
    const air = values(testEnvironment({ flavor: 'air-gapped' }), 'workload');
    expect(air.falcoctl.artifact.follow.enabled).toBe(false);
    expect(render(testEnvironment({ flavor: 'air-gapped' }), 'workload').objects!.map((o) => o.metadata.name)).not.toContain('allow-rules-download');
  });

  it('sets only keys the chart (and its falcosidekick subchart) declares', () => {
    for (const cluster of ['management', 'apps-a']) expectKeysInChartValues(values(env, cluster), pin.chart, pin.version, { allow: SIDEKICK_KEYS });
  });
});

describe('falco rules: pinned, with exceptions and custom rules', () => {
  /** The example in docs/falco-rules.md, read from the document so the documented example stays true. */
  const docExample = () => {
    const text = readFileSync(join(repoRoot, 'docs', 'falco-rules.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(text)![1];
    return YAML.parse(block) as { components: Any };
  };

  it('installs the pinned falco-rules version and never follows newer ones', () => {
    const v = values(testEnvironment(), 'workload');
    expect(v.falcoctl.config.artifact.install.refs).toEqual(['falco-rules:4.0.0']);
    expect(v.falcoctl.config.artifact.follow.refs).toEqual(['falco-rules:4.0.0']);
    expect(v.falcoctl.artifact).toEqual({ install: { enabled: true }, follow: { enabled: false } });
    expect(v.customRules).toBeUndefined();
    const bumped = values(testEnvironment({ config: { components: { falco: { rules: { version: '4.1.0' } } } } }), 'workload');
    expect(bumped.falcoctl.config.artifact.install.refs).toEqual(['falco-rules:4.1.0']);
    expect(values(testEnvironment({ flavor: 'air-gapped' }), 'workload').falcoctl.artifact.install.enabled).toBe(false);
  });

  it('silences the documented noisy rule for its namespace only, and appends the custom rules', () => {
    const v = values(testEnvironment({ config: docExample() }), 'workload');
    const file = v.customRules[LOCAL_RULES_FILE] as string;
    const items = YAML.parse(file) as Any[];
    expect(items[0]).toEqual({
      rule: 'Contact K8S API Server From Container',
      condition: 'and not k8s.ns.name in ("velero")',
      override: { condition: 'append' },
    });
    expect(file).toContain("# exception: Velero's controllers read and write Kubernetes objects through the API by design");
    expect(items[1]).toMatchObject({ rule: 'Shell in a platform namespace', priority: 'WARNING' });
    expect(items).toHaveLength(2);
  });

  it('merges exceptions of one rule and keeps each namespace once', () => {
    const exceptions = [
      { rule: 'R', namespaces: ['a', 'b'], reason: 'one' },
      { rule: 'R', namespaces: ['b', 'c'], reason: 'two' },
    ];
    const file = values(testEnvironment({ config: { components: { falco: { rules: { exceptions } } } } }), 'workload').customRules[LOCAL_RULES_FILE];
    expect(YAML.parse(file)).toEqual([{ rule: 'R', condition: 'and not k8s.ns.name in ("a", "b", "c")', override: { condition: 'append' } }]);
    expect(file).toContain('# exception: one; two');
  });

  it('rejects custom rules that are not a list of rule, macro or list items, unpinned versions and bad namespaces', () => {
    const withRules = (rules: Any) => () => testEnvironment({ config: { components: { falco: { rules } } } });
    expect(withRules({ custom: 'rule: x' })).toThrow(/components\.falco\.rules\.custom: expected a YAML list/);
    expect(withRules({ custom: '- rule: x\n  macro: y' })).toThrow(/item 1: expected exactly one of rule, macro, list/);
    expect(withRules({ custom: '- [unclosed' })).toThrow(/rules\.custom: not valid YAML/);
    expect(withRules({ version: '4' })).toThrow(/rules\.version: expected an exact version/);
    expect(withRules({ exceptions: [{ rule: 'R', namespaces: ['Bad_NS'], reason: 'x' }] })).toThrow(/a Kubernetes namespace name/);
    expect(withRules({ exceptions: [{ rule: 'R', namespaces: [], reason: 'x' }] })).toThrow(/namespaces/);
  });
});
