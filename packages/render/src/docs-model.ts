import type { EnvironmentConfig } from '@ck8s/config';
import { CATALOG, describeObject, exemptionsOn, POLICY_EXEMPTIONS, settingsKey, type Component, type PolicyExemption, renderedAlerts } from '@ck8s/components';
import type { DocsModel, DocsPolicyExemption } from '@ck8s/docs';
import { auditSettings } from './docs/audit';
import { settingsOf } from './docs/settings';
import { concernViews, exposedEndpoints } from './docs/views';
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

/** Where a cluster's Flux events go: the management Alertmanager (when the management cluster runs one) and every webhook. */
function fluxEvents(p: ClusterPlan, management: ClusterPlan | undefined): string[] {
  const n = p.cluster.settings.notifications;
  const alertmanager = management?.components.some((c) => c.component.capabilities?.includes('alertmanager'));
  return [
    ...(n.alertmanager && alertmanager ? ['management Alertmanager'] : []),
    ...n.webhooks.map((w) => `${w.name} (${w.type}${w.channel ? ` ${w.channel}` : ''})`),
  ];
}

/** The environment README's model, built from the same plans the manifests come from. */
export function docsModel(
  env: EnvironmentConfig,
  plans: ClusterPlan[],
  exemptions: readonly PolicyExemption[] = POLICY_EXEMPTIONS,
  catalog: readonly Component[] = CATALOG,
): DocsModel {
  const management = plans.find((p) => p.cluster.role === 'management');
  return {
    environment: env.name,
    flavor: env.flavor,
    provider: env.provider,
    domain: env.domain,
    opsDomain: env.opsDomain,
    gitUrl: env.git.url,
    branch: env.git.branch,
    endpoints: exposedEndpoints(env, management),
    clusters: plans.map((p) => {
      const running = new Set(p.components.map((c) => c.component.name));
      return {
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
          settings: auditSettings(p, c.component.name),
        })),
        disabled: catalog
          .filter((c) => c.roles.includes(p.cluster.role) && !running.has(c.name) && settingsOf(p.cluster, c.name)?.enabled === false)
          .map((c) => ({ name: c.name, description: c.description, configKey: settingsKey(c.name) })),
        fluxEvents: fluxEvents(p, management),
        alerts: p.components.map((c) => ({ component: c.component.name, alerts: renderedAlerts(c.output) })).filter((a) => a.alerts.length > 0),
      };
    }),
    policies: policyExemptions(plans, exemptions),
    views: concernViews(env, plans),
  };
}
