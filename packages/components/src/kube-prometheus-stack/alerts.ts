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
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within a day',
      description: 'The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than half full and, at the rate of the last 6 hours, runs out of space within the predicted horizon.',
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
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will be full within a day',
      description: 'The filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) of node {{ $labels.instance }} is more than half full and, at the rate of the last 6 hours, runs out of space within the predicted horizon.',
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
        fires: { series: [{ series: 'kube_node_status_condition{node="node-1",condition="MemoryPressure",status="true"}', values: '0 1x20' }], at: '15m', labels: { node: 'node-1' } },
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
        fires: { series: [{ series: 'kube_node_status_condition{node="node-1",condition="DiskPressure",status="true"}', values: '0 1x20' }], at: '15m', labels: { node: 'node-1' } },
        silent: { series: [{ series: 'kube_node_status_condition{node="node-1",condition="DiskPressure",status="true"}', values: '0x20' }], at: '15m' },
      },
    },
  ],
});
