import { CAPSULE_DASHBOARD } from '../capsule/dashboards';
import { CERT_MANAGER_DASHBOARD } from '../cert-manager/dashboards';
import { DEX_DASHBOARD } from '../dex/dashboards';
import { EXTERNAL_DNS_DASHBOARD } from '../external-dns/dashboards';
import { FALCO_DASHBOARD } from '../falco/dashboards';
import { FLUENT_BIT_DASHBOARD } from '../fluent-bit/dashboards';
import { GATEKEEPER_DASHBOARD } from '../gatekeeper/dashboards';
import { HARBOR_DASHBOARD } from '../harbor/dashboards';
import { INGRESS_DASHBOARD } from '../ingress/dashboards';
import { MONITORING_DASHBOARD } from '../kube-prometheus-stack/dashboards';
import { KURED_DASHBOARD } from '../kured/dashboards';
import type { ComponentDashboard } from '../lib/dashboards';
import { METRICS_SERVER_DASHBOARD } from '../metrics-server/dashboards';
import { NODE_LOCAL_DNS_DASHBOARD } from '../node-local-dns/dashboards';
import { OPENSEARCH_DASHBOARD, OPENSEARCH_EXPORTER_DASHBOARD } from '../opensearch/dashboards';
import { OPENSEARCH_DASHBOARDS_DASHBOARD } from '../opensearch-dashboards/dashboards';
import { BLACKBOX_EXPORTER_DASHBOARD } from '../prometheus-blackbox-exporter/dashboards';
import { RCLONE_SYNC_DASHBOARD } from '../rclone-sync/dashboards';
import { THANOS_DASHBOARD } from '../thanos/dashboards';
import { TRIVY_OPERATOR_DASHBOARD } from '../trivy-operator/dashboards';
import { USER_GRAFANA_DASHBOARD } from '../user-grafana/dashboards';
import { VELERO_DASHBOARD } from '../velero/dashboards';

/**
 * One ops Grafana dashboard per platform component that runs workloads, defined next to the
 * component (its `dashboards.ts`). Listed here, not on the components, so the ops Grafana
 * (kube-prometheus-stack) can show every component's dashboard without importing the catalog.
 */
export const COMPONENT_DASHBOARDS: readonly ComponentDashboard[] = [
  CERT_MANAGER_DASHBOARD,
  INGRESS_DASHBOARD,
  METRICS_SERVER_DASHBOARD,
  MONITORING_DASHBOARD,
  FLUENT_BIT_DASHBOARD,
  FALCO_DASHBOARD,
  GATEKEEPER_DASHBOARD,
  VELERO_DASHBOARD,
  TRIVY_OPERATOR_DASHBOARD,
  DEX_DASHBOARD,
  THANOS_DASHBOARD,
  USER_GRAFANA_DASHBOARD,
  OPENSEARCH_DASHBOARD,
  OPENSEARCH_DASHBOARDS_DASHBOARD,
  OPENSEARCH_EXPORTER_DASHBOARD,
  HARBOR_DASHBOARD,
  BLACKBOX_EXPORTER_DASHBOARD,
  RCLONE_SYNC_DASHBOARD,
  NODE_LOCAL_DNS_DASHBOARD,
  EXTERNAL_DNS_DASHBOARD,
  KURED_DASHBOARD,
  CAPSULE_DASHBOARD,
];

/**
 * Components without a dashboard, and why: they run no workload of their own (only objects applied
 * by Flux), so there is nothing to measure beyond what the Flux panels of the overview show.
 */
export const WITHOUT_DASHBOARD: Readonly<Record<string, string>> = {
  namespaces: 'namespaces, their labels and default NetworkPolicies: objects only',
  'gatekeeper-constraints': 'constraints: objects only; their violations are on the Gatekeeper dashboard',
  'cluster-admin-rbac': 'RBAC objects only',
  'user-rbac': 'RBAC objects only',
};
