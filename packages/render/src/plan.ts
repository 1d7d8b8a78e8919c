import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import {
  chartPin,
  componentSettings,
  placeComponents,
  summarize,
  type StateBackup,
  type ChartPin,
  type Component,
  type ComponentOutput,
  type ComponentSummary,
  type RenderContext,
  type SecretRequirement,
} from '@ck8s/components';

/** One component as it will be deployed on one cluster. */
export interface PlannedComponent {
  component: Component;
  chartKey?: string;
  chart?: ChartPin;
  output: ComponentOutput;
  secrets: SecretRequirement[];
  /** The component's state on this cluster and how each piece is backed up (`backups.paths`). */
  backups: StateBackup[];
  /** Names of Flux Kustomizations this one waits for (only enabled components). */
  dependsOn: string[];
}

export interface ClusterPlan {
  cluster: ClusterConfig;
  components: PlannedComponent[];
}

export function enabledOn(c: Component, cluster: ClusterConfig): boolean {
  return c.roles.includes(cluster.role) && componentSettings(c, cluster.settings.components).enabled === true;
}

/** Whether the environment's management cluster runs a component offering `capability`. */
export function managementOffers(env: EnvironmentConfig, capability: string, catalog: readonly Component[]): boolean {
  const management = env.clusters.find((c) => c.role === 'management');
  return !!management && catalog.some((c) => c.capabilities?.includes(capability) && enabledOn(c, management));
}

/** Decides what runs where and calls every enabled component's pure render function. */
export function planCluster(env: EnvironmentConfig, cluster: ClusterConfig, catalog: readonly Component[]): ClusterPlan {
  const enabled = catalog.filter((c) => enabledOn(c, cluster));
  const environmentComponents = placeComponents(env, catalog, (c, cl) => componentSettings(c, cl.settings.components));
  const names = new Set(enabled.map((c) => c.name));
  const summaries: ComponentSummary[] = enabled.map(summarize);
  const namespaceProviders = enabled.filter((c) => c.providesNamespaces).map((c) => c.name);
  const components = enabled.map((component): PlannedComponent => {
    const settings = componentSettings(component, cluster.settings.components);
    const ctx: RenderContext<typeof settings> = { env, cluster, settings, isEnabled: (n) => names.has(n), enabledComponents: summaries, environmentComponents };
    const chartKey = typeof component.chart === 'function' ? component.chart(settings as never) : component.chart;
    const declared = (component.dependsOn ?? []).filter((d) => names.has(d) && d !== component.name);
    const implicit = component.providesNamespaces ? [] : namespaceProviders.filter((n) => n !== component.name);
    return {
      component,
      chartKey,
      chart: chartKey ? chartPin(chartKey) : undefined,
      output: component.render(ctx),
      secrets: component.secrets?.(ctx) ?? [],
      backups: component.backups?.paths(ctx) ?? [],
      dependsOn: [...new Set([...implicit, ...declared])],
    };
  });
  // `<name>-config` Kustomizations exist only for components that rendered config objects, so these
  // edges are added once every output is known.
  const withConfig = new Set(components.filter((p) => p.output.config?.length).map((p) => p.component.name));
  for (const p of components) {
    const configDeps = (p.component.dependsOnConfig ?? []).filter((d) => withConfig.has(d) && d !== p.component.name).map((d) => `${d}-config`);
    p.dependsOn = [...new Set([...p.dependsOn, ...configDeps])];
  }
  return { cluster, components };
}
