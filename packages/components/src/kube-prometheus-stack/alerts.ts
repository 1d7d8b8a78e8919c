import { defineAlertGroup } from '../lib/alerts/rules';

const HOUR = 3600;
/** Filesystems that hold data (not the kernel's virtual ones, not container image layers). */
const DATA_FS = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs",mountpoint!~"/run.*|/var/lib/kubelet/pods/.*"';

/**
 * Capacity of the cluster: volumes and node disks that will be full within a day at their current
 * rate, and nodes under memory or disk pressure. Evaluated by each cluster's Prometheus (kubelet,
 * node exporter and kube-state-metrics come with kube-prometheus-stack).
 */
export const CAPACITY_ALERTS = defineAlertGroup<{ fullWithinHours: number }>({
  name: 'capacity',
  title: 'Capacity (volumes, node disks, memory)',
  example: { fullWithinHours: 24 },
  alerts: [
    {
      alert: 'VolumePredictedFull',
      severity: 'warning',
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is predicted to fill up',
      description:
        'The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than half full and, at the rate ' +
        'of the last 6 hours, runs out of space within the predicted horizon.',
      expr: (p) =>
        'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.5 ' +
        `and predict_linear(kubelet_volume_stats_available_bytes[6h], ${p.fullWithinHours * HOUR}) < 0`,
      for: '1h',
      tests: {
        fires: {
          series: [
            { series: 'kubelet_volume_stats_capacity_bytes{namespace="opensearch",persistentvolumeclaim="data-0"}', values: '1000x480' },
            { series: 'kubelet_volume_stats_available_bytes{namespace="opensearch",persistentvolumeclaim="data-0"}', values: '1000-1.5x480' },
          ],
          at: '450m',
          labels: { namespace: 'opensearch', persistentvolumeclaim: 'data-0' },
        },
        // As full, but steady: no alert for a volume that is simply well used.
        silent: {
          series: [
            { series: 'kubelet_volume_stats_capacity_bytes{namespace="opensearch",persistentvolumeclaim="data-0"}', values: '1000x480' },
            { series: 'kubelet_volume_stats_available_bytes{namespace="opensearch",persistentvolumeclaim="data-0"}', values: '300x480' },
          ],
          at: '450m',
        },
      },
    },
    {
      alert: 'NodeDiskPredictedFull',
      severity: 'warning',
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is predicted to fill up',
      description:
        'The filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) of node {{ $labels.instance }} is more than half full and, ' +
        'at the rate of the last 6 hours, runs out of space within the predicted horizon.',
      expr: (p) =>
        `node_filesystem_avail_bytes{${DATA_FS}} / node_filesystem_size_bytes{${DATA_FS}} < 0.5 ` +
        `and predict_linear(node_filesystem_avail_bytes{${DATA_FS}}[6h], ${p.fullWithinHours * HOUR}) < 0 and node_filesystem_readonly{${DATA_FS}} == 0`,
      for: '1h',
      tests: {
        fires: {
          series: [
            { series: 'node_filesystem_size_bytes{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '1000x480' },
            { series: 'node_filesystem_avail_bytes{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '1000-1.5x480' },
            { series: 'node_filesystem_readonly{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '0x480' },
          ],
          at: '450m',
          labels: { instance: 'node-1', mountpoint: '/', device: '/dev/sda1', fstype: 'ext4' },
        },
        silent: {
          series: [
            { series: 'node_filesystem_size_bytes{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '1000x480' },
            { series: 'node_filesystem_avail_bytes{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '1000-0.1x480' },
            { series: 'node_filesystem_readonly{instance="node-1",mountpoint="/",device="/dev/sda1",fstype="ext4"}', values: '0x480' },
          ],
          at: '450m',
        },
      },
    },
    {
      alert: 'NodeMemoryPressure',
      severity: 'warning',
      summary: 'Node {{ $labels.node }} is under memory pressure',
      description: 'The kubelet of {{ $labels.node }} has reported MemoryPressure for 5 minutes: it evicts pods and admits no new BestEffort pods.',
      expr: () => 'max by (node) (kube_node_status_condition{condition="MemoryPressure",status="true"}) == 1',
      for: '5m',
      tests: {
        fires: {
          series: [{ series: 'kube_node_status_condition{node="node-1",condition="MemoryPressure",status="true"}', values: '0 1x20' }],
          at: '15m',
          labels: { node: 'node-1' },
        },
        silent: { series: [{ series: 'kube_node_status_condition{node="node-1",condition="MemoryPressure",status="true"}', values: '0x20' }], at: '15m' },
      },
    },
    {
      alert: 'NodeDiskPressure',
      severity: 'warning',
      summary: 'Node {{ $labels.node }} is under disk pressure',
      description: 'The kubelet of {{ $labels.node }} has reported DiskPressure for 5 minutes: it garbage-collects images and evicts pods.',
      expr: () => 'max by (node) (kube_node_status_condition{condition="DiskPressure",status="true"}) == 1',
      for: '5m',
      tests: {
        fires: {
          series: [{ series: 'kube_node_status_condition{node="node-1",condition="DiskPressure",status="true"}', values: '0 1x20' }],
          at: '15m',
          labels: { node: 'node-1' },
        },
        silent: { series: [{ series: 'kube_node_status_condition{node="node-1",condition="DiskPressure",status="true"}', values: '0x20' }], at: '15m' },
      },
    },
  ],
});

const fluxInfo = (labels: string, values: string) => ({
  series: `gotk_resource_info{customresource_kind="HelmRelease",exported_namespace="harbor",name="harbor",${labels}}`,
  values,
});
const HARBOR_RELEASE = { customresource_kind: 'HelmRelease', exported_namespace: 'harbor', name: 'harbor' };

/**
 * Flux on this cluster, from the `gotk_resource_info` series kube-state-metrics derives from Flux's
 * objects (see flux-metrics.ts). Drift corrections are not a metric: helm-controller reports them as
 * events, which Flux's notification Alert forwards to Alertmanager.
 */
export const FLUX_ALERTS = defineAlertGroup<{ notReadyMinutes: number; suspendedHours: number }>({
  name: 'flux',
  title: 'Flux reconciliation',
  example: { notReadyMinutes: 15, suspendedHours: 24 },
  alerts: [
    {
      alert: 'FluxResourceNotReady',
      severity: 'warning',
      summary: '{{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} is not ready',
      description:
        'The Flux {{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has not ' +
        'been Ready for kubePrometheusStack.fluxAlerts.notReadyMinutes minutes: the cluster does not run what ' +
        'the repository renders for it.',
      expr: () => 'max by (customresource_kind, exported_namespace, name) (gotk_resource_info{ready!="True",suspended!="true"}) == 1',
      for: (p) => `${p.notReadyMinutes}m`,
      tests: {
        fires: {
          series: [fluxInfo('ready="True",suspended="false"', '1x5 _x40'), fluxInfo('ready="False",suspended="false"', '_x5 1x40')],
          at: '30m',
          labels: HARBOR_RELEASE,
        },
        // Not ready for a few minutes while it upgrades, then ready again.
        silent: {
          series: [fluxInfo('ready="True",suspended="false"', '1x5 _x5 1x30'), fluxInfo('ready="Unknown",suspended="false"', '_x5 1x5 _x30')],
          at: '30m',
        },
      },
    },
    {
      alert: 'FluxResourceSuspended',
      severity: 'warning',
      summary: '{{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has been suspended for long',
      description:
        'The Flux {{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has been ' +
        'suspended for kubePrometheusStack.fluxAlerts.suspendedHours hours: changes to it are not applied and ' +
        'drift is not corrected.',
      expr: () => 'max by (customresource_kind, exported_namespace, name) (gotk_resource_info{suspended="true"}) == 1',
      for: (p) => `${p.suspendedHours}h`,
      tests: {
        fires: { series: [fluxInfo('ready="True",suspended="true"', '1x1600')], at: '25h', labels: HARBOR_RELEASE },
        silent: { series: [fluxInfo('ready="True",suspended="true"', '1x600'), fluxInfo('ready="True",suspended="false"', '_x600 1x1000')], at: '25h' },
      },
    },
  ],
});
