import { z } from 'zod';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { defineComponent, type RenderContext } from '../lib/component';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { FALCO_ALERTS } from './alerts';
import { customRulesProblems, falcoctlValues, LOCAL_RULES_FILE, localRulesFile, rulesSettings } from './rules';
import { allow, netpol, peers, resources } from '../lib/objects';
import { egressTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';
import { alertsTarget, IN_CLUSTER_ALERTMANAGER_URL, senderSecret } from '../lib/wiring';
import { MONITORING_NAMESPACE } from '../lib/platform-namespaces';

const NS = 'falco';
const C = 'falco';
const PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Runtime intrusion detection on every node, alerts through falcosidekick'),
  driver: z
    .enum(['modern_ebpf', 'kmod', 'ebpf'])
    .default('modern_ebpf')
    .describe('How Falco reads syscalls; modern_ebpf needs no kernel headers or module build (kernel ≥ 5.8)'),
  alertPriority: z.enum(PRIORITIES).default('warning').describe('Lowest Falco priority forwarded to Alertmanager'),
  rulesUpdates: z
    .boolean()
    .default(true)
    .describe(
      'Install the upstream rules at rules.version with falcoctl when Falco starts (needs access to their registry); off: the rules built into the Falco image',
    ),
  rules: rulesSettings.describe('Falco rules: the pinned upstream version, exceptions per namespace, rules of your own'),
  eventSpikeFactor: z
    .number()
    .min(1)
    .default(5)
    .describe('Alert when a Falco rule fires this many times more often than its average of the previous day (FalcoEventRateSpike)'),
  sidekick: z
    .strictObject({ replicas: z.number().int().min(1).max(5).default(1).describe("falcosidekick replicas (every node's Falco posts its events to them)") })
    .prefault({}),
});

type Settings = z.output<typeof settings>;
type Ctx = RenderContext<Settings>;

const byName = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });

/** Where falcosidekick posts alerts, and how it authenticates (only across clusters). */
function alertmanagerOutput(ctx: Ctx): { hostport: string; extraEnv: JsonObject[] } | undefined {
  if (ctx.cluster.role === 'management') return ctx.isEnabled('kube-prometheus-stack') ? { hostport: IN_CLUSTER_ALERTMANAGER_URL, extraEnv: [] } : undefined;
  const t = alertsTarget(ctx.env, ctx.cluster.name);
  const ref = (key: string) => ({ secretKeyRef: { name: t.senderSecret, key } });
  // falcosidekick's Alertmanager output has no basic-auth setting; Go's HTTP client sends the URL's
  // user info as basic auth. Kubernetes expands $(VAR) from the variables above, so no secret is rendered.
  return {
    hostport: '',
    extraEnv: [
      { name: 'ALERTMANAGER_USERNAME', valueFrom: ref('username') },
      { name: 'ALERTMANAGER_PASSWORD', valueFrom: ref('password') },
      { name: 'ALERTMANAGER_HOSTPORT', value: t.url.replace('https://', 'https://$(ALERTMANAGER_USERNAME):$(ALERTMANAGER_PASSWORD)@') },
    ],
  };
}

function networkPolicies(ctx: Ctx, alerting: boolean): K8sObject[] {
  const objects: K8sObject[] = [
    netpol.allowIngress(C, NS, 'allow-same-namespace', [{ podSelector: {} }], []),
    netpol.allowEgress(C, NS, 'allow-same-namespace-egress', [{ podSelector: {} }], []),
  ];
  if (ctx.settings.rulesUpdates) {
    objects.push(egressTo(C, ctx.cluster, 'falcoRules', NS, 'allow-rules-download', [{ port: 443 }], byName('falco')));
  }
  if (alerting) {
    objects.push(
      ctx.cluster.role === 'management'
        ? netpol.allowEgress(
            C,
            NS,
            'allow-alertmanager',
            [peers.pods(MONITORING_NAMESPACE, { 'app.kubernetes.io/name': 'alertmanager' })],
            [{ port: 9093 }],
            byName('falcosidekick'),
          )
        : egressTo(C, ctx.cluster, 'managementEndpoints', NS, 'allow-management-alertmanager', [{ port: 443 }], byName('falcosidekick')),
    );
  }
  if (ctx.isEnabled('kube-prometheus-stack')) {
    objects.push(allow.fromMonitoring(C, NS, [{ port: 8765 }, { port: 2801 }]));
  }
  return objects;
}

/**
 * Falco on every node (modern eBPF driver) with falcosidekick forwarding its events to Alertmanager:
 * the management cluster's, through its public endpoint with the cluster's push identity from a
 * workload cluster, in-cluster on the management cluster. Events carry `cluster=<name>` so the
 * management Alertmanager routes them with the rest of that cluster's alerts.
 */
export const falco = defineComponent({
  name: 'falco',
  description: "Runtime intrusion detection (Falco) with alerts to the management cluster's Alertmanager",
  roles: ['management', 'workload'],
  namespace: NS,
  // The driver loads eBPF programs and reads host state: privileged by nature.
  podSecurity: 'privileged',
  chart: 'falco',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  alerts: [FALCO_ALERTS],
  controls: ['MSBFS 2020:7 4 kap. 18 §', 'ISO 27001 A.12.2.1', 'ISO 27001 A.16', 'NIST SP 800-171 3.14.4', 'NIST SP 800-171 3.14.6', 'NIST SP 800-171 3.14.7'],
  settings,
  defaults: flavorPresets({ production: { sidekick: { replicas: 2 } }, 'air-gapped': { rulesUpdates: false } }),
  checkSettings(s) {
    return customRulesProblems(s.rules.custom).map((p) => ({ ...p, path: ['rules', ...p.path] }));
  },
  secrets(ctx) {
    if (ctx.cluster.role !== 'workload') return [];
    return [
      senderSecret(alertsTarget(ctx.env, ctx.cluster.name), NS, "Credentials falcosidekick uses to push alerts to the management cluster's Alertmanager"),
    ];
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const am = alertmanagerOutput(ctx);
    const localRules = localRulesFile(s.rules);
    const sidekick: JsonObject = {
      enabled: true,
      replicaCount: s.sidekick.replicas,
      resources: resources('10m', '32Mi', '128Mi'),
      serviceMonitor: { enabled: monitored },
      config: {
        extraEnv: am?.extraEnv ?? [],
        alertmanager: {
          hostport: am?.hostport ?? '',
          endpoint: '/api/v2/alerts',
          minimumpriority: s.alertPriority,
          extralabels: `cluster:${cluster.name}`,
        },
      },
    };
    return {
      values: {
        driver: { kind: s.driver },
        tty: false,
        resources: resources('100m', '512Mi', '1024Mi'),
        tolerations: [{ operator: 'Exists' }],
        falco: { json_output: true, json_include_output_property: true, priority: 'notice' },
        falcoctl: falcoctlValues(s.rules, s.rulesUpdates),
        ...(localRules ? { customRules: { [LOCAL_RULES_FILE]: localRules } } : {}),
        metrics: { enabled: monitored },
        serviceMonitor: { create: monitored },
        falcosidekick: sidekick,
      },
      objects: [...networkPolicies(ctx, !!am), ...alertRules(ctx, C, NS, [alertsWith(FALCO_ALERTS, { spikeFactor: s.eventSpikeFactor })])],
    };
  },
});
