import type { JsonObject, K8sObject } from '@ck8s/manifest';
import type { RenderContext } from '../component';
import { buildDashboard } from './assemble';
import { dashboardConfigMap } from './configmap';
import type { ComponentDashboard, DashboardComponent, DashboardDefinition, DashboardScope, MetricsDatasources } from './model';
import { podsRow } from './workload';

/**
 * A component's dashboard definition as the ops Grafana shows it: a `cluster` variable, the
 * component's pods first, then its own rows.
 */
export function componentDashboardDefinition(cd: ComponentDashboard, component: DashboardComponent): DashboardDefinition {
  return {
    ...cd.dashboard,
    tags: ['compliant-kubernetes', 'component', cd.component, ...(cd.dashboard.tags ?? [])],
    variables: { cluster: true },
    rows: (scope) => [podsRow(component.namespace, cd.pods), ...cd.dashboard.rows({ ...scope, component })],
  };
}

/** Every component enabled somewhere in the environment, as the planner reports it (this cluster's in narrow tests). */
export function scopeOf(ctx: RenderContext<unknown>): DashboardScope {
  const components: DashboardComponent[] = ctx.environmentComponents
    ? ctx.environmentComponents.map((c) => ({ name: c.name, namespace: c.namespace, clusters: [...c.clusters], charts: [...c.charts] }))
    : ctx.enabledComponents.map((c) => ({ name: c.name, namespace: c.namespace, clusters: [ctx.cluster.name], charts: [] }));
  const names = new Set(components.map((c) => c.name));
  return { env: ctx.env, components, isEnabled: (n) => names.has(n) };
}

/** Dashboards as ConfigMaps of the component that runs the Grafana, in that Grafana's namespace. */
export function dashboardConfigMaps(
  owner: string,
  namespace: string,
  defs: readonly DashboardDefinition[],
  scope: DashboardScope,
  datasources: MetricsDatasources,
): K8sObject[] {
  const names = new Set<string>();
  return defs.map((def) => {
    if (names.has(def.name)) throw new Error(`two dashboards named "${def.name}" for ${owner}`);
    names.add(def.name);
    const model: JsonObject = buildDashboard(def, scope, datasources);
    return dashboardConfigMap(owner, namespace, def.name, model);
  });
}
