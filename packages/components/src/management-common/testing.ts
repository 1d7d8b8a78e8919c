import type { EnvironmentConfig } from '@ck8s/config';
import { CATALOG, componentSettings } from '../catalog';
import type { Component, RenderContext, SecretRequirement } from '../lib/component';

/** Test helper: a component's secret requirements on one cluster, computed the way the planner does. */
export function componentSecrets(component: Component, env: EnvironmentConfig, clusterName: string): SecretRequirement[] {
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
  return component.secrets?.(ctx) ?? [];
}

/** Every string in a rendered output, to assert no secret-looking value slipped in. */
export function allText(...parts: unknown[]): string {
  return JSON.stringify(parts);
}

/**
 * Test helper: renders a component as if some other components were enabled too (for wiring to
 * components another group owns, e.g. kube-prometheus-stack, before they are in the catalog).
 */
export function renderAssuming(component: Component, env: EnvironmentConfig, clusterName: string, alsoEnabled: string[]) {
  const cluster = env.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`no cluster ${clusterName}`);
  const settings = componentSettings(component, cluster.settings.components);
  const enabled = CATALOG.filter((c) => c.roles.includes(cluster.role) && componentSettings(c, cluster.settings.components)?.enabled);
  const names = new Set([...enabled.map((c) => c.name), ...alsoEnabled]);
  const ctx: RenderContext<typeof settings> = {
    env,
    cluster,
    settings,
    isEnabled: (n) => names.has(n),
    enabledComponents: enabled.map((c) => ({ name: c.name, namespace: c.namespace, podSecurity: c.podSecurity })),
  };
  return component.render(ctx);
}
