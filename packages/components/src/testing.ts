import { resolveEnvironment, type EnvironmentConfig } from '@ck8s/config';
import { toYaml } from '@ck8s/manifest';
import { configExtensions, componentSettings } from './catalog';
import type { Component, ComponentOutput, RenderContext } from './lib/component';
import { CATALOG } from './catalog';

export interface TestEnvironmentOptions {
  flavor?: 'dev' | 'prod' | 'air-gapped';
  provider?: string;
  /** Merged over the base config.yaml (top-level keys replace). */
  config?: Record<string, unknown>;
  /** Per-cluster override files (`<cluster>.yaml`). */
  clusterOverrides?: Record<string, Record<string, unknown>>;
  workloadClusters?: string[];
}

/** A valid environment built through the real loader, so tests see exactly what rendering sees. */
export function testEnvironment(o: TestEnvironmentOptions = {}): EnvironmentConfig {
  const flavor = o.flavor ?? 'dev';
  const config = {
    version: 1,
    flavor,
    provider: o.provider ?? 'exoscale',
    domain: 'test.example.com',
    git: { url: 'ssh://git@example.com/platform.git' },
    clusters: [{ name: 'management', role: 'management' }, ...(o.workloadClusters ?? ['workload']).map((name) => ({ name, role: 'workload' }))],
    certificates: { email: 'ops@example.com', ...(flavor === 'dev' ? {} : { issuer: 'letsencrypt-prod' }) },
    ...o.config,
  };
  const files: Record<string, string> = { 'config.yaml': toYaml(config) };
  for (const [cluster, override] of Object.entries(o.clusterOverrides ?? {})) files[`${cluster}.yaml`] = toYaml(override);
  const result = resolveEnvironment('test-env', files, configExtensions());
  if (!result.environment) throw new Error(result.errors.map((e) => `${e.keyPath}: ${e.message}`).join('\n'));
  return result.environment;
}

/** Calls one component's render function the way the planner does. */
export function renderComponent(component: Component, env: EnvironmentConfig, clusterName: string): ComponentOutput {
  const cluster = env.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`no cluster ${clusterName}`);
  const settings = componentSettings(component, cluster.settings.components);
  const enabled = CATALOG.filter((c) => c.roles.includes(cluster.role) && componentSettings(c, cluster.settings.components)?.enabled);
  const ctx: RenderContext<typeof settings> = {
    env,
    cluster,
    settings,
    isEnabled: (n) => enabled.some((c) => c.name === n),
    enabledComponents: enabled.map((c) => ({ name: c.name, namespace: c.namespace, podSecurity: c.podSecurity })),
  };
  return component.render(ctx);
}
