import type { EnvironmentConfig } from '@ck8s/config';
import { describeObject, ENDPOINT_INFO, endpoints, exemptionsOn, POLICY_EXEMPTIONS, settingsKey, type Endpoints, type PolicyExemption } from '@ck8s/components';
import type { DocsModel, DocsPolicyExemption } from '@ck8s/docs';
import type { ClusterPlan } from './plan';

const CONSTRAINTS_COMPONENT = 'gatekeeper-constraints';

/**
 * The policy exemptions that concern each cluster (object and constraint both rendered there); null
 * when no cluster runs the constraints. An object without a namespace gets its component's, as
 * kustomize gives it.
 */
function policyExemptions(plans: ClusterPlan[], list: readonly PolicyExemption[]): DocsModel['policies'] {
  const enforced = plans.filter((p) => p.components.some((c) => c.component.name === CONSTRAINTS_COMPONENT));
  if (!enforced.length) return null;
  const exemptions = enforced.flatMap((p): DocsPolicyExemption[] => {
    const objects = p.components.flatMap((c) =>
      [...(c.output.objects ?? []), ...(c.output.config ?? [])].map((o) => ({
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? c.component.namespace,
      })),
    );
    const constraints = p.components
      .filter((c) => c.component.name === CONSTRAINTS_COMPONENT)
      .flatMap((c) => (c.output.objects ?? []).map((o) => o.metadata.name));
    return exemptionsOn(objects, constraints, list).map((e) => ({
      cluster: p.cluster.name,
      object: describeObject(e.object),
      constraint: e.constraint,
      reason: e.reason,
    }));
  });
  return { exemptions };
}

/** The environment README's model, built from the same plans the manifests come from. */
export function docsModel(env: EnvironmentConfig, plans: ClusterPlan[], exemptions: readonly PolicyExemption[] = POLICY_EXEMPTIONS): DocsModel {
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
    policies: policyExemptions(plans, exemptions),
  };
}
