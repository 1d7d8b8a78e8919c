import { describe, expect, it } from 'vitest';
import { relabel, type RelabelConfig } from '../lib/relabel';
import { platformNamespaces } from '../lib/platform-namespaces';
import { userAdminRules } from '../user-rbac/roles';
import { renderComponent, renderContext, testEnvironment } from '../testing';
import { kubePrometheusStack as kps } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const env = testEnvironment({ flavor: 'prod' });
const workload = renderComponent(kps, env, 'workload').values as Any;
const spec = workload.prometheus.prometheusSpec;
const toOperators: RelabelConfig[] = spec.additionalAlertManagerConfigs[0].alert_relabel_configs;
const platform = platformNamespaces(renderContext(kps, env, 'workload').enabledComponents);
/** What reaches the management Alertmanager: the rendered relabel rules, evaluated. */
const reachesOperators = (labels: Record<string, string>) => relabel(labels, toOperators) !== undefined;

describe('users’ alerts stay the users’', () => {
  it('sends platform alerts to the management Alertmanager: cluster-level ones and those about platform namespaces', () => {
    expect(platform).toEqual(expect.arrayContaining(['monitoring', 'falco', 'gatekeeper-system', 'kube-system', 'flux-system']));
    expect(reachesOperators({ alertname: 'KubeNodeNotReady', node: 'n1', severity: 'warning', cluster: 'workload' })).toBe(true);
    for (const namespace of platform) expect(reachesOperators({ alertname: 'KubePodCrashLooping', namespace, severity: 'warning' }), namespace).toBe(true);
  });

  it('keeps users’ alerts, and platform alerts about users’ workloads, on the workload cluster', () => {
    expect(reachesOperators({ alertname: 'CheckoutLatencyHigh', namespace: 'team-a' })).toBe(false);
    expect(reachesOperators({ alertname: 'KubePodCrashLooping', namespace: 'default' })).toBe(false);
    // Anchored: a namespace that merely starts like a platform one is a user namespace.
    expect(reachesOperators({ alertname: 'X', namespace: 'monitoring-team' })).toBe(false);
    expect(reachesOperators({ alertname: 'X', namespace: 'kube-system2' })).toBe(false);
  });

  it('stamps users’ rules and monitors with their namespace, so they cannot pose as the platform', () => {
    expect(spec.enforcedNamespaceLabel).toBe('namespace');
    const excluded = new Set((spec.excludedFromEnforcement as Any[]).map((r) => `${r.namespace}/${r.resource}`));
    for (const namespace of platform)
      for (const resource of ['prometheusrules', 'servicemonitors', 'podmonitors', 'probes']) expect(excluded).toContain(`${namespace}/${resource}`);
    expect([...excluded].some((e) => e.startsWith('default/'))).toBe(false);
  });

  it('lets the users’ Alertmanager read AlertmanagerConfigs from user namespaces only, each for its own namespace', () => {
    const am = workload.alertmanager.alertmanagerSpec;
    expect(am.alertmanagerConfigMatcherStrategy).toEqual({ type: 'OnNamespace' });
    expect(am.alertmanagerConfigNamespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: platform }]);
    expect(workload.alertmanager.config.route.receiver).toBe('null');
  });

  it('gives user-admin the right to manage AlertmanagerConfig objects', () => {
    const rule = userAdminRules((n) => n === 'kube-prometheus-stack').find((r) => r.apiGroups.includes('monitoring.coreos.com'));
    expect(rule?.resources).toContain('alertmanagerconfigs');
    expect(rule?.verbs).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
    expect(userAdminRules(() => false).some((r) => r.resources.includes('alertmanagerconfigs'))).toBe(false);
  });

  it('changes nothing on the management cluster, which has no users', () => {
    const mgmt = (renderComponent(kps, env, 'management').values as Any).prometheus.prometheusSpec;
    expect(mgmt.enforcedNamespaceLabel).toBeUndefined();
    expect(mgmt.additionalAlertManagerConfigs).toBeUndefined();
  });
});
