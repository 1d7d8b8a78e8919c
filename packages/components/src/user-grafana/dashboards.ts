import { chartPin } from '../lib/charts';
import {
  CLUSTER,
  endpointRow,
  RATE,
  SHARE_NEAR_FULL,
  stat,
  table,
  text,
  timeseries,
  type ComponentDashboard,
  type DashboardDefinition,
  type DashboardScope,
} from '../lib/dashboards';
import { ENDPOINT_INFO, endpoints, type Endpoints } from '../lib/hosts';
import { LOG_STREAMS, logIndex, workloadClusters, type LogStream } from '../lib/wiring';

/** The user Grafana as operators see it: requests, users, its public endpoint. */
export const USER_GRAFANA_DASHBOARD: ComponentDashboard = {
  component: 'user-grafana',
  pods: 'grafana-.*',
  dashboard: {
    name: 'user-grafana',
    title: 'Grafana for application developers',
    description: "Requests, active users and the public endpoint of the application developers' Grafana",
    rows: (scope) => {
      const sel = `${CLUSTER}, namespace="${scope.component?.namespace ?? 'grafana'}"`;
      return [
        {
          title: 'Usage',
          panels: [
            timeseries(
              'Requests by status code',
              [{ expr: `sum by (status_code) (rate(grafana_http_request_duration_seconds_count{${sel}}[${RATE}]))`, legend: '{{status_code}}' }],
              { unit: 'reqps' },
            ),
            stat('Active users', [{ expr: `max(grafana_stat_active_users{${sel}})` }], { thresholds: { base: 'blue' } }),
            stat('Dashboards', [{ expr: `max(grafana_stat_totals_dashboard{${sel}})` }], { thresholds: { base: 'blue' } }),
          ],
        },
        ...(scope.isEnabled('prometheus-blackbox-exporter') ? [endpointRow(endpoints(scope.env).grafana)] : []),
      ];
    },
  },
};

/** What each log stream holds, for the welcome page. */
const STREAM_MEANING: Record<LogStream, string> = {
  kubernetes: "your containers' output (stdout and stderr)",
  kubeaudit: 'the Kubernetes API audit log: who changed what',
  authlog: 'logins to the nodes',
};

/** Markdown of the welcome page: where things are, what runs in which version, where the logs are. */
function welcomeText(scope: DashboardScope): string {
  const e = endpoints(scope.env);
  const userFacing = (Object.keys(ENDPOINT_INFO) as (keyof Endpoints)[]).filter(
    (k) => ENDPOINT_INFO[k].audience === 'application developers' && scope.isEnabled(ENDPOINT_INFO[k].component),
  );
  const clusters = workloadClusters(scope.env).map((c) => c.name);
  const versions = scope.components.flatMap((c) => c.charts.map((chart) => `| ${c.name} | ${chart} | ${chartPin(chart).version} |`));
  return [
    `## Welcome to ${scope.env.name}`,
    '',
    `This Grafana shows the metrics of your workload clusters (${clusters.map((c) => `\`${c}\``).join(', ')}). ` +
      "The **Datasource** selector at the top picks the cluster: each datasource is one cluster's metrics in Thanos. " +
      "The dashboards in the *Compliant Kubernetes* folder show a namespace's resources and workloads; dashboards of your own go in other folders.",
    '',
    '### Services',
    '',
    '| Service | Address |',
    '| --- | --- |',
    ...userFacing.map((k) => `| ${ENDPOINT_INFO[k].title} | [https://${e[k]}](https://${e[k]}) |`),
    '',
    '### Where to find logs',
    '',
    scope.isEnabled('opensearch-dashboards')
      ? `Sign in to OpenSearch Dashboards at [https://${e.opensearchDashboards}](https://${e.opensearchDashboards}) and open the indices of your cluster:`
      : 'Logs are shipped to OpenSearch, in indices per cluster and kind:',
    '',
    ...LOG_STREAMS.map((s) => `- \`${clusters.map((c) => `${logIndex(s, c)}*`).join('`, `')}\`: ${STREAM_MEANING[s]}`),
    '',
    '### Versions',
    '',
    '| Component | Chart | Version |',
    '| --- | --- | --- |',
    ...versions,
  ].join('\n');
}

/** The application developers' landing page: services, logs, versions, and the cluster at a glance. */
export const WELCOME_DASHBOARD: DashboardDefinition = {
  name: 'welcome',
  title: 'Welcome',
  description: 'Where the services are, where to find logs, which versions run, and the selected cluster at a glance',
  tags: ['compliant-kubernetes', 'welcome'],
  variables: { cluster: true },
  rows: (scope) => [
    { title: 'Start here', panels: [text('Welcome', welcomeText(scope), { height: 22 })] },
    {
      title: 'The cluster',
      panels: [
        table('Nodes by Kubernetes version', [{ expr: `count by (cluster, kubelet_version) (kube_node_info{${CLUSTER}})` }], { width: 12 }),
        stat('Namespaces', [{ expr: `count by (cluster) (kube_namespace_status_phase{${CLUSTER}, phase="Active"} == 1)`, legend: '{{cluster}}' }], {
          thresholds: { base: 'blue' },
        }),
        stat('Pods running', [{ expr: `sum by (cluster) (kube_pod_status_phase{${CLUSTER}, phase="Running"})`, legend: '{{cluster}}' }], {
          thresholds: { base: 'blue' },
        }),
      ],
    },
  ],
};

const NS = `${CLUSTER}, namespace="$namespace"`;
const CONTAINERS = `${NS}, container!=""`;
const quota = (resource: string, type: 'used' | 'hard') => `max(kube_resourcequota{${NS}, resource="${resource}", type="${type}"})`;
const containerRate = (counter: string) => `sum(rate(${counter}{${CONTAINERS}}[${RATE}]))`;

/** One namespace's compute, memory, network and storage: use against requests, limits and quota. */
export const NAMESPACE_RESOURCES_DASHBOARD: DashboardDefinition = {
  name: 'namespace-resources',
  title: 'Namespace resources',
  description: "A namespace's CPU, memory, network and volume use per pod, against its requests, limits and quota",
  tags: ['compliant-kubernetes', 'namespace'],
  variables: { cluster: true, namespace: true },
  rows: () => [
    {
      title: 'CPU',
      panels: [
        stat(
          'CPU used of requests',
          [{ expr: `sum(rate(container_cpu_usage_seconds_total{${CONTAINERS}}[${RATE}])) / sum(kube_pod_container_resource_requests{${NS}, resource="cpu"})` }],
          { unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.9, color: 'orange' }] } },
        ),
        stat(
          'CPU requested of quota',
          [
            {
              expr: `${quota('requests.cpu', 'used')} / ${quota('requests.cpu', 'hard')}`,
            },
          ],
          {
            unit: 'percentunit',
            thresholds: SHARE_NEAR_FULL,
          },
        ),
        stat(
          'CPU throttled',
          [
            {
              expr: `${containerRate('container_cpu_cfs_throttled_periods_total')} / ${containerRate('container_cpu_cfs_periods_total')}`,
            },
          ],
          { unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.25, color: 'orange' }] }, width: 12 },
        ),
        timeseries(
          'CPU per pod (cores)',
          [
            { expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[${RATE}]))`, legend: '{{pod}}' },
            { expr: `sum(kube_pod_container_resource_requests{${NS}, resource="cpu"})`, legend: 'requests (namespace)' },
          ],
          { unit: 'short', width: 24 },
        ),
      ],
    },
    {
      title: 'Memory',
      panels: [
        stat(
          'Memory used of requests',
          [{ expr: `sum(container_memory_working_set_bytes{${CONTAINERS}}) / sum(kube_pod_container_resource_requests{${NS}, resource="memory"})` }],
          { unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.9, color: 'orange' }] } },
        ),
        stat(
          'Memory used of limits',
          [{ expr: `sum(container_memory_working_set_bytes{${CONTAINERS}}) / sum(kube_pod_container_resource_limits{${NS}, resource="memory"})` }],
          {
            unit: 'percentunit',
            thresholds: SHARE_NEAR_FULL,
          },
        ),
        stat(
          'Memory requested of quota',
          [
            {
              expr: `${quota('requests.memory', 'used')} / ${quota('requests.memory', 'hard')}`,
            },
          ],
          {
            unit: 'percentunit',
            thresholds: SHARE_NEAR_FULL,
            width: 12,
          },
        ),
        timeseries(
          'Memory per pod (working set)',
          [
            { expr: `sum by (pod) (container_memory_working_set_bytes{${CONTAINERS}})`, legend: '{{pod}}' },
            { expr: `sum(kube_pod_container_resource_requests{${NS}, resource="memory"})`, legend: 'requests (namespace)' },
          ],
          { unit: 'bytes', width: 24 },
        ),
      ],
    },
    {
      title: 'Network and storage',
      panels: [
        timeseries('Network received per pod', [{ expr: `sum by (pod) (rate(container_network_receive_bytes_total{${NS}}[${RATE}]))`, legend: '{{pod}}' }], {
          unit: 'Bps',
        }),
        timeseries('Network sent per pod', [{ expr: `sum by (pod) (rate(container_network_transmit_bytes_total{${NS}}[${RATE}]))`, legend: '{{pod}}' }], {
          unit: 'Bps',
        }),
        timeseries(
          'Volume space used per claim',
          [
            {
              expr: `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${NS}} / kubelet_volume_stats_capacity_bytes{${NS}})`,
              legend: '{{persistentvolumeclaim}}',
            },
          ],
          { unit: 'percentunit', min: 0, max: 1, width: 24 },
        ),
      ],
    },
  ],
};

/** One namespace's workloads: pods by phase, readiness, restarts, out-of-memory kills, rollouts, jobs. */
export const NAMESPACE_WORKLOADS_DASHBOARD: DashboardDefinition = {
  name: 'namespace-workloads',
  title: 'Namespace workloads',
  description: "A namespace's pods, restarts, out-of-memory kills, Deployments and StatefulSets, and failed Jobs",
  tags: ['compliant-kubernetes', 'namespace'],
  variables: { cluster: true, namespace: true },
  rows: () => [
    {
      title: 'Pods',
      panels: [
        stat('Pods by phase', [{ expr: `sum by (phase) (kube_pod_status_phase{${NS}})`, legend: '{{phase}}' }], { thresholds: { base: 'blue' }, width: 12 }),
        stat('Pods not ready', [{ expr: `sum(kube_pod_status_ready{${NS}, condition="false"})` }], {
          thresholds: { base: 'green', steps: [{ value: 1, color: 'red' }] },
        }),
        stat('Restarts (1h)', [{ expr: `sum(increase(kube_pod_container_status_restarts_total{${NS}}[1h]))` }], {
          thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
        }),
        table('Containers restarting (24h)', [
          { expr: `topk(20, sum by (pod, container) (increase(kube_pod_container_status_restarts_total{${NS}}[24h])) > 0)` },
        ]),
        table('Containers last killed for running out of memory', [
          { expr: `max by (pod, container) (kube_pod_container_status_last_terminated_reason{${NS}, reason="OOMKilled"}) > 0` },
        ]),
      ],
    },
    {
      title: 'Deployments, StatefulSets and Jobs',
      panels: [
        table(
          'Deployments not fully available',
          [{ expr: `max by (deployment) (kube_deployment_spec_replicas{${NS}}) - max by (deployment) (kube_deployment_status_replicas_available{${NS}}) > 0` }],
          { width: 8 },
        ),
        table(
          'StatefulSets not fully ready',
          [{ expr: `max by (statefulset) (kube_statefulset_replicas{${NS}}) - max by (statefulset) (kube_statefulset_status_replicas_ready{${NS}}) > 0` }],
          { width: 8 },
        ),
        table('Failed Jobs', [{ expr: `max by (job_name) (kube_job_status_failed{${NS}}) > 0` }], { width: 8 }),
      ],
    },
  ],
};

/** The user Grafana's dashboards, in folder order. */
export const USER_DASHBOARDS: readonly DashboardDefinition[] = [WELCOME_DASHBOARD, NAMESPACE_RESOURCES_DASHBOARD, NAMESPACE_WORKLOADS_DASHBOARD];
