import { endpointRow, type ComponentDashboard } from '../lib/dashboards';
import { endpoints } from '../lib/hosts';

/** OpenSearch Dashboards: its pods and, through the blackbox exporter, its public endpoint. */
export const OPENSEARCH_DASHBOARDS_DASHBOARD: ComponentDashboard = {
  component: 'opensearch-dashboards',
  pods: 'opensearch-dashboards-.*',
  dashboard: {
    name: 'opensearch-dashboards',
    title: 'OpenSearch Dashboards',
    description: 'Pods and public endpoint of OpenSearch Dashboards, where application developers read their logs',
    rows: (scope) => (scope.isEnabled('prometheus-blackbox-exporter') ? [endpointRow(endpoints(scope.env).opensearchDashboards)] : []),
  },
};
