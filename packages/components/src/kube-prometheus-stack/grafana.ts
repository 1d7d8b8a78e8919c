import type { EnvironmentConfig } from '@ck8s/config';
import type { JsonObject } from '@ck8s/manifest';
import { dashboardSidecarValues, type MetricsDatasource, type MetricsDatasources } from '../lib/dashboards';
import { endpoints } from '../lib/hosts';
import { resources } from '../lib/objects';
import { MONITORING_NAMESPACE } from '../lib/platform-namespaces';
import type { Settings } from './settings';

export const GRAFANA_ADMIN_SECRET = 'grafana-admin';
export const GRAFANA_OIDC_SECRET = 'grafana-oidc';
/** The ops Grafana's static client in Dex; the Dex component registers the same id and secret share. */
export const OPS_GRAFANA_OIDC_CLIENT = { id: 'ops-grafana', share: 'oidc-client-ops-grafana' } as const;

function roleAttributePath(s: Settings['grafana']): string {
  const any = (groups: string[]) => groups.map((g) => `contains(groups[*], '${g.replace(/'/g, "\\'")}')`).join(' || ');
  const parts = [
    ...(s.adminGroups.length ? [`(${any(s.adminGroups)}) && 'Admin'`] : []),
    ...(s.editorGroups.length ? [`(${any(s.editorGroups)}) && 'Editor'`] : []),
    `'Viewer'`,
  ];
  return parts.join(' || ');
}

/**
 * The ops Grafana (kube-prometheus-stack's Grafana subchart) on the management cluster: platform
 * administrators sign in through Dex when it is enabled; the local admin account's password comes
 * from a Secret, never from values.
 */
/**
 * Thanos as the ops Grafana sees it: one datasource over every cluster, or, when Thanos enforces
 * tenancy (a query without a tenant header sees nothing), one datasource per tenant.
 */
export type OpsThanos = { url: string; tenants?: undefined } | { url?: undefined; tenants: JsonObject[] };

/** The chart's own datasource: the management cluster's Prometheus (named here so dashboards can rely on it). */
const LOCAL_PROMETHEUS: MetricsDatasource = { uid: 'prometheus', name: 'Prometheus' };

function thanosDatasources(thanos?: OpsThanos): JsonObject[] {
  if (thanos?.url)
    return [{ name: 'Thanos', uid: 'thanos', type: 'prometheus', access: 'proxy', url: thanos.url, isDefault: false, jsonData: { timeInterval: '30s' } }];
  return thanos?.tenants ?? [];
}

/**
 * The metrics datasources the ops Grafana provisions, Thanos first: it holds every cluster's series
 * with their `cluster` label, while the local Prometheus only has the management cluster's.
 */
export function opsMetricsDatasources(thanos?: OpsThanos): MetricsDatasources {
  const [first, ...rest] = [...thanosDatasources(thanos).map((d) => ({ uid: String(d.uid), name: String(d.name) })), LOCAL_PROMETHEUS];
  return [first, ...rest];
}

export function opsGrafanaValues(env: EnvironmentConfig, s: Settings['grafana'], dex: boolean, thanos?: OpsThanos): JsonObject {
  const host = endpoints(env).opsGrafana;
  const issuer = `https://${endpoints(env).dex}`;
  const ini: JsonObject = {
    server: { root_url: `https://${host}` },
    analytics: { check_for_updates: false, reporting_enabled: false },
    users: { allow_sign_up: false },
  };
  if (dex) {
    ini['auth.generic_oauth'] = {
      enabled: true,
      name: 'Dex',
      client_id: OPS_GRAFANA_OIDC_CLIENT.id,
      scopes: 'openid profile email groups offline_access',
      auth_url: `${issuer}/auth`,
      token_url: `${issuer}/token`,
      api_url: `${issuer}/userinfo`,
      use_pkce: true,
      allow_sign_up: true,
      role_attribute_path: roleAttributePath(s),
      role_attribute_strict: false,
    };
  }
  return {
    enabled: true,
    defaultDashboardsTimezone: 'utc',
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
    // Grafana reads GF_<SECTION>_<KEY> over grafana.ini, so the client secret stays in its Secret.
    ...(dex ? { envValueFrom: { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: GRAFANA_OIDC_SECRET, key: 'client-secret' } } } } : {}),
    'grafana.ini': ini,
    // Long-term metrics of every cluster, next to the chart's local Prometheus datasource.
    ...(thanos ? { additionalDataSources: thanosDatasources(thanos) } : {}),
    sidecar: {
      datasources: { name: LOCAL_PROMETHEUS.name, uid: LOCAL_PROMETHEUS.uid },
      // The platform's dashboards are ConfigMaps in this namespace only (objects of this component).
      dashboards: dashboardSidecarValues([MONITORING_NAMESPACE]),
    },
    // The Ingress is rendered as an object (ingressClassName and pathType are not chart defaults).
    ingress: { enabled: false },
    persistence: { enabled: s.persistence, size: '1Gi' },
    resources: resources('50m', '256Mi', '512Mi'),
  };
}
