import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadEnvironment, renderFromWorkspace } from '@ck8s/render';
import { repoRoot } from '@ck8s/testing';
import { checkEgress, mayHoldAnyAddressPolicy } from './egress';
import { formatFinding } from './finding';

const ENV = 'example-prod';
const ROOT = `clusters/${ENV}/apps-a`;

describe('egress by destination (prod)', () => {
  const env = loadEnvironment(repoRoot, ENV);
  const cluster = env.clusters.find((c) => c.name === 'apps-a')!;
  const tree = renderFromWorkspace(repoRoot, ENV);
  const anyAddressPolicy = (annotations?: Record<string, string>) =>
    YAML.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-anything', namespace: 'team-a', ...(annotations ? { annotations } : {}) },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] },
    });

  it('passes on what the components render: every any-address rule comes from a key that allows it', () => {
    const anyRules = [...tree].filter(([f, t]) => f.startsWith(`${ROOT}/`) && t.includes('cidr: 0.0.0.0/0'));
    expect(anyRules.length).toBeGreaterThan(0);
    expect(checkEgress(env.flavor, cluster, tree, ROOT).map(formatFinding)).toEqual([]);
  });

  it('fails on an any-address rule no key allows, naming the policy', () => {
    const bad = new Map(tree).set(`${ROOT}/components/extra/objects.yaml`, anyAddressPolicy());
    expect(checkEgress(env.flavor, cluster, bad, ROOT).map(formatFinding)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^ERROR \[config\] apps-a: clusters/example-prod/apps-a/components/extra/objects\.yaml ` +
            String.raw`NetworkPolicy/team-a/allow-anything: egress to any address \(0\.0\.0\.0/0\) that no config key allows`,
        ),
      ),
    ]);
    const unknownKey = new Map(tree).set(
      `${ROOT}/components/extra/objects.yaml`,
      anyAddressPolicy({ 'ck8s.io/egress-destination': 'network.egress.everything' }),
    );
    expect(checkEgress(env.flavor, cluster, unknownKey, ROOT)).toHaveLength(1);
  });

  it('fails when the key no longer allows any address (config narrowed, output not re-rendered)', () => {
    const narrowed = {
      ...cluster,
      settings: {
        ...cluster.settings,
        network: { ...cluster.settings.network, egress: { ...cluster.settings.network.egress, objectStorage: ['198.51.100.0/24'] } },
      },
    };
    const messages = checkEgress(env.flavor, narrowed as typeof cluster, tree, ROOT).map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages)
      expect(m).toBe('egress to any address, but network.egress.objectStorage of cluster apps-a is ["198.51.100.0/24"]; re-render, or allow it there');
  });

  it.each([
    [
      'flow style',
      '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p, namespace: team-a}, spec: {egress: [{to: [{ipBlock: {cidr: "::/0"}}]}]}}\n',
    ],
    [
      'an alias',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: team-a, labels: {c: &c 0.0.0.0/0}}\n' +
        'spec:\n  egress:\n    - to: [{ipBlock: {cidr: *c}}]\n',
    ],
    [
      'escapes',
      'apiVersion: networking.k8s.io/v1\nkind: "Network\\x50olicy"\nmetadata: {name: p, namespace: team-a}\n' +
        'spec:\n  egress:\n    - to: [{ipBlock: {cidr: "0.0.0.0\\x2f0"}}]\n',
    ],
  ])('fails on an any-address rule written in %s (only files that may hold one are parsed)', (_, text) => {
    expect(mayHoldAnyAddressPolicy(text)).toBe(true);
    const bad = new Map(tree).set(`${ROOT}/components/extra/objects.yaml`, text);
    expect(checkEgress(env.flavor, cluster, bad, ROOT).map((f) => f.object)).toEqual(['NetworkPolicy/team-a/p']);
  });

  it('parses no file without both a NetworkPolicy and an any-address CIDR in its text', () => {
    expect(mayHoldAnyAddressPolicy(anyAddressPolicy())).toBe(true);
    expect(mayHoldAnyAddressPolicy(anyAddressPolicy().replace('0.0.0.0/0', '10.0.0.0/8'))).toBe(false);
    expect(mayHoldAnyAddressPolicy('kind: ConfigMap\ndata:\n  cidr: 0.0.0.0/0\n')).toBe(false);
  });

  it('leaves dev alone', () => {
    const bad = new Map(tree).set(`${ROOT}/components/extra/objects.yaml`, anyAddressPolicy());
    expect(checkEgress('dev', cluster, bad, ROOT)).toEqual([]);
  });
});
