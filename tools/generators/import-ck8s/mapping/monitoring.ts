import {
  asBoolean,
  asDays,
  asInteger,
  asString,
  different,
  fixedAs,
  mapped,
  memoryQuantity,
  none,
  resources,
  type Converted,
  type ImportContext,
  type Rule,
} from './types';
import type { Area } from './area';

const PROM_DURATION = /^[0-9]+(ms|s|m|h|d|w|y)$/;
const promDuration = (v: unknown): Converted =>
  typeof v === 'string' && PROM_DURATION.test(v) ? { value: v } : { skip: `${JSON.stringify(v)} is not a single-unit duration such as "7d"` };

/** ck8s `alerts.alertTo` (with the channel) → our management Alertmanager's receivers. */
function receivers(v: unknown, ctx: ImportContext): Converted {
  if (v === 'null' || v === null || v === 'none') return { value: [] };
  if (v === 'slack') {
    const channel = ctx.get('alerts.slack.channel');
    return { value: [{ name: 'slack', type: 'slack', ...(typeof channel === 'string' && !channel.startsWith('set-me') ? { channel } : {}) }] };
  }
  if (v === 'opsgenie') return { value: [{ name: 'opsgenie', type: 'opsgenie' }] };
  return { skip: `alertTo ${JSON.stringify(v)} is not slack, opsgenie or null` };
}

/** A single group name → a list of groups. */
const group = (v: unknown): Converted => (typeof v === 'string' && v ? { value: [v] } : { skip: `expected a group name, got ${JSON.stringify(v)}` });

const fixedSubdomain = (name: string, where: 'domain' | 'opsDomain') =>
  fixedAs(name, `our endpoint is ${name}.<${where}>`, `move DNS records and clients to ${name}.<${where}>`);

const ALERT_THRESHOLDS =
  'our capacity alerts predict full volumes and filesystems (components.kubePrometheusStack.capacityAlerts.fullWithinHours); their thresholds are fixed';
const CHART_SIZED = "the chart's sizing: no setting";

const rules: Rule[] = [
  // ---- Prometheus and Alertmanager ----
  mapped('prometheus.replicas', 'components.kubePrometheusStack.prometheus.replicas', { convert: asInteger }),
  mapped('prometheus.retention.age', 'components.kubePrometheusStack.prometheus.retention', { convert: promDuration }),
  mapped('prometheus.retention.size', 'components.kubePrometheusStack.prometheus.retentionSize', { convert: asString }),
  mapped('prometheus.retention.alertmanager', 'components.kubePrometheusStack.alertmanager.retention', { convert: promDuration }),
  mapped('prometheus.storage.size', 'components.kubePrometheusStack.prometheus.storageSize', { convert: memoryQuantity }),
  different('prometheus.storage.enabled', 'Prometheus always keeps its TSDB on a persistent volume (prometheus.storageSize)', {
    convert: fixedAs(true, 'always persistent', 'false (emptyDir) has no equivalent: the TSDB is persistent'),
  }),
  mapped('prometheus.resources.requests.memory', 'components.kubePrometheusStack.prometheus.memory', {
    convert: memoryQuantity,
    note: 'our setting is the request and the limit',
  }),
  different('prometheus.resources.limits.memory', 'the memory limit equals the request (components.kubePrometheusStack.prometheus.memory)'),
  none('prometheus.resources.requests.cpu', 'Prometheus CPU requests are not configurable'),
  none('prometheus.resources.limits.cpu', 'we set no CPU limits on platform services'),
  mapped('prometheus.alertmanagerSpec.replicas', 'components.kubePrometheusStack.alertmanager.replicas', { convert: asInteger }),
  none('prometheus.alertmanagerSpec.resources.**', `Alertmanager: ${CHART_SIZED}`),
  none('prometheus.alertmanagerSpec.storage.**', "Alertmanager's volume is the chart's"),
  different('prometheus.alertmanagerSpec.groupBy', 'grouping is part of our routes (per cluster); no setting'),
  different('prometheus.devAlertmanager.enabled', "every workload cluster has the users' Alertmanager (it reads the teams' AlertmanagerConfig objects)", {
    convert: fixedAs(true, 'always on', 'it cannot be turned off'),
  }),
  different('prometheus.devAlertmanager.namespace', "the users' Alertmanager runs in monitoring"),
  none('prometheus.devAlertmanager.ingressEnabled', "the users' Alertmanager has no ingress: teams reach it with kubectl port-forward"),
  none('prometheus.devAlertmanager.username', "the users' Alertmanager has no basic-auth user"),
  none('prometheus.webhookAlerts.**', 'no admission webhook alerts of their own; API server alerts cover webhook latency'),
  none('prometheus.autoscaledNodeGroupAlerts.**', 'no node group alerts (no cluster autoscaler integration)'),
  different('prometheus.capacityManagementAlerts.**', ALERT_THRESHOLDS),
  different('prometheus.diskAlerts.**', ALERT_THRESHOLDS),
  none('prometheus.s3BucketAlerts.**', 'no bucket size or object count alerts (no S3 exporter)'),
  none('prometheus.additionalScrapeConfigs', 'no raw scrape configs: teams add ServiceMonitor, PodMonitor or ScrapeConfig objects'),
  none('prometheusOperator.**', `prometheus-operator: ${CHART_SIZED}`),
  none('prometheusNodeExporter.**', `node-exporter: ${CHART_SIZED}`),
  none('kubeStateMetrics.**', `kube-state-metrics: ${CHART_SIZED}`),

  // ---- alert routing ----
  mapped('alerts.alertTo', 'components.kubePrometheusStack.alertmanager.receivers', {
    clusters: 'sc',
    convert: receivers,
    note:
      'slack → receiver "slack" (the channel from alerts.slack.channel), opsgenie → receiver "opsgenie", null → no receiver; the address is the ' +
      'alertmanager-receivers Secret',
  }),
  mapped('alerts.slack.channel', 'components.kubePrometheusStack.alertmanager.receivers', { clusters: 'sc', partOf: 'alerts.alertTo' }),
  none('alerts.slack.customTemplate', 'no custom Slack message template'),
  different(
    'alerts.opsGenie.apiUrl',
    "our OpsGenie receiver uses Alertmanager's default API URL (https://api.opsgenie.com/); EU accounts (api.eu.opsgenie.com) need a webhook receiver " +
      "to OpsGenie's EU Alertmanager integration instead",
  ),
  none('alerts.opsGenie.updateAlerts', 'OpsGenie alerts are not updated in place'),
  none(
    'alerts.customReceivers',
    'add each receiver to components.kubePrometheusStack.alertmanager.receivers (slack, opsgenie or webhook) with its address in the ' +
      'alertmanager-receivers Secret',
  ),
  none('alerts.customRoutes', 'routes are one per cluster: components.kubePrometheusStack.alertmanager.clusterReceivers picks the receiver of a cluster'),
  mapped('alerts.opsGenieHeartbeat.enabled', 'components.kubePrometheusStack.alertmanager.heartbeat.enabled', { clusters: 'sc', convert: asBoolean }),
  different(
    'alerts.opsGenieHeartbeat.url',
    'heartbeats are one URL per cluster in the alertmanager-heartbeat Secret (for OpsGenie: <url>/<heartbeat name>/ping)',
    { clusters: 'sc' },
  ),
  different(
    'alerts.opsGenieHeartbeat.name',
    'heartbeats are one URL per cluster in the alertmanager-heartbeat Secret (for OpsGenie: <url>/<heartbeat name>/ping)',
    { clusters: 'sc' },
  ),
  different('alerts.runbookUrls.**', "every alert's runbook link is <alerting.runbookBaseUrl>/<group>.md#<alert>; per-alert URLs have no equivalent"),

  // ---- Grafana ----
  different('grafana.ops.subdomain', 'fixed endpoint name', { convert: fixedSubdomain('grafana', 'opsDomain') }),
  different('grafana.user.subdomain', 'fixed endpoint name', { convert: fixedSubdomain('grafana', 'domain') }),
  mapped('grafana.user.enabled', 'components.userGrafana.enabled', { clusters: 'sc', convert: asBoolean }),
  ...resources('grafana.user.resources', 'components.userGrafana.resources', { clusters: 'sc' }),
  none('grafana.ops.resources.**', `ops Grafana: ${CHART_SIZED}`),
  different('grafana.*.oidc.enabled', 'both Grafanas always log in through Dex', {
    convert: fixedAs(true, 'single sign-on is always on', 'local logins only have no equivalent'),
  }),
  mapped('grafana.user.oidc.userGroups.grafanaAdmin', 'components.userGrafana.adminGroups', { clusters: 'sc', convert: group }),
  mapped('grafana.user.oidc.userGroups.grafanaEditor', 'components.userGrafana.editorGroups', { clusters: 'sc', convert: group }),
  mapped('grafana.ops.oidc.userGroups.grafanaAdmin', 'components.kubePrometheusStack.grafana.adminGroups', { clusters: 'sc', convert: group }),
  mapped('grafana.ops.oidc.userGroups.grafanaEditor', 'components.kubePrometheusStack.grafana.editorGroups', { clusters: 'sc', convert: group }),
  different(
    'grafana.*.oidc.userGroups.grafanaViewer',
    'everyone else who logs in gets the default role (components.userGrafana.defaultRole, Viewer): no viewer group',
  ),
  none('grafana.*.oidc.skipRoleSync', 'roles always follow the Dex groups'),
  different('grafana.*.oidc.scopes', 'Grafana asks Dex for openid, profile, email and groups'),
  none('grafana.*.oidc.allowedDomains', 'no e-mail domain filter: restrict who can log in at the identity provider (Dex connector)'),
  none('grafana.*.oidc.jwtEnabled', 'no JWT authentication'),
  none('grafana.*.viewersCanEdit', 'viewers cannot use Explore'),
  none('grafana.*.trailingDots', 'no setting'),
  none('grafana.*.sidecar.**', `dashboard sidecar: ${CHART_SIZED}`),
  none('grafana.*.plugins', 'no plugin installation from config'),
  none('grafana.*.additionalDatasources', "the datasources are the platform's (Thanos per workload cluster); add others in Grafana"),
  none('grafana.*.additionalConfigValues', 'no raw grafana.ini additions'),
  none('grafana.*.dataproxy.**', "the data proxy uses Grafana's default timeout"),
  none('grafana.*.contentSecurityPolicy.**', "Grafana's default content security policy"),
  different(
    'grafanaLabelEnforcer.**',
    "tenancy of the users' Grafana comes from Thanos tenants (one datasource per workload cluster, components.thanos.query.enforceTenancy), not a " +
      'label enforcer',
  ),
  none('welcomingDashboard.**', 'no welcome dashboards; the environment README lists endpoints and versions'),

  // ---- Thanos ----
  mapped('thanos.enabled', 'components.thanos.enabled', { clusters: 'sc', convert: asBoolean }),
  different('thanos.enabled', 'workload clusters always remote-write to the management cluster when Thanos runs there', {
    clusters: 'wc',
    convert: fixedAs(true, 'metrics are always sent', 'a workload cluster that sends no metrics has no equivalent'),
  }),
  different('thanos.receiver.enabled', 'receive is part of Thanos (components.thanos.enabled)', {
    convert: fixedAs(true, 'always on with Thanos', 'Thanos without receive has no equivalent'),
  }),
  different('thanos.receiver.subdomain', 'fixed endpoint name', { convert: fixedSubdomain('thanos-receiver', 'opsDomain') }),
  different(
    'thanos.receiver.basic_auth.username',
    'each workload cluster writes as writer-<cluster> with a password of its own (one compromised cluster cannot write as another)',
  ),
  mapped('thanos.receiver.persistence.size', 'components.thanos.receive.storageSize', { convert: memoryQuantity }),
  different('thanos.*.persistence.enabled', 'Thanos receive, compactor and store gateway always use persistent volumes', {
    convert: (v, ctx) => (v === true ? { equal: 'persistent' } : { skip: `${ctx.kind}: ephemeral volumes have no equivalent` }),
  }),
  different(
    'thanos.receiver.mode',
    'receive runs as one StatefulSet that routes and ingests; components.thanos.receive.replicas and replicationFactor decide the redundancy',
  ),
  none('thanos.receiver.outOfOrderTimeWindow', 'out-of-order ingestion is off'),
  mapped('thanos.receiver.tsdbRetention', 'components.thanos.receive.localRetention', {
    convert: (v) => (typeof v === 'string' && /^[0-9]+[hdw]$/.test(v) ? { value: v } : { skip: `${JSON.stringify(v)} is not a duration in h, d or w` }),
  }),
  mapped('thanos.receiver.replicaCount', 'components.thanos.receive.replicas', { convert: asInteger }),
  ...resources('thanos.receiver.resources', 'components.thanos.receive.resources'),
  different('thanos.query.enabled', 'query is part of Thanos (components.thanos.enabled)', {
    convert: fixedAs(true, 'always on with Thanos', 'Thanos without query has no equivalent'),
  }),
  mapped('thanos.query.replicaCount', 'components.thanos.query.replicas', { convert: asInteger }),
  ...resources('thanos.query.resources', 'components.thanos.query.resources'),
  ...resources('thanos.queryFrontend.resources', 'components.thanos.query.frontendResources'),
  mapped('thanos.receiveDistributor.replicationFactor', 'components.thanos.receive.replicationFactor', { convert: asInteger }),
  different('thanos.receiveDistributor.replicaCount', 'no separate distributor: the receive replicas route too (components.thanos.receive.replicas)'),
  none('thanos.receiveDistributor.resources.**', 'no separate distributor'),
  none('thanos.receiveDistributor.receiveHashringsAlgorithm', 'the hashring algorithm is the chart default'),
  none('thanos.receiveDistributor.receiveMaxConcurrency', 'no setting'),
  none('thanos.receiveDistributor.extraFlags', 'no extra flags'),
  mapped('thanos.ruler.enabled', 'components.thanos.ruler.enabled', { convert: asBoolean }),
  mapped('thanos.ruler.replicaCount', 'components.thanos.ruler.replicas', { convert: asInteger }),
  ...resources('thanos.ruler.resources', 'components.thanos.ruler.resources'),
  none('thanos.ruler.configReloader.**', `config reloader: ${CHART_SIZED}`),
  none('thanos.ruler.persistence.size', 'the ruler keeps no volume'),
  mapped('thanos.compactor.retentionResolutionRaw', 'components.thanos.retention.rawDays', { convert: asDays }),
  mapped('thanos.compactor.retentionResolution5m', 'components.thanos.retention.fiveMinuteDays', { convert: asDays }),
  mapped('thanos.compactor.retentionResolution1h', 'components.thanos.retention.oneHourDays', { convert: asDays }),
  none('thanos.compactor.verticalCompaction', 'vertical compaction is off'),
  none('thanos.compactor.deduplication', 'replica deduplication happens at query time'),
  mapped('thanos.compactor.persistence.size', 'components.thanos.compactor.storageSize', { convert: memoryQuantity }),
  ...resources('thanos.compactor.resources', 'components.thanos.compactor.resources'),
  mapped('thanos.storegateway.persistence.size', 'components.thanos.storegateway.storageSize', { convert: memoryQuantity }),
  ...resources('thanos.storegateway.resources', 'components.thanos.storegateway.resources'),
  none('thanos.bucketweb.**', 'the bucket web UI is not deployed'),
  different('thanos.metrics.**', 'Thanos is always monitored by the platform Prometheus', {
    convert: fixedAs(true, 'always monitored', 'it cannot be turned off'),
  }),
  different('thanos.objectStorage.type', "Thanos uses the cluster's object storage (storage.objectStorage)", {
    convert: fixedAs('', 'the common object storage', 'a Swift container of its own has no equivalent: copy the blocks into <bucketPrefix>-thanos'),
  }),

  // ---- probes and exporters ----
  different('prometheusBlackboxExporter.targets.**', 'every platform endpoint is probed; more URLs go to components.prometheusBlackboxExporter.extraTargets'),
  different(
    'prometheusBlackboxExporter.customKubeapiTargets',
    'probe other API servers by adding their URLs to components.prometheusBlackboxExporter.extraTargets',
  ),
  none('prometheusBlackboxExporter.hostAliases', 'no host aliases: probes resolve names through cluster DNS'),
  none('prometheusBlackboxExporter.resources.**', `blackbox exporter: ${CHART_SIZED}`),
  none('s3Exporter.**', 'no S3 bucket exporter'),
  none('wcProbeIngress.**', 'no probe ingress on workload clusters: the management cluster probes the endpoints it serves'),
];

export const monitoring: Area = {
  title: 'Monitoring and alerting: Prometheus, Alertmanager, Grafana, Thanos',
  roots: [
    'prometheus',
    'alerts',
    'grafana',
    'grafanaLabelEnforcer',
    'welcomingDashboard',
    'thanos',
    'prometheusBlackboxExporter',
    'prometheusOperator',
    'prometheusNodeExporter',
    'kubeStateMetrics',
    's3Exporter',
    'wcProbeIngress',
  ],
  rules,
};
