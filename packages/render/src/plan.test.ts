import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configExtensions, defineComponent, type Component } from '@ck8s/components';
import { resolveEnvironment } from '@ck8s/config';
import { planCluster } from './plan';

const settings = z.strictObject({ enabled: z.boolean().default(true) });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'demo' } });

/** A provider of config objects, one that renders none, and one waiting for both configs. */
const withConfig = defineComponent({
  name: 'templates',
  description: 't',
  roles: ['workload'],
  namespace: 'demo',
  podSecurity: 'restricted',
  settings,
  render: () => ({ config: [cm('t')] }),
});
const withoutConfig = defineComponent({
  name: 'plain',
  description: 'p',
  roles: ['workload'],
  namespace: 'demo',
  podSecurity: 'restricted',
  settings,
  render: () => ({ objects: [cm('p')] }),
});
const consumer = defineComponent({
  name: 'consumer',
  description: 'c',
  roles: ['workload'],
  namespace: 'demo',
  podSecurity: 'restricted',
  settings,
  dependsOn: ['templates'],
  dependsOnConfig: ['templates', 'plain', 'absent'],
  render: () => ({ objects: [cm('c')] }),
});
const catalog: Component[] = [withConfig, withoutConfig, consumer];

function env() {
  const config = [
    'version: 1',
    'flavor: dev',
    'provider: none',
    'domain: test.example.com',
    'git: { url: "ssh://git@example.com/x.git" }',
    'clusters: [{ name: management, role: management }, { name: workload, role: workload }]',
    'certificates: { email: ops@example.com }',
  ].join('\n');
  const result = resolveEnvironment('plan-test', { 'config.yaml': config }, configExtensions(catalog));
  if (!result.environment) throw new Error(JSON.stringify(result.errors));
  return result.environment;
}

describe('planCluster dependsOnConfig', () => {
  it("waits for another component's -config Kustomization only when that component renders config objects", () => {
    const e = env();
    const plan = planCluster(e, e.clusters[1], catalog);
    const deps = plan.components.find((p) => p.component.name === 'consumer')!.dependsOn;
    expect(deps.sort()).toEqual(['templates', 'templates-config']);
  });
});
