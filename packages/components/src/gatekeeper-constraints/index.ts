import { z } from 'zod';
import type { EnvironmentConfig } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { enabledOn, managementCluster } from '../lib/cluster-settings';
import { defineComponent } from '../lib/component';
import { endpoints } from '../lib/hosts';
import { meta } from '../lib/objects';
import { flavorPresets } from '../lib/presets';
import { platformNamespaces } from '../lib/platform-namespaces';
import { POLICY_CONTROLS } from '../gatekeeper';

const C = 'gatekeeper-constraints';
const Action = z.enum(['deny', 'warn', 'dryrun']);
const Override = z
  .enum(['default', 'deny', 'warn', 'dryrun'])
  .default('default')
  .describe('Enforcement of this constraint; "default" uses defaultEnforcementAction');

function rule<T extends z.ZodRawShape = Record<never, never>>(description: string, extra?: T) {
  // Every key has a default, so an empty map is a valid input (prefault's type cannot see that through T).
  return z
    .strictObject({ enabled: z.boolean().default(true).describe(description), enforcementAction: Override, ...(extra ?? ({} as T)) })
    .prefault({} as never);
}

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe("Instantiate the platform's Gatekeeper policies as constraints"),
  defaultEnforcementAction: Action.default('warn').describe('deny rejects, warn admits with a warning, dryrun only reports in audit'),
  allowedRegistries: rule('Workload clusters: images only from allowed registries', {
    registries: z.array(z.string().min(1)).default([]).describe('Allowed registry hosts (optionally with a path), e.g. "registry.example.com/team"'),
    includeHarbor: z.boolean().default(true).describe("Also allow the platform's Harbor (when enabled on the management cluster)"),
  }),
  disallowLatestTag: rule('Images name a version tag or digest, never latest'),
  requireResourceRequests: rule('Workload clusters: containers request CPU and memory', {
    resources: z.array(z.string().min(1)).min(1).default(['cpu', 'memory']).describe('Resources every container must request'),
  }),
  requireNetworkPolicy: rule('Workload clusters: every pod is selected by a NetworkPolicy'),
  disallowLoadBalancer: rule('No Services of type LoadBalancer where network.allowLoadBalancerServices is false'),
  disallowPrivileged: rule('No privileged containers'),
  disallowHostNamespaces: rule('No host network/PID/IPC or host ports'),
  disallowHostPath: rule('No hostPath volumes'),
});

type Settings = z.output<typeof settings>;
type RuleKey = Exclude<keyof Settings, 'enabled' | 'defaultEnforcementAction'>;

interface ConstraintSpec {
  key: RuleKey;
  kind: string;
  name: string;
  kinds: { apiGroups: string[]; kinds: string[] };
  /** Workload clusters only: rules about how users build and run their applications. */
  workloadOnly?: boolean;
  parameters?: (s: Settings, env: EnvironmentConfig) => JsonObject | undefined;
}

const POD = { apiGroups: [''], kinds: ['Pod'] };

/** Registries the allowed-registries constraint admits; empty means the constraint is not rendered. */
export function allowedRegistries(s: Settings, env: EnvironmentConfig): string[] {
  const harbor = s.allowedRegistries.includeHarbor && enabledOn(managementCluster(env), 'harbor');
  return [...new Set([...(harbor ? [endpoints(env).harbor] : []), ...s.allowedRegistries.registries])];
}

const CONSTRAINTS: ConstraintSpec[] = [
  {
    key: 'allowedRegistries',
    kind: 'Ck8sAllowedRegistries',
    name: 'allowed-registries',
    kinds: POD,
    workloadOnly: true,
    parameters: (s, env) => {
      const registries = allowedRegistries(s, env);
      return registries.length ? { registries } : undefined;
    },
  },
  { key: 'disallowLatestTag', kind: 'Ck8sDisallowLatestTag', name: 'disallow-latest-tag', kinds: POD },
  {
    key: 'requireResourceRequests',
    kind: 'Ck8sRequireResourceRequests',
    name: 'require-resource-requests',
    kinds: POD,
    workloadOnly: true,
    parameters: (s) => ({ resources: s.requireResourceRequests.resources }),
  },
  { key: 'requireNetworkPolicy', kind: 'Ck8sRequireNetworkPolicy', name: 'require-network-policy', kinds: POD, workloadOnly: true },
  { key: 'disallowLoadBalancer', kind: 'Ck8sDisallowLoadBalancer', name: 'disallow-loadbalancer-services', kinds: { apiGroups: [''], kinds: ['Service'] } },
  { key: 'disallowPrivileged', kind: 'Ck8sDisallowPrivileged', name: 'disallow-privileged', kinds: POD },
  { key: 'disallowHostNamespaces', kind: 'Ck8sDisallowHostNamespaces', name: 'disallow-host-namespaces', kinds: POD },
  { key: 'disallowHostPath', kind: 'Ck8sDisallowHostPath', name: 'disallow-host-path', kinds: POD },
];

/** Every constraint the component can render, by `metadata.name`. */
export const CONSTRAINT_NAMES: readonly string[] = CONSTRAINTS.map((c) => c.name);

export function enforcementAction(s: Settings, key: RuleKey): z.output<typeof Action> {
  const own = s[key].enforcementAction;
  return own === 'default' ? s.defaultEnforcementAction : own;
}

/**
 * The constraints that put the gatekeeper component's templates to work. Workload clusters get the
 * full set, applied to the users' namespaces (every namespace but the platform's, which are excluded
 * by name); the management cluster, which runs only the platform, gets the node-protection rules and
 * the image-tag rule for anything deployed beside it. deny/warn/dryrun per constraint, defaulting to
 * warn in dev and deny in prod.
 */
export const gatekeeperConstraints = defineComponent({
  name: 'gatekeeper-constraints',
  description: "The platform's Gatekeeper constraints (allowed registries, no latest, requests, NetworkPolicies, no LoadBalancers, pod security)",
  roles: ['management', 'workload'],
  namespace: 'gatekeeper-system',
  podSecurity: 'restricted',
  dependsOn: ['gatekeeper'],
  // The constraint kinds are CRDs Gatekeeper generates from the templates in gatekeeper-config.
  dependsOnConfig: ['gatekeeper'],
  controls: POLICY_CONTROLS,
  settings,
  defaults: flavorPresets({ production: { defaultEnforcementAction: 'deny' } }),
  checkSettings(s, env) {
    if (env.flavor === 'dev' || !s.enabled) return [];
    const problems: { path: PropertyKey[]; message: string }[] = [];
    if (s.defaultEnforcementAction !== 'deny')
      problems.push({ path: ['defaultEnforcementAction'], message: `policies must be enforced (deny) in the ${env.flavor} flavor` });
    for (const c of CONSTRAINTS) {
      if (s[c.key].enforcementAction === 'dryrun')
        problems.push({ path: [c.key, 'enforcementAction'], message: `dryrun does not enforce; use deny or warn in the ${env.flavor} flavor` });
    }
    return problems;
  },
  render(ctx) {
    const { settings: s, cluster, env } = ctx;
    // Without Gatekeeper there are no constraint kinds to create.
    if (!ctx.isEnabled('gatekeeper')) return {};
    const excludedNamespaces = platformNamespaces(ctx.enabledComponents);
    const objects: K8sObject[] = [];
    for (const c of CONSTRAINTS) {
      if (!s[c.key].enabled) continue;
      if (c.workloadOnly && cluster.role !== 'workload') continue;
      if (c.key === 'disallowLoadBalancer' && cluster.settings.network.allowLoadBalancerServices) continue;
      const parameters = c.parameters?.(s, env);
      if (c.parameters && !parameters) continue;
      objects.push({
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: c.kind,
        metadata: meta(C, c.name),
        spec: {
          enforcementAction: enforcementAction(s, c.key),
          match: { kinds: [c.kinds], excludedNamespaces },
          ...(parameters ? { parameters } : {}),
        },
      });
    }
    return { objects };
  },
});
