import type { EnvironmentConfig } from '@ck8s/config';
import type { PanelBuilder } from './panels';

/** The two Grafana instances of the management cluster: operators' (kube-prometheus-stack) and application developers'. */
export type GrafanaInstance = 'ops' | 'user';

/** A Prometheus-compatible datasource a Grafana provisions, as its dashboards refer to it. */
export interface MetricsDatasource {
  uid: string;
  name: string;
}

/**
 * The metrics datasources of one Grafana, first the default. Dashboards never name a datasource
 * directly: a `datasource` variable offers exactly these, so one dashboard serves one Thanos over every
 * cluster as well as one datasource per tenant.
 */
export type MetricsDatasources = readonly [MetricsDatasource, ...MetricsDatasource[]];

/** Where a component runs, as the ops Grafana needs it for that component's dashboard. */
export interface DashboardComponent {
  name: string;
  namespace: string;
  /** Clusters of the environment it is enabled on. */
  clusters: readonly string[];
  /** Charts it deploys (keys of charts.yaml). */
  charts: readonly string[];
}

/** What a dashboard is built from: the environment, and (ops Grafana) the components it shows. */
export interface DashboardScope {
  env: EnvironmentConfig;
  /** Components enabled on at least one cluster of the environment. */
  components: readonly DashboardComponent[];
  /** The component the dashboard belongs to (component dashboards only). */
  component?: DashboardComponent;
  isEnabled(component: string): boolean;
}

/** A titled row of panels; panels flow left to right and wrap at the grid's 24 columns. */
export interface DashboardRow {
  title: string;
  panels: PanelBuilder[];
}

/** How a dashboard filters: which template variables it gets besides `datasource`. */
export interface DashboardVariables {
  /** A multi-value `cluster` variable over the `cluster` label (every Prometheus sets it as an external label). */
  cluster?: boolean;
  /** A `namespace` variable (one namespace at a time) over the selected clusters. */
  namespace?: boolean;
}

/** One dashboard as code. `name` is stable: the uid and the ConfigMap name derive from it. */
export interface DashboardDefinition {
  name: string;
  title: string;
  description: string;
  tags: readonly string[];
  variables: DashboardVariables;
  rows(scope: DashboardScope): DashboardRow[];
}

/**
 * A component's dashboard in the ops Grafana. Its first row shows the component's pods (readiness,
 * restarts, CPU, memory) in its namespace, narrowed to `pods` where the namespace is shared.
 */
export interface ComponentDashboard {
  component: string;
  /** Pod name regex within the namespace; default every pod of it. */
  pods?: string;
  dashboard: Omit<DashboardDefinition, 'variables' | 'tags'> & { tags?: readonly string[] };
}
