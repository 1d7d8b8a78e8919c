import { promRegexLiteral } from '../lib/alerts/promql';
import { defineAlertGroup } from '../lib/alerts/rules';

/** What trivy-operator reports about the platform's own workloads (users' namespaces are the users' concern). */
export const TRIVY_ALERTS = defineAlertGroup<{ platformNamespaces: string[] }>({
  name: 'trivy',
  title: 'Vulnerabilities in platform workloads (Trivy)',
  example: { platformNamespaces: ['monitoring', 'opensearch'] },
  alerts: [
    {
      alert: 'CriticalVulnerabilityInPlatform',
      severity: 'warning',
      summary: 'Critical vulnerabilities in {{ $labels.namespace }}/{{ $labels.resource_name }}',
      description:
        'trivy-operator found critical vulnerabilities in the images of {{ $labels.resource_kind }} {{ $labels.namespace }}/{{ $labels.resource_name ' +
        '}}, a platform workload: update the component or its image.',
      expr: (p) => {
        const namespaces = p.platformNamespaces.map(promRegexLiteral).join('|');
        return `sum by (namespace, resource_kind, resource_name) (trivy_image_vulnerabilities{severity="Critical",namespace=~"${namespaces}"}) > 0`;
      },
      for: '1h',
      tests: {
        fires: {
          series: [
            {
              series: 'trivy_image_vulnerabilities{namespace="monitoring",resource_kind="Deployment",resource_name="grafana",severity="Critical"}',
              values: '2x90',
            },
          ],
          at: '80m',
          labels: { namespace: 'monitoring', resource_kind: 'Deployment', resource_name: 'grafana' },
        },
        // Critical findings in a user's namespace, and high ones in the platform's, are not this alert's business.
        silent: {
          series: [
            { series: 'trivy_image_vulnerabilities{namespace="shop",resource_kind="Deployment",resource_name="web",severity="Critical"}', values: '2x90' },
            {
              series: 'trivy_image_vulnerabilities{namespace="monitoring",resource_kind="Deployment",resource_name="grafana",severity="High"}',
              values: '5x90',
            },
            {
              series: 'trivy_image_vulnerabilities{namespace="monitoring",resource_kind="Deployment",resource_name="grafana",severity="Critical"}',
              values: '0x90',
            },
          ],
          at: '80m',
        },
      },
    },
  ],
});
