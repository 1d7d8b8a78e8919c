import { z } from 'zod';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { enabledOn, managementCluster } from '../lib/cluster-settings';
import { defineComponent } from '../lib/component';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { ENDPOINT_ALERTS, PROBE_JOB } from './alerts';
import { endpoints } from '../lib/hosts';
import { allow, meta, PROMETHEUS_SELECTOR_LABELS, resources, RESTRICTED_POD } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { alertsTarget, logsTarget, metricsTarget } from '../lib/wiring';
import { thanosSettings } from '../thanos';
import { MONITORING_NAMESPACE } from '../lib/platform-namespaces';
import { flavorPresets } from '../lib/presets';

const NS = MONITORING_NAMESPACE;
/** Release name = chart key, so the Service is `prometheus-blackbox-exporter`. */
const SERVICE = 'prometheus-blackbox-exporter';
const PORT = 9115;
const POD = { matchLabels: { 'app.kubernetes.io/name': 'prometheus-blackbox-exporter', 'app.kubernetes.io/instance': 'prometheus-blackbox-exporter' } };

/** Probe modules: a public page that answers 2xx, and an API that answers 401 without credentials (alive, and not open). */
export const MODULES = {
  http_2xx: { prober: 'http', timeout: '5s', http: { valid_http_versions: ['HTTP/1.1', 'HTTP/2.0'], follow_redirects: true, preferred_ip_protocol: 'ip4' } },
  http_401: {
    prober: 'http',
    timeout: '5s',
    http: { valid_http_versions: ['HTTP/1.1', 'HTTP/2.0'], valid_status_codes: [401], follow_redirects: false, preferred_ip_protocol: 'ip4' },
  },
} as const;
export type ProbeModule = keyof typeof MODULES;

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe("Probe the platform's public endpoints (availability and certificate expiry)"),
  interval: z
    .string()
    .regex(/^[0-9]+[sm]$/)
    .default('60s')
    .describe('How often each endpoint is probed'),
  extraTargets: z.array(z.url()).default([]).describe('More URLs to probe with http_2xx (e.g. an application on this cluster)'),
  certificateExpiryWarningDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .default(14)
    .describe("Alert when an endpoint's TLS certificate expires within this many days (EndpointCertificateExpiringSoon)"),
  replicas: z.number().int().min(1).max(5).default(1).describe('Exporter replicas (a PodDisruptionBudget from 2)'),
});

/** Whether a component is enabled on the management cluster (workload clusters cannot ask `isEnabled`). */
const onManagement = (env: EnvironmentConfig, component: string) => enabledOn(managementCluster(env), component);

const thanosQueryExposed = (cluster: ClusterConfig) => thanosSettings(cluster).query.ingress;

/**
 * What a cluster probes. The management cluster probes every endpoint it serves; a workload cluster
 * probes the management endpoints it pushes metrics, logs and alerts to (its path out, end to end).
 */
export function probeTargets(env: EnvironmentConfig, cluster: ClusterConfig, isEnabled: (n: string) => boolean): Record<ProbeModule, string[]> {
  const e = endpoints(env);
  const https = (host: string, path = '/') => `https://${host}${path}`;
  if (cluster.role === 'management') {
    const ok: string[] = [];
    const auth: string[] = [];
    if (isEnabled('dex')) ok.push(https(e.dex, '/.well-known/openid-configuration'));
    if (isEnabled('kube-prometheus-stack')) {
      ok.push(https(e.opsGrafana, '/api/health'));
      auth.push(https(e.alertmanager, '/-/healthy'));
    }
    if (isEnabled('user-grafana')) ok.push(https(e.grafana, '/api/health'));
    if (isEnabled('opensearch-dashboards')) ok.push(https(e.opensearchDashboards, '/'));
    if (isEnabled('harbor')) ok.push(https(e.harbor, '/api/v2.0/ping'));
    if (isEnabled('thanos')) {
      auth.push(https(e.thanosReceive, '/api/v1/receive'));
      if (thanosQueryExposed(cluster)) auth.push(https(e.thanosQuery, '/-/healthy'));
    }
    if (isEnabled('opensearch')) auth.push(https(e.opensearch, '/'));
    return { http_2xx: ok, http_401: auth };
  }
  const auth: string[] = [];
  if (onManagement(env, 'thanos')) auth.push(metricsTarget(env, cluster.name).url);
  if (onManagement(env, 'opensearch')) auth.push(`${logsTarget(env, cluster.name).url}/`);
  if (onManagement(env, 'kube-prometheus-stack')) auth.push(`${alertsTarget(env, cluster.name).url}/-/healthy`);
  return { http_2xx: [], http_401: auth };
}

function probe(cluster: ClusterConfig, module: ProbeModule, targets: string[], interval: string): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Probe',
    metadata: meta('prometheus-blackbox-exporter', `platform-endpoints-${module.replace('_', '-')}`, NS, PROMETHEUS_SELECTOR_LABELS),
    spec: {
      jobName: PROBE_JOB,
      interval,
      module,
      prober: { url: `${SERVICE}.${NS}.svc:${PORT}`, path: '/probe', scheme: 'http' },
      targets: { staticConfig: { static: targets, labels: { cluster: cluster.name } } },
    },
  };
}

/** Blackbox exporter: availability and certificate expiry of the platform's endpoints, as Prometheus Probes. */
export const prometheusBlackboxExporter = defineComponent({
  name: 'prometheus-blackbox-exporter',
  description: "Blackbox exporter probing the platform's public endpoints",
  roles: ['management', 'workload'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'prometheus-blackbox-exporter',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  alerts: [ENDPOINT_ALERTS],
  controls: ['MSBFS 2020:7 4 kap. 9 §', 'ISO 27001 A.10.1.2', 'NIST SP 800-171 3.13.10'],
  settings,
  defaults: flavorPresets({ production: { replicas: 2 } }),
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const targets = probeTargets(env, cluster, ctx.isEnabled);
    targets.http_2xx.push(...s.extraTargets);
    const values: JsonObject = {
      replicas: s.replicas,
      podSecurityContext: RESTRICTED_POD,
      config: { modules: MODULES as unknown as JsonObject },
      resources: resources('10m', '32Mi', '64Mi'),
      podDisruptionBudget: s.replicas > 1 ? { maxUnavailable: 1 } : {},
      serviceMonitor: { selfMonitor: { enabled: monitored, labels: PROMETHEUS_SELECTOR_LABELS } },
    };
    const objects: K8sObject[] = [
      ...alertRules(ctx, 'prometheus-blackbox-exporter', NS, [alertsWith(ENDPOINT_ALERTS, { expiryWarningDays: s.certificateExpiryWarningDays })]),
      allow.fromMonitoring('prometheus-blackbox-exporter', NS, [{ port: PORT }], POD, 'allow-blackbox-probes'),
      httpsTo('prometheus-blackbox-exporter', ctx.cluster, 'probes', NS, 'allow-blackbox-https', POD),
      // Public endpoints of this cluster resolve to its own ingress (hairpin through the load balancer).
      allow.toIngress('prometheus-blackbox-exporter', NS, POD, 'allow-blackbox-to-ingress'),
    ];
    // Probes are custom resources of kube-prometheus-stack: nothing would run them without it.
    const config = monitored
      ? (Object.entries(targets) as [ProbeModule, string[]][]).filter(([, t]) => t.length).map(([m, t]) => probe(cluster, m, t, s.interval))
      : [];
    return { values, objects, ...(config.length ? { config } : {}) };
  },
});
