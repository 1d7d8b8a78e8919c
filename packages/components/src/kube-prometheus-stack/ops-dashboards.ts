import type { K8sObject } from '@ck8s/manifest';
import { COMPONENT_DASHBOARDS } from '../catalog/dashboards';
import type { RenderContext } from '../lib/component';
import { componentDashboardDefinition, dashboardConfigMaps, scopeOf, type DashboardDefinition, type MetricsDatasources } from '../lib/dashboards';
import { OPS_OVERVIEW } from './dashboards';

/**
 * The ops Grafana's dashboards: the platform overview, then one per component enabled on any
 * cluster of the environment (metrics of every cluster reach this Grafana through Thanos).
 */
export function opsDashboards(ctx: RenderContext<unknown>, owner: string, namespace: string, datasources: MetricsDatasources): K8sObject[] {
  const scope = scopeOf(ctx);
  const defs: DashboardDefinition[] = [OPS_OVERVIEW];
  for (const cd of COMPONENT_DASHBOARDS) {
    const component = scope.components.find((c) => c.name === cd.component);
    if (component) defs.push(componentDashboardDefinition(cd, component));
  }
  return dashboardConfigMaps(owner, namespace, defs, scope, datasources);
}
