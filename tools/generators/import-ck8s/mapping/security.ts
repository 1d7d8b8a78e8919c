import { asBoolean, asInteger, asString, asStringList, different, fixedAs, mapped, negate, none, resources, type Converted, type Rule } from './types';
import type { Area } from './area';

const ENFORCEMENT = ['deny', 'warn', 'dryrun'];
const enforcement = (v: unknown): Converted =>
  typeof v === 'string' && ENFORCEMENT.includes(v) ? { value: v } : { skip: `enforcement ${JSON.stringify(v)} is not deny, warn or dryrun` };

const FALCO_PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
const falcoPriority = (v: unknown): Converted => {
  const p = v === 'info' ? 'informational' : v;
  return typeof p === 'string' && FALCO_PRIORITIES.includes(p) ? { value: p } : { skip: `priority ${JSON.stringify(v)} is not a Falco priority` };
};

const falcoDriver = (v: unknown): Converted => {
  const d = v === 'module' ? 'kmod' : v;
  return d === 'modern_ebpf' || d === 'ebpf' || d === 'kmod' ? { value: d } : { skip: `driver ${JSON.stringify(v)} is not modern_ebpf, ebpf or kmod` };
};

const DAY_NAMES = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];
/** kured's days (`mon`, `Tuesday`, `sun`) → ours (`mo`, `tu`, `su`). */
const rebootDays = (v: unknown): Converted => {
  const list = typeof v === 'string' ? v.split(',') : v;
  if (!Array.isArray(list)) return { skip: `expected a list of days, got ${JSON.stringify(v)}` };
  const days = list.map((d) => String(d).trim().slice(0, 2).toLowerCase());
  return days.every((d) => DAY_NAMES.includes(d)) && days.length ? { value: days } : { skip: `not days of the week: ${JSON.stringify(v)}` };
};

const WORKLOAD_ONLY = 'this policy applies on workload clusters only: nothing to carry over from the management cluster';

/** A Gatekeeper policy of ck8s that is one of our constraints: enabled and enforcement on workload clusters. */
function constraint(source: string, ours: string): Rule[] {
  return [
    mapped(`opa.${source}.enabled`, `components.gatekeeperConstraints.${ours}.enabled`, { clusters: 'wc', convert: asBoolean }),
    mapped(`opa.${source}.enforcement`, `components.gatekeeperConstraints.${ours}.enforcementAction`, { clusters: 'wc', convert: enforcement }),
    different(`opa.${source}.*`, WORKLOAD_ONLY, { clusters: 'sc' }),
  ];
}

const rules: Rule[] = [
  // ---- Falco ----
  mapped('falco.enabled', 'components.falco.enabled', { convert: asBoolean }),
  different('falco.alerts.enabled', "Falco events always go to the management cluster's Alertmanager through falcosidekick", {
    convert: fixedAs(true, 'always forwarded', 'events only in the Falco logs have no equivalent'),
  }),
  different('falco.alerts.type', "falcosidekick always posts to the management cluster's Alertmanager (routed like every alert of the cluster)", {
    convert: fixedAs('alertmanager', 'Alertmanager', 'Slack directly or no forwarding has no equivalent: route the alerts in Alertmanager'),
  }),
  mapped('falco.alerts.priority', 'components.falco.alertPriority', { convert: falcoPriority }),
  different(
    'falco.alerts.hostPort',
    "falcosidekick posts to the management cluster's Alertmanager (in the cluster there, alertmanager.<opsDomain> from workload clusters, with the " +
      "cluster's own credentials)",
  ),
  different('falco.rulesFiles.default.enabled', 'the default Falco rules are always loaded', {
    convert: fixedAs(true, 'always loaded', 'running without the default rules has no equivalent'),
  }),
  different('falco.rulesFiles.*.version', 'rule versions follow the Falco chart, updated by falcoctl while components.falco.rulesUpdates is on'),
  none('falco.rulesFiles.*.enabled', 'only the default rules are loaded: incubating and sandbox rules have no setting'),
  mapped('falco.artifact.install.enabled', 'components.falco.rulesUpdates', { convert: asBoolean }),
  mapped('falco.driver.kind', 'components.falco.driver', { convert: falcoDriver }),
  none('falco.driver.ebpf.**', 'no eBPF probe settings (modern_ebpf needs no probe)'),
  none('falco.driver.module.**', 'no driver download URL: the kernel module is built by the chart'),
  none('falco.tty', 'no setting'),
  none('falco.useContainerEngine', "Falco's container engine collector is the chart's default"),
  none('falco.customIndexes', 'no custom falcoctl indexes'),
  none('falco.customRules', 'custom rules have no setting: carry them over as a rules ConfigMap of your own, or propose them as platform rules'),
  none('falco.resources.**', "Falco's sizing is the chart's"),
  none('falco.falcoSidekick.resources.**', "falcosidekick's sizing is the chart's (replicas: components.falco.sidekick.replicas)"),

  // ---- Gatekeeper ----
  ...constraint('imageRegistry', 'allowedRegistries'),
  mapped('opa.imageRegistry.URL', 'components.gatekeeperConstraints.allowedRegistries.registries', {
    clusters: 'wc',
    convert: asStringList,
    note: "the platform's Harbor is allowed besides (allowedRegistries.includeHarbor)",
  }),
  ...constraint('networkPolicies', 'requireNetworkPolicy'),
  ...constraint('resourceRequests', 'requireResourceRequests'),
  ...constraint('disallowedTags', 'disallowLatestTag'),
  different('opa.disallowedTags.tags', 'the constraint forbids the latest tag (and untagged images)', {
    clusters: 'wc',
    convert: fixedAs(['latest'], 'latest is refused', 'other forbidden tags have no equivalent'),
  }),
  mapped('opa.rejectLoadBalancerService.enabled', 'network.allowLoadBalancerServices', {
    convert: negate,
    note: 'our constraint refuses LoadBalancer Services where the cluster does not allow them',
  }),
  mapped('opa.rejectLoadBalancerService.enforcement', 'components.gatekeeperConstraints.disallowLoadBalancer.enforcementAction', { convert: enforcement }),
  none('opa.minimumDeploymentReplicas.**', 'no minimum replica policy'),
  none('opa.preventAccidentalDeletion.**', 'no deletion protection policy: use RBAC and backups'),
  none('opa.rejectLocalStorageEmptyDir.**', 'no emptyDir policy (no cluster autoscaler integration)'),
  none('opa.rejectPodWithoutController.**', 'no bare-pod policy (no cluster autoscaler integration)'),
  none('opa.restrictPodDisruptionBudgets.**', 'no PodDisruptionBudget policy'),
  none('opa.mutations.**', 'no mutating policies (Job TTL, ndots): set them in the workloads'),
  ...resources('opa.controllerManager.resources', 'components.gatekeeper.resources.controllerManager'),
  ...resources('opa.audit.resources', 'components.gatekeeper.resources.audit'),
  none('opa.audit.writeToRAMDisk', 'no setting'),
  none('opa.auditIntervalSeconds', "Gatekeeper's default audit interval"),
  none('opa.auditChunkSize', "Gatekeeper's default"),
  none('opa.auditFromCache', "Gatekeeper's default"),
  none('opa.constraintViolationsLimit', "Gatekeeper's default"),
  different(
    'opa.validatingWebhookTimeoutSeconds',
    'the webhook timeout is the chart default; components.gatekeeper.failurePolicy decides what happens when it expires',
  ),
  none('opa.mutatingWebhookTimeoutSeconds', 'no mutating webhook'),
  none(
    'gatekeeper.allowUserCRDs.**',
    'users cannot install CustomResourceDefinitions: a cluster administrator installs operators (and their CRDs) as applications',
  ),

  // ---- Trivy ----
  mapped('trivy.enabled', 'components.trivyOperator.enabled', { convert: asBoolean }),
  mapped('trivy.vulnerabilityScannerEnabled', 'components.trivyOperator.vulnerabilityScanner', { convert: asBoolean }),
  mapped('trivy.configAuditScannerEnabled', 'components.trivyOperator.configAuditScanner', { convert: asBoolean }),
  mapped('trivy.rbacAssessmentScannerEnabled', 'components.trivyOperator.rbacAssessmentScanner', { convert: asBoolean }),
  mapped('trivy.infraAssessmentScannerEnabled', 'components.trivyOperator.infraAssessmentScanner', { convert: asBoolean }),
  mapped('trivy.exposedSecretScannerEnabled', 'components.trivyOperator.exposedSecretScanner', { convert: asBoolean }),
  mapped('trivy.clusterComplianceEnabled', 'components.trivyOperator.complianceReports', { convert: asBoolean }),
  mapped('trivy.scanJobs.concurrentLimit', 'components.trivyOperator.concurrentScanJobs', { convert: asInteger }),
  none('trivy.sbomGenerationEnabled', 'no SBOM reports'),
  none('trivy.excludeNamespaces', 'every namespace is scanned'),
  none('trivy.vulnerabilityScanner.**', "report TTL and revision filter are the operator's defaults"),
  none('trivy.scanJobs.**', "scan job retry and timeout are the operator's defaults"),
  different('trivy.serviceMonitor.**', 'trivy-operator is always monitored by the platform Prometheus'),
  none('trivy.scanner.**', 'no offline database or registry mirror settings for the scanner'),
  none('trivy.resources.**', "trivy-operator's sizing is the chart's"),

  // ---- kured ----
  mapped('kured.enabled', 'components.kured.enabled', { convert: asBoolean }),
  mapped('kured.notification.slack.enabled', 'components.kured.notifications.enabled', {
    convert: asBoolean,
    note: 'the Slack address is a shoutrrr URL (slack://...) in the kured-notify Secret',
  }),
  different('kured.notification.slack.channel', 'the channel is part of the shoutrrr URL in the kured-notify Secret'),
  mapped('kured.configuration.rebootDays', 'components.kured.rebootDays', { convert: rebootDays }),
  mapped('kured.configuration.startTime', 'components.kured.startTime', { convert: asString }),
  mapped('kured.configuration.endTime', 'components.kured.endTime', { convert: asString }),
  mapped('kured.configuration.timeZone', 'components.kured.timeZone', { convert: asString }),
  mapped('kured.configuration.period', 'components.kured.period', { convert: asString }),
  mapped('kured.configuration.concurrency', 'components.kured.concurrency', { convert: asInteger }),
  mapped('kured.configuration.drainTimeout', 'components.kured.drainTimeout', { convert: asString }),
  mapped('kured.configuration.rebootSentinel', 'components.kured.rebootSentinel', { convert: asString }),
  none('kured.configuration.**', "other kured options keep kured's defaults"),
  different('kured.metrics.**', 'kured is always monitored by the platform Prometheus when it runs'),
  none('kured.extraArgs', 'no extra arguments'),
  none('kured.extraEnvVars', 'no extra environment'),
  none('kured.dsAnnotations', 'no DaemonSet annotations'),
  none('kured.resources.**', "kured's sizing is the chart's"),
  none('kyverno.**', 'Kyverno is not deployed: policies are Gatekeeper constraints; image signature verification has no equivalent'),
];

export const security: Area = {
  title: 'Security: Falco, Gatekeeper policies, Trivy, kured',
  roots: ['falco', 'opa', 'gatekeeper', 'trivy', 'kured', 'kyverno'],
  rules,
};
