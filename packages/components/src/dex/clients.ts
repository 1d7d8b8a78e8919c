import type { EnvironmentConfig } from '@ck8s/config';
import { endpoints } from '../lib/hosts';

/**
 * The platform's OIDC clients of Dex, one per web application. Each client is registered in Dex only
 * when the component serving the application is enabled on the management cluster; Dex and the
 * application share the client secret through the generator (`shareAs: oidc-client-<id>`).
 */
export const OIDC_APPS = {
  /** Grafana of kube-prometheus-stack (platform administrators). */
  'ops-grafana': {
    component: 'kube-prometheus-stack',
    name: 'Grafana (operations)',
    host: (env: EnvironmentConfig) => endpoints(env).opsGrafana,
    callback: '/login/generic_oauth',
  },
  'user-grafana': { component: 'user-grafana', name: 'Grafana', host: (env: EnvironmentConfig) => endpoints(env).grafana, callback: '/login/generic_oauth' },
  'opensearch-dashboards': {
    component: 'opensearch-dashboards',
    name: 'OpenSearch Dashboards',
    host: (env: EnvironmentConfig) => endpoints(env).opensearchDashboards,
    callback: '/auth/openid/login',
  },
  harbor: { component: 'harbor', name: 'Harbor', host: (env: EnvironmentConfig) => endpoints(env).harbor, callback: '/c/oidc/callback' },
} as const;

export type OidcApp = keyof typeof OIDC_APPS;

/** Public client for `kubectl oidc-login` (kubelogin): no secret, loopback redirects only. */
export const KUBELOGIN_CLIENT_ID = 'kubelogin';

export function dexIssuer(env: EnvironmentConfig): string {
  return `https://${endpoints(env).dex}`;
}

export interface OidcClient {
  issuer: string;
  clientId: string;
  /** `shareAs` id of the client secret: the application's secret requirement uses the same id. */
  share: string;
  redirectURI: string;
  /** Public URL of the application (its base URL for redirects). */
  baseURL: string;
}

/** What an application needs to log in through Dex; the same values Dex registers. */
export function oidcClient(env: EnvironmentConfig, app: OidcApp): OidcClient {
  const a = OIDC_APPS[app];
  const baseURL = `https://${a.host(env)}`;
  return { issuer: dexIssuer(env), clientId: app, share: `oidc-client-${app}`, redirectURI: `${baseURL}${a.callback}`, baseURL };
}
