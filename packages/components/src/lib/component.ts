import { ConfigErrors, type ClusterConfig, type EnvironmentConfig, type Flavor, type Role } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import type { z } from 'zod';
import type { AnyAlertGroup } from './alerts/rules';
import type { BackupDeclaration } from './backups';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * How `new-environment` fills a secret key. `random` values with the same `shareAs` get the same
 * value everywhere (an OIDC client secret known to both Dex and the client); `htpasswd` hashes the
 * value of another share; `user` must be provided by a person (a webhook URL, an upstream IdP secret).
 */
export type GeneratedValue =
  | { type: 'random'; length?: number; shareAs?: string }
  | { type: 'htpasswd'; user: string; of: string }
  /**
   * Several users in one htpasswd file, one `user:hash` line each (in the order given): for readers
   * of a single key such as Traefik basicAuth and ingress-nginx `auth-file` (one line per workload cluster).
   */
  | { type: 'htpasswd-file'; entries: { user: string; of: string }[] }
  /** A fixed, non-secret value known at render time (a username such as `writer-<cluster>`). */
  | { type: 'literal'; value: string }
  | { type: 'user'; hint: string };

/** A Secret a component reads; users keep it SOPS-encrypted under environments/<env>/secrets/. */
export interface SecretRequirement {
  name: string;
  namespace: string;
  /** Keys that must be present (SOPS leaves key names readable, so validate checks them). */
  keys: string[];
  description: string;
  /** Per key, how the generator creates it; keys without an entry are random 32-character strings. */
  generate?: Record<string, GeneratedValue>;
  /**
   * Set (to the reason) when only a file under secrets/<cluster>/ may provide this Secret: the
   * environment-level file holds values for something else (another provider's object storage).
   */
  clusterScoped?: string;
}

/** What one component renders for one cluster. */
export interface ComponentOutput {
  /** Helm values for the chart (written to values.yaml in the overlay). */
  values?: JsonObject;
  /** Secret-backed Helm values: merged by helm-controller from SOPS Secrets at apply time. */
  secretValues?: { secret: string; key: string; targetPath?: string }[];
  /** Objects applied together with the release (RBAC, NetworkPolicies, ...). */
  objects?: K8sObject[];
  /**
   * Objects that need the chart's CRDs or webhooks (ClusterIssuers, constraints, ...). They get a
   * second Flux Kustomization, `<name>-config`, that depends on the release being ready.
   */
  config?: K8sObject[];
}

/** A settings problem: `path` is relative to `components.<key>`, so the loader can report file and line. */
export interface SettingsProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * A problem only visible while rendering, with the whole catalog at hand (platform namespaces, another
 * component's settings), thrown like the loader's errors: rendering stops and clusters/ stays unchanged.
 */
export function renderConfigError(envName: string, keyPath: string, message: string): ConfigErrors {
  return new ConfigErrors([{ file: `environments/${envName}/config.yaml`, line: 1, column: 1, keyPath, message }]);
}

export interface ComponentSummary {
  name: string;
  namespace: string;
  podSecurity: PodSecurityLevel;
  /** Its volumes have backups of their own (`backups.ownVolumeBackups`): Velero copies only its objects. */
  ownVolumeBackups?: boolean;
}

/** What other components see of an enabled component (`RenderContext.enabledComponents`). */
export function summarize(c: Component): ComponentSummary {
  return { name: c.name, namespace: c.namespace, podSecurity: c.podSecurity, ...(c.backups?.ownVolumeBackups ? { ownVolumeBackups: true } : {}) };
}

export interface RenderContext<S> {
  env: EnvironmentConfig;
  cluster: ClusterConfig;
  /** This component's settings after layering (defaults ◀ flavor ◀ provider ◀ env ◀ cluster). */
  settings: S;
  /** Whether a component is enabled on this cluster: optional wiring must disappear with it. */
  isEnabled(name: string): boolean;
  /** Every component enabled on this cluster (for platform-wide objects such as namespaces). */
  enabledComponents: ComponentSummary[];
  /**
   * Every component enabled on at least one cluster of the environment, with those clusters: what
   * the ops Grafana has a dashboard for. Set by the planner; narrow unit tests may leave it out.
   */
  environmentComponents?: readonly PlacedComponent[];
}

/** A component, the clusters of the environment it is enabled on and the charts it deploys there (keys of charts.yaml). */
export interface PlacedComponent extends ComponentSummary {
  clusters: readonly string[];
  charts: readonly string[];
}

/** The chart key a component deploys with these settings (charts.yaml), if it deploys one. */
export function chartKeyOf(c: Component, settings: { enabled: boolean }): string | undefined {
  return typeof c.chart === 'function' ? c.chart(settings) : c.chart;
}

/**
 * Every component of `catalog` enabled on at least one cluster of the environment, in catalog order,
 * with those clusters and their charts. `settingsOn` gives a component's settings on a cluster.
 */
export function placeComponents(
  env: EnvironmentConfig,
  catalog: readonly Component[],
  settingsOn: (c: Component, cluster: ClusterConfig) => { enabled: boolean } | undefined,
): PlacedComponent[] {
  return catalog.flatMap((c) => {
    const on = env.clusters.flatMap((cl) => {
      const s = c.roles.includes(cl.role) ? settingsOn(c, cl) : undefined;
      return s?.enabled ? [{ cluster: cl.name, chart: chartKeyOf(c, s) }] : [];
    });
    if (on.length === 0) return [];
    const charts = [...new Set(on.flatMap((o) => (o.chart ? [o.chart] : [])))];
    return [{ ...summarize(c), clusters: on.map((o) => o.cluster), charts }];
  });
}

export interface Component<S extends { enabled: boolean } = { enabled: boolean }> {
  name: string;
  description: string;
  roles: readonly Role[];
  /** Namespace the component's workloads run in; created (with PSA labels) by the namespaces component. */
  namespace: string;
  /** Pod Security admission level its namespace enforces. */
  podSecurity: PodSecurityLevel;
  /** Key into charts.yaml (or a choice made from settings); absent for components made only of plain objects. */
  chart?: string | ((settings: S) => string);
  /** Schema of `components.<name>` in the config; every key has a default. */
  settings: z.ZodObject;
  /** Flavor presets for this component's settings. */
  defaults?: Partial<Record<Flavor, Record<string, unknown>>>;
  /** Components whose Kustomizations must be ready first (only those enabled are wired). */
  dependsOn?: readonly string[];
  /**
   * Components whose `<name>-config` Kustomization must be ready first: for objects that need what
   * another component's config creates (Gatekeeper constraints need the CRDs their templates
   * generate). Wired only when that component is enabled and renders config objects.
   */
  dependsOnConfig?: readonly string[];
  /** Creates the platform's namespaces: every other component's Kustomization depends on it. */
  providesNamespaces?: boolean;
  /** Services other parts of the platform wire to when present (e.g. `alertmanager` for Flux notifications). */
  capabilities?: readonly string[];
  /** The state the component keeps and how each piece is backed up (stateful components only). */
  backups?: BackupDeclaration<S>;
  /** API groups whose CRDs this component installs; the graph check uses it. */
  providesApiGroups?: readonly string[];
  /**
   * Ids of the compliance controls the component carries (`ISO 27001 A.12.3.1`), as defined once in
   * @ck8s/compliance's catalog (a test holds every id to it): the report lists the component under them.
   */
  controls?: readonly string[];
  /**
   * The alert groups this component renders (wherever it puts them: PrometheusRule objects, chart rule
   * values, the Thanos ruler). Listed here so the runbooks, the catalog and the promtool unit tests see
   * every alert without rendering an environment.
   */
  alerts?: readonly AnyAlertGroup[];
  secrets?(ctx: RenderContext<S>): SecretRequirement[];
  /**
   * Semantic rules on this component's settings (prod invariants: backups on, retention ≥ minimum,
   * enforcement on). Paths are relative to `components.<key>`; the loader reports file and line.
   */
  checkSettings?(settings: S, env: EnvironmentConfig, cluster: ClusterConfig): SettingsProblem[];
  render(ctx: RenderContext<S>): ComponentOutput;
}

/** Keeps each component's settings type tied to its schema. */
export function defineComponent<T extends z.ZodObject>(c: Omit<Component<z.output<T> & { enabled: boolean }>, 'settings'> & { settings: T }): Component {
  return c as unknown as Component;
}
