import type { JsonObject } from '@ck8s/manifest';
import { defineComponent, type RenderContext, type SecretRequirement } from '../lib/component';
import { KUBE_PROMETHEUS_STACK_BACKUPS } from './backups';
import { customResourceMetrics } from './custom-resource-metrics';
import { TEMPLATES } from '../gatekeeper/templates';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { CAPACITY_ALERTS, FLUX_ALERTS } from './alerts';
import { endpoints } from '../lib/hosts';
import { basicAuthIngress, BASIC_AUTH_KEY, webIngress } from '../lib/ingress';
import { resources } from '../lib/objects';
import { MONITORING_NAMESPACE, platformNamespaces } from '../lib/platform-namespaces';
import { alertsTarget, metricsTarget, senderSecret, workloadClusters } from '../lib/wiring';
import { tenantDatasource, THANOS_QUERY_URL, THANOS_RECEIVE_URL, thanosEnforcesTenancy, thanosTenants } from '../thanos';
import {
  HEARTBEAT_SECRET,
  managementAlertmanagerConfig,
  RECEIVERS_SECRET,
  receiverNames,
  userAlertmanagerConfig,
  userAlertmanagerSelection,
} from './alertmanager';
import { GRAFANA_ADMIN_SECRET, GRAFANA_OIDC_SECRET, OPS_GRAFANA_OIDC_CLIENT, opsGrafanaValues, opsMetricsDatasources, type OpsThanos } from './grafana';
import { opsDashboards } from './ops-dashboards';
import { networkPolicies } from './network';
import { prometheusSpec } from './prometheus';
import { durationDays, flavorDefaults, MIN_RETENTION_DAYS, settings, type Settings } from './settings';

export { MIN_RETENTION_DAYS, durationDays } from './settings';
export { OPS_GRAFANA_OIDC_CLIENT } from './grafana';

const NS = MONITORING_NAMESPACE;
const RELEASE = 'kube-prometheus-stack';
/** Secret with one htpasswd line per workload cluster (key `auth`): the identities allowed to push alerts. */
export const ALERTMANAGER_BASIC_AUTH_SECRET = 'alertmanager-basic-auth';

type Ctx = RenderContext<Settings>;

/** The ops Grafana's view of Thanos: platform administrators see every cluster, tenancy enforced or not. */
function opsThanos(ctx: Ctx): OpsThanos {
  return thanosEnforcesTenancy(ctx.cluster) ? { tenants: thanosTenants(ctx.env).map((t) => tenantDatasource(t, false)) } : { url: THANOS_QUERY_URL };
}

const namespaceOf = (ctx: Ctx, component: string, fallback: string) => ctx.enabledComponents.find((c) => c.name === component)?.namespace ?? fallback;

function alertmanagerValues(ctx: Ctx): JsonObject {
  const s = ctx.settings.alertmanager;
  const mgmt = ctx.cluster.role === 'management';
  const host = endpoints(ctx.env).alertmanager;
  const mounted = mgmt ? [...(s.receivers.length ? [RECEIVERS_SECRET] : []), ...(s.heartbeat.enabled ? [HEARTBEAT_SECRET] : [])] : [];
  const exposed = mgmt && s.ingress;
  return {
    enabled: true,
    config: mgmt ? managementAlertmanagerConfig(ctx.env, s) : userAlertmanagerConfig(),
    podDisruptionBudget: { enabled: s.replicas > 1, minAvailable: 1 },
    ingress: { enabled: false },
    alertmanagerSpec: {
      replicas: s.replicas,
      retention: s.retention,
      ...(exposed ? { externalUrl: `https://${host}` } : {}),
      secrets: mounted,
      storage: {
        volumeClaimTemplate: {
          spec: { storageClassName: ctx.cluster.settings.storage.storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      },
      resources: resources('10m', '64Mi', '256Mi'),
      ...(mgmt ? {} : userAlertmanagerSelection(platformNamespaces(ctx.enabledComponents))),
    },
  };
}

/**
 * kube-prometheus-stack on both roles. Management: Prometheus, the platform's Alertmanager (routes
 * per cluster, receivers and dead man's switch from config, exposed for workload clusters' alerts) and
 * the ops Grafana. Workload: Prometheus remote-writing to Thanos on the management cluster (tenant =
 * cluster name) and an Alertmanager for the application developers; no Grafana (dashboards live in the
 * management cluster's Grafana instances).
 *
 * The Alertmanager ingress requires basic auth: every workload cluster pushes with its own identity,
 * checked against the htpasswd Secret `alertmanager-basic-auth` (`basicAuthIngress`, the same
 * annotations on Traefik and ingress-nginx).
 */
export const kubePrometheusStack = defineComponent({
  name: 'kube-prometheus-stack',
  description: 'Prometheus, Alertmanager and (management) the ops Grafana; workload clusters remote-write to the management cluster',
  roles: ['management', 'workload'],
  namespace: NS,
  // node-exporter needs the host's network, PID namespace and file system.
  podSecurity: 'privileged',
  chart: 'kube-prometheus-stack',
  dependsOn: ['namespaces'],
  providesApiGroups: ['monitoring.coreos.com'],
  capabilities: ['alertmanager'],
  alerts: [CAPACITY_ALERTS, FLUX_ALERTS],
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 5 §',
    'MSBFS 2020:7 4 kap. 18 §',
    'ISO 27001 A.9.4.1',
    'ISO 27001 A.12.1.3',
    'ISO 27001 A.16',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.5.1',
    'NIST SP 800-171 3.5.2',
    'NIST SP 800-171 3.5.4',
    'NIST SP 800-171 3.12.3',
    'NIST SP 800-171 3.14.6',
  ],
  settings,
  backups: KUBE_PROMETHEUS_STACK_BACKUPS,
  defaults: flavorDefaults,
  checkSettings(s, env) {
    const problems: { path: PropertyKey[]; message: string }[] = [];
    const min = MIN_RETENTION_DAYS[env.flavor];
    if (durationDays(s.prometheus.retention) < min) {
      problems.push({
        path: ['prometheus', 'retention'],
        message: `Prometheus retention "${s.prometheus.retention}" is below the ${env.flavor} minimum of ${min} days`,
      });
    }
    const known = new Set(
      receiverNames(
        s.alertmanager,
        env.clusters.map((c) => c.name),
      ),
    );
    if (s.alertmanager.defaultReceiver && !known.has(s.alertmanager.defaultReceiver)) {
      problems.push({
        path: ['alertmanager', 'defaultReceiver'],
        message: `unknown receiver "${s.alertmanager.defaultReceiver}"; known: ${[...known].join(', ')}`,
      });
    }
    for (const [cluster, receiver] of Object.entries(s.alertmanager.clusterReceivers)) {
      if (!env.clusters.some((c) => c.name === cluster))
        problems.push({ path: ['alertmanager', 'clusterReceivers', cluster], message: `no cluster named "${cluster}" in this environment` });
      else if (!known.has(receiver))
        problems.push({ path: ['alertmanager', 'clusterReceivers', cluster], message: `unknown receiver "${receiver}"; known: ${[...known].join(', ')}` });
    }
    return problems;
  },
  secrets(ctx) {
    const reqs: SecretRequirement[] = [];
    const s = ctx.settings;
    if (ctx.cluster.role === 'workload') {
      const m = metricsTarget(ctx.env, ctx.cluster.name);
      const a = alertsTarget(ctx.env, ctx.cluster.name);
      reqs.push(senderSecret(m, NS, 'Prometheus remote-write credentials for Thanos receive on the management cluster'));
      reqs.push(senderSecret(a, NS, "Credentials Prometheus uses to push alerts to the management cluster's Alertmanager"));
      return reqs;
    }
    if (s.alertmanager.receivers.length) {
      reqs.push({
        name: RECEIVERS_SECRET,
        namespace: NS,
        keys: s.alertmanager.receivers.map((r) => r.name),
        description: 'Alertmanager receiver addresses: Slack webhook URL, OpsGenie API key or webhook URL, one key per receiver',
        generate: Object.fromEntries(
          s.alertmanager.receivers.map((r) => [
            r.name,
            { type: 'user', hint: `${r.type} ${r.type === 'opsgenie' ? 'API key' : 'URL'} for receiver ${r.name}` },
          ]),
        ),
      });
    }
    if (s.alertmanager.heartbeat.enabled) {
      const clusters = ctx.env.clusters.map((c) => c.name);
      reqs.push({
        name: HEARTBEAT_SECRET,
        namespace: NS,
        keys: clusters,
        description: "Dead man's switch: one heartbeat URL per cluster (e.g. a Healthchecks or OpsGenie heartbeat), pinged while its Watchdog fires",
        generate: Object.fromEntries(clusters.map((c) => [c, { type: 'user', hint: `heartbeat URL for cluster ${c}` }])),
      });
    }
    if (s.alertmanager.ingress) {
      const senders = workloadClusters(ctx.env).map((c) => alertsTarget(ctx.env, c.name));
      reqs.push({
        name: ALERTMANAGER_BASIC_AUTH_SECRET,
        namespace: NS,
        keys: [BASIC_AUTH_KEY],
        description: 'htpasswd file of the workload clusters allowed to push alerts (one line per cluster, the password its senders use)',
        generate: { [BASIC_AUTH_KEY]: { type: 'htpasswd-file', entries: senders.map((t) => ({ user: t.username, of: t.share })) } },
      });
    }
    if (s.grafana.enabled) {
      reqs.push({
        name: GRAFANA_ADMIN_SECRET,
        namespace: NS,
        keys: ['admin-user', 'admin-password'],
        description: 'Ops Grafana local administrator (break-glass account)',
        generate: { 'admin-user': { type: 'literal', value: 'admin' }, 'admin-password': { type: 'random' } },
      });
      if (ctx.isEnabled('dex')) {
        reqs.push({
          name: GRAFANA_OIDC_SECRET,
          namespace: NS,
          keys: ['client-secret'],
          description: `OIDC client secret of the ops Grafana in Dex (client "${OPS_GRAFANA_OIDC_CLIENT.id}")`,
          generate: { 'client-secret': { type: 'random', shareAs: OPS_GRAFANA_OIDC_CLIENT.share } },
        });
      }
    }
    return reqs;
  },
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const mgmt = cluster.role === 'management';
    const grafana = mgmt && s.grafana.enabled;
    const thanos = mgmt && ctx.isEnabled('thanos');
    const values: JsonObject = {
      crds: { enabled: true },
      // Rules and dashboards from the chart's defaults; the cluster label tells the clusters apart.
      defaultRules: { create: true },
      // Flux objects and Gatekeeper constraints as metrics, for the Flux and Gatekeeper alerts.
      'kube-state-metrics': customResourceMetrics(ctx.isEnabled('gatekeeper') ? TEMPLATES.map((t) => t.kind) : []),
      prometheusOperator: { resources: resources('50m', '128Mi', '256Mi') },
      prometheus: {
        prometheusSpec: prometheusSpec(ctx.env, cluster, s.prometheus, platformNamespaces(ctx.enabledComponents), thanos ? THANOS_RECEIVE_URL : undefined),
        podDisruptionBudget: { enabled: s.prometheus.replicas > 1, minAvailable: 1 },
      },
      alertmanager: alertmanagerValues(ctx),
      grafana: grafana
        ? opsGrafanaValues(ctx.env, s.grafana, ctx.isEnabled('dex'), thanos ? opsThanos(ctx) : undefined)
        : { enabled: false, forceDeployDashboards: false },
    };
    // In-cluster alert senders on management: Flux notifications, Falco's sidekick, Thanos ruler.
    const alertSenders = mgmt ? ['flux-system', ...['falco', 'thanos'].filter((c) => ctx.isEnabled(c)).map((c) => namespaceOf(ctx, c, c))] : [];
    const hosts = endpoints(ctx.env);
    // Service names follow from the release name (`kube-prometheus-stack`) and the chart's naming.
    const ingress = (name: string, host: string, service: string, port: number) => ({ component: RELEASE, namespace: NS, name, host, service, port });
    const ingresses = [
      ...(grafana ? [webIngress(cluster, ingress('ops-grafana', hosts.opsGrafana, `${RELEASE}-grafana`, 80))] : []),
      ...(mgmt && s.alertmanager.ingress
        ? [
            basicAuthIngress(cluster, {
              ...ingress('alertmanager', hosts.alertmanager, `${RELEASE}-alertmanager`, 9093),
              secret: ALERTMANAGER_BASIC_AUTH_SECRET,
            }),
          ]
        : []),
    ];
    return {
      values,
      // Its own rules need the CRDs the release installs: applied with the config, after the release.
      config: alertRules(ctx, RELEASE, NS, [
        alertsWith(CAPACITY_ALERTS, { fullWithinHours: s.capacityAlerts.fullWithinHours }),
        alertsWith(FLUX_ALERTS, s.fluxAlerts),
      ]),
      objects: [
        ...ingresses,
        // The ops Grafana's dashboards, for its sidecar (the overview and one per component in the environment).
        ...(grafana ? opsDashboards(ctx, RELEASE, NS, opsMetricsDatasources(thanos ? opsThanos(ctx) : undefined)) : []),
        ...networkPolicies(cluster, {
          namespace: NS,
          alertSenders,
          ingressNamespace: namespaceOf(ctx, 'ingress', 'ingress'),
          grafana: { enabled: grafana, oidc: ctx.isEnabled('dex') },
          thanosNamespace: thanos ? namespaceOf(ctx, 'thanos', 'thanos') : undefined,
        }),
      ],
    };
  },
});
