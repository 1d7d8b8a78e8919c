import type { DashboardRow } from './model';
import { CLUSTER, NONZERO_IS_BAD, stat, timeseries } from './panels';

/**
 * The first row of every component dashboard: its pods on each cluster (not ready, restarts, CPU,
 * memory), from kube-state-metrics and cAdvisor, which every cluster's Prometheus scrapes.
 */
export function podsRow(namespace: string, pods?: string): DashboardRow {
  const sel = `${CLUSTER}, namespace="${namespace}"${pods ? `, pod=~"${pods}"` : ''}`;
  return {
    title: `Pods in ${namespace}`,
    panels: [
      stat('Pods not ready', [{ expr: `sum by (cluster) (kube_pod_status_ready{${sel}, condition="false"})`, legend: '{{cluster}}' }], {
        thresholds: NONZERO_IS_BAD,
        description: 'Pods whose Ready condition is false, per cluster',
      }),
      stat('Pods running', [{ expr: `sum by (cluster) (kube_pod_status_phase{${sel}, phase="Running"})`, legend: '{{cluster}}' }], {
        thresholds: { base: 'blue' },
      }),
      stat('Container restarts (1h)', [{ expr: `sum by (cluster) (increase(kube_pod_container_status_restarts_total{${sel}}[1h]))`, legend: '{{cluster}}' }], {
        thresholds: {
          base: 'green',
          steps: [
            { value: 1, color: 'orange' },
            { value: 5, color: 'red' },
          ],
        },
        width: 12,
      }),
      timeseries(
        'CPU (cores)',
        [{ expr: `sum by (cluster, pod) (rate(container_cpu_usage_seconds_total{${sel}, container!=""}[$__rate_interval]))`, legend: '{{cluster}} {{pod}}' }],
        {
          unit: 'short',
        },
      ),
      timeseries(
        'Memory (working set)',
        [{ expr: `sum by (cluster, pod) (container_memory_working_set_bytes{${sel}, container!=""})`, legend: '{{cluster}} {{pod}}' }],
        {
          unit: 'bytes',
        },
      ),
    ],
  };
}

/**
 * The blackbox exporter's view of a public endpoint (when it runs): reachable or not, how fast, and
 * how long its certificate is valid. Probes carry the probed URL as `instance`.
 */
export function endpointRow(host: string): DashboardRow {
  const sel = `${CLUSTER}, instance=~"https://${host.replace(/\./g, '\\\\.')}/.*"`;
  return {
    title: `Endpoint ${host}`,
    panels: [
      stat('Probe succeeding', [{ expr: `min by (cluster, instance) (probe_success{${sel}})`, legend: '{{cluster}} {{instance}}' }], {
        thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] },
        width: 8,
      }),
      stat('Certificate valid for', [{ expr: `min by (instance) (probe_ssl_earliest_cert_expiry{${sel}}) - time()`, legend: '{{instance}}' }], {
        unit: 's',
        thresholds: {
          base: 'red',
          steps: [
            { value: 7 * 86400, color: 'orange' },
            { value: 21 * 86400, color: 'green' },
          ],
        },
        width: 8,
      }),
      stat('Probe duration', [{ expr: `max by (instance) (probe_duration_seconds{${sel}})`, legend: '{{instance}}' }], { unit: 's', width: 8 }),
    ],
  };
}
