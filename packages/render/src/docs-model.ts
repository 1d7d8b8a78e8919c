import type { EnvironmentConfig } from '@ck8s/config';
import { ENDPOINT_INFO, endpoints, settingsKey, type Endpoints } from '@ck8s/components';
import type { DocsModel } from '@ck8s/docs';
import type { ClusterPlan } from './plan';

/** The environment README's model, built from the same plans the manifests come from. */
export function docsModel(env: EnvironmentConfig, plans: ClusterPlan[]): DocsModel {
  const management = plans.find((p) => p.cluster.role === 'management');
  const onManagement = new Set(management?.components.map((c) => c.component.name));
  const hosts = endpoints(env);
  return {
    environment: env.name,
    flavor: env.flavor,
    provider: env.provider,
    domain: env.domain,
    opsDomain: env.opsDomain,
    gitUrl: env.git.url,
    branch: env.git.branch,
    endpoints: (Object.keys(ENDPOINT_INFO) as (keyof Endpoints)[])
      .filter((k) => onManagement.has(ENDPOINT_INFO[k].component))
      .map((k) => ({ name: ENDPOINT_INFO[k].title, host: hosts[k], audience: ENDPOINT_INFO[k].audience })),
    clusters: plans.map((p) => ({
      name: p.cluster.name,
      role: p.cluster.role,
      provider: p.cluster.provider,
      components: p.components.map((c) => ({
        name: c.component.name,
        description: c.component.description,
        namespace: c.component.namespace,
        chart: c.chart?.chart,
        version: c.chart?.version,
        controls: [...(c.component.controls ?? [])],
        configKey: settingsKey(c.component.name),
      })),
    })),
  };
}
