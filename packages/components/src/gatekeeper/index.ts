import { z } from 'zod';
import type { K8sObject } from '@ck8s/manifest';
import { defineComponent } from '../lib/component';
import { GATEKEEPER_ALERTS } from './alerts';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { allow, meta, netpol } from '../lib/objects';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { platformNamespaces } from '../lib/platform-namespaces';
import { constraintTemplate, expansionTemplates, TEMPLATES } from './templates';
import { gatekeeperImageValues, mirrorImages } from './mirror';

export { TEMPLATES, type PolicyTemplate } from './templates';

const NS = 'gatekeeper-system';
const C = 'gatekeeper';

/** Gatekeeper's own config object: which namespaces it ignores and what it caches for referential rules. */
function gatekeeperConfig(excluded: string[]): K8sObject {
  return {
    apiVersion: 'config.gatekeeper.sh/v1alpha1',
    kind: 'Config',
    // Gatekeeper reads exactly this name in its own namespace.
    metadata: meta(C, 'config', NS),
    spec: {
      match: [{ excludedNamespaces: excluded, processes: ['*'] }],
      // Ck8sRequireNetworkPolicy looks up the NetworkPolicies of a pod's namespace.
      sync: {
        syncOnly: [
          { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
          { group: '', version: 'v1', kind: 'Namespace' },
        ],
      },
    },
  };
}

function podMonitor(): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(C, 'gatekeeper', NS),
    spec: { selector: { matchLabels: { 'gatekeeper.sh/system': 'yes' } }, podMetricsEndpoints: [{ port: 'metrics' }] },
  };
}

/** The controls the policy engine and its constraints serve together (listed by both components). */
export const POLICY_CONTROLS: readonly string[] = [
  'MSBFS 2020:7 4 kap. 1 §',
  'MSBFS 2020:7 4 kap. 20 §',
  'ISO 27001 A.9.4.4',
  'ISO 27001 A.12.1.2',
  'ISO 27001 A.12.1.3',
  'ISO 27001 A.12.6.1',
  'ISO 27001 A.13',
  'ISO 27001 A.13.1',
  'ISO 27001 A.14.2.2',
  'ISO 27001 A.14.2.4',
  'ISO 27001 A.14.2.5',
  'ISO 27001 A.18.2.2',
  'ISO 27001 A.18.2.3',
  'NIST SP 800-171 3.1.5',
  'NIST SP 800-171 3.1.7',
  'NIST SP 800-171 3.4.7',
  'NIST SP 800-171 3.4.8',
  'NIST SP 800-171 3.4.9',
  'NIST SP 800-171 3.13.1',
  'NIST SP 800-171 3.13.6',
];

/**
 * OPA Gatekeeper and the platform's policy library: the ConstraintTemplates (Rego), the expansion
 * of workloads into pods and Gatekeeper's Config (platform namespaces excluded by name, NetworkPolicies
 * synced for referential rules) are this component's config. The constraints that instantiate the
 * templates live in `gatekeeper-constraints`, which waits for this config to be applied: a
 * constraint's kind only exists once Gatekeeper has turned its template into a CRD.
 */
export const gatekeeper = defineComponent({
  name: 'gatekeeper',
  description: "OPA Gatekeeper admission control with the platform's ConstraintTemplates",
  roles: ['management', 'workload'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'gatekeeper',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  providesApiGroups: [
    'templates.gatekeeper.sh',
    'config.gatekeeper.sh',
    'mutations.gatekeeper.sh',
    'expansion.gatekeeper.sh',
    'status.gatekeeper.sh',
    'constraints.gatekeeper.sh',
  ],
  alerts: [GATEKEEPER_ALERTS],
  controls: POLICY_CONTROLS,
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe("Deploy OPA Gatekeeper and the platform's policy templates"),
    replicas: z.number().int().min(1).max(5).default(1).describe('Admission webhook replicas'),
    failurePolicy: z
      .enum(['Ignore', 'Fail'])
      .default('Ignore')
      .describe('What the API server does when Gatekeeper cannot answer: Ignore keeps the cluster usable (audit still reports), Fail blocks'),
    resources: z
      .strictObject({ controllerManager: resourceSettings('50m', '256Mi', '512Mi'), audit: resourceSettings('50m', '256Mi', '512Mi') })
      .prefault({})
      .describe('Requests and memory limits of the admission webhook (controller manager) and the audit'),
  }),
  defaults: flavorPresets({
    production: {
      replicas: 3,
      resources: { controllerManager: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' }, audit: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' } },
    },
  }),
  checkSettings(s, env) {
    // Gatekeeper is what puts the mirror into every Pod's images: without it they would come from their origins.
    return env.mirrors?.images && !s.enabled
      ? [{ path: ['enabled'], message: 'mirrors.images is set: Gatekeeper rewrites every image to the mirror, so it must stay enabled' }]
      : [];
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const excluded = platformNamespaces(ctx.enabledComponents);
    const controllerSelector = { matchLabels: { 'gatekeeper.sh/operation': 'webhook' } };
    // Every image from the mirror (mirrors.images), rewritten at admission.
    const mirror = ctx.env.mirrors?.images ?? '';
    return {
      values: {
        replicas: s.replicas,
        validatingWebhookFailurePolicy: s.failurePolicy,
        // Denied requests end up in the logs (and from there in OpenSearch).
        logDenies: true,
        // The namespaces component owns the Namespace and its Pod Security labels.
        postInstall: { labelNamespace: { enabled: false } },
        controllerManager: { resources: toResources(s.resources.controllerManager) },
        audit: { resources: toResources(s.resources.audit) },
        pdb: { controllerManager: { minAvailable: s.replicas > 1 ? 1 : 0 } },
        ...(mirror ? gatekeeperImageValues(mirror) : {}),
      },
      objects: [
        allow.apiServer(C, cluster, NS),
        ...alertRules(ctx, C, NS, [alertsWith(GATEKEEPER_ALERTS, {})]),
        // The API server calls the webhook from addresses we cannot know in advance.
        netpol.allowIngress(C, NS, 'allow-webhook', [], [{ port: 8443 }], controllerSelector),
        ...(monitored ? [allow.fromMonitoring(C, NS, [{ port: 8888 }])] : []),
      ],
      config: [
        gatekeeperConfig(excluded),
        ...TEMPLATES.map(constraintTemplate),
        ...expansionTemplates(),
        ...(monitored ? [podMonitor()] : []),
        ...(mirror ? mirrorImages(mirror) : []),
      ],
    };
  },
});
