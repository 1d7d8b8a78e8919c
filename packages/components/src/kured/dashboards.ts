import { CLUSTER, stat, table, type ComponentDashboard } from '../lib/dashboards';

/** kured: which nodes wait for a reboot after updates. */
export const KURED_DASHBOARD: ComponentDashboard = {
  component: 'kured',
  dashboard: {
    name: 'kured',
    title: 'kured node reboots',
    description: 'Nodes that need a reboot to finish installing updates, on every cluster',
    rows: () => [
      {
        title: 'Reboots',
        panels: [
          stat('Nodes needing a reboot', [{ expr: `sum by (cluster) (kured_reboot_required{${CLUSTER}})`, legend: '{{cluster}}' }], {
            thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }] },
            width: 8,
          }),
          table('Nodes waiting', [{ expr: `max by (cluster, node) (kured_reboot_required{${CLUSTER}}) > 0` }], { width: 16 }),
        ],
      },
    ],
  },
};
