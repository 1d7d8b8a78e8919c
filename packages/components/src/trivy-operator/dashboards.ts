import { CLUSTER, stat, table, type ComponentDashboard } from '../lib/dashboards';

/** Trivy operator: known vulnerabilities of running images and configuration audit findings. */
export const TRIVY_OPERATOR_DASHBOARD: ComponentDashboard = {
  component: 'trivy-operator',
  dashboard: {
    name: 'trivy-operator',
    title: 'Trivy vulnerability scanning',
    description: 'Vulnerabilities of running images and configuration audit findings by severity on every cluster',
    rows: () => [
      {
        title: 'Findings',
        panels: [
          stat(
            'Image vulnerabilities by severity',
            [{ expr: `sum by (cluster, severity) (trivy_image_vulnerabilities{${CLUSTER}})`, legend: '{{cluster}} {{severity}}' }],
            {
              thresholds: { base: 'blue' },
              width: 12,
            },
          ),
          stat(
            'Configuration audit findings by severity',
            [{ expr: `sum by (cluster, severity) (trivy_resource_configaudits{${CLUSTER}})`, legend: '{{cluster}} {{severity}}' }],
            {
              thresholds: { base: 'blue' },
              width: 12,
            },
          ),
          table(
            'Images with critical vulnerabilities',
            [{ expr: `topk(25, sum by (cluster, namespace, image_repository, image_tag) (trivy_image_vulnerabilities{${CLUSTER}, severity="Critical"}) > 0)` }],
            { width: 24 },
          ),
        ],
      },
    ],
  },
};
