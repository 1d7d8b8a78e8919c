import { z } from 'zod';
import type { EnvironmentConfig } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { oidcClient } from '../dex/clients';
import { defineComponent, type SecretRequirement } from '../lib/component';
import { USER_GRAFANA_BACKUPS } from './backups';
import { USER_GRAFANA_NAMESPACE } from '../lib/platform-namespaces';
import { endpoints } from '../lib/hosts';
import { allow, netpol, peers, PROMETHEUS_SELECTOR_LABELS } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { metricsTarget, workloadClusters } from '../lib/wiring';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { webIngress } from '../lib/ingress';
import { tenantDatasource } from '../thanos';
import { dashboardConfigMaps, dashboardSidecarValues, scopeOf, type MetricsDatasources } from '../lib/dashboards';
import { USER_DASHBOARDS } from './dashboards';

const NS = USER_GRAFANA_NAMESPACE;
/** Release name = chart key: the chart's Service is `grafana`, port 80 → 3000. */
const SERVICE = 'grafana';
const PORT = 3000;
const ADMIN_SECRET = 'user-grafana-admin';
const OIDC_SECRET = 'user-grafana-oidc';
const POD = { matchLabels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana' } };

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe("Deploy the application developers' Grafana"),
  storageSize: z.string().default('10Gi').describe("Persistent volume for Grafana's database (users' own dashboards)"),
  adminGroups: z.array(z.string()).default([]).describe('Dex groups whose members become Grafana admins'),
  editorGroups: z.array(z.string()).default([]).describe('Dex groups whose members may edit dashboards'),
  defaultRole: z.enum(['Viewer', 'Editor']).default('Viewer').describe('Role of other users logging in through Dex'),
  resources: resourceSettings('25m', '128Mi', '512Mi').describe("Grafana's requests and memory limit"),
});

type UserGrafanaSettings = z.output<typeof settings>;

/**
 * One datasource per workload cluster, each sending the cluster's tenant in the THANOS-TENANT header.
 * Developers pick their cluster by datasource; with `thanos.query.enforceTenancy` Thanos also
 * enforces that a datasource only sees its own cluster's series. (The alternative, one datasource
 * and a folder per cluster, cannot be enforced: dashboards in a folder can query any series.)
 */
export function tenantDatasources(env: EnvironmentConfig): JsonObject[] {
  return workloadClusters(env).map((c, i) => tenantDatasource(metricsTarget(env, c.name).tenant, i === 0));
}

/** The tenant datasources as dashboards pick them (the first workload cluster's is the default); none without Thanos. */
function metricsDatasources(env: EnvironmentConfig): MetricsDatasources | undefined {
  const [first, ...rest] = tenantDatasources(env).map((d) => ({ uid: String(d.uid), name: String(d.name) }));
  return first ? [first, ...rest] : undefined;
}

/** JMESPath Grafana evaluates on the ID token's claims to pick the user's role. */
function roleAttributePath(s: UserGrafanaSettings): string {
  const match = (groups: string[], role: string) => groups.map((g) => `contains(groups[*], '${g.replace(/'/g, "\\'")}') && '${role}'`);
  return [...match(s.adminGroups, 'Admin'), ...match(s.editorGroups, 'Editor'), `'${s.defaultRole}'`].join(' || ');
}

function grafanaIni(env: EnvironmentConfig, s: UserGrafanaSettings, sso: boolean): JsonObject {
  const root = `https://${endpoints(env).grafana}`;
  const ini: JsonObject = {
    server: { domain: endpoints(env).grafana, root_url: root },
    analytics: { check_for_updates: false, reporting_enabled: false },
    users: { allow_sign_up: false },
    'auth.anonymous': { enabled: false },
  };
  if (sso) {
    const c = oidcClient(env, 'user-grafana');
    ini['auth.generic_oauth'] = {
      enabled: true,
      name: 'Dex',
      client_id: c.clientId,
      // client_secret comes from GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET (Secret user-grafana-oidc).
      scopes: 'openid profile email groups offline_access',
      auth_url: `${c.issuer}/auth`,
      token_url: `${c.issuer}/token`,
      api_url: `${c.issuer}/userinfo`,
      use_pkce: true,
      allow_sign_up: true,
      role_attribute_path: roleAttributePath(s),
      groups_attribute_path: 'groups',
    };
  }
  return ini;
}

/** The app developers' Grafana: SSO through Dex, one Thanos datasource per workload cluster. */
export const userGrafana = defineComponent({
  name: 'user-grafana',
  description: "Application developers' Grafana with single sign-on and one Thanos datasource per workload cluster",
  roles: ['management'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'grafana',
  dependsOn: ['namespaces', 'cert-manager', 'ingress', 'dex', 'thanos', 'kube-prometheus-stack'],
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 5 §',
    'ISO 27001 A.9.4.1',
    'ISO 27001 A.12.1.3',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.5.1',
    'NIST SP 800-171 3.5.2',
    'NIST SP 800-171 3.5.4',
  ],
  settings,
  backups: USER_GRAFANA_BACKUPS,
  defaults: flavorPresets({ production: { resources: { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' } } }),
  secrets(ctx) {
    const reqs: SecretRequirement[] = [
      {
        name: ADMIN_SECRET,
        namespace: NS,
        keys: ['admin-user', 'admin-password'],
        description: 'Break-glass admin login of the user Grafana',
        generate: { 'admin-user': { type: 'literal', value: 'admin' }, 'admin-password': { type: 'random' } },
      },
    ];
    if (ctx.isEnabled('dex')) {
      reqs.push({
        name: OIDC_SECRET,
        namespace: NS,
        keys: ['client-secret'],
        description: 'OIDC client secret of the user Grafana in Dex',
        generate: { 'client-secret': { type: 'random', shareAs: oidcClient(ctx.env, 'user-grafana').share } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const sso = ctx.isEnabled('dex');
    const metrics = ctx.isEnabled('thanos');
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    // The platform's dashboards query the tenant datasources: without Thanos there is nothing to show.
    const datasources = metrics ? metricsDatasources(env) : undefined;

    const values: JsonObject = {
      // sqlite on a ReadWriteOnce volume: one replica (HA Grafana would need an external database).
      replicas: 1,
      deploymentStrategy: { type: 'Recreate' },
      admin: { existingSecret: ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      persistence: { enabled: true, type: 'pvc', storageClassName: cluster.settings.storage.storageClass, size: s.storageSize },
      // fsGroup already gives Grafana its volume; the chown init container would need root.
      initChownData: { enabled: false },
      'grafana.ini': grafanaIni(env, s, sso),
      ...(sso ? { envValueFrom: { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: OIDC_SECRET, key: 'client-secret' } } } } : {}),
      datasources: metrics ? { 'datasources.yaml': { apiVersion: 1, datasources: tenantDatasources(env) } } : {},
      resources: toResources(s.resources),
      serviceMonitor: { enabled: monitored, labels: PROMETHEUS_SELECTOR_LABELS },
      // Dashboards from ConfigMaps of this namespace only (application developers cannot create them
      // here); the sidecar's Role is namespaced to match.
      ...(datasources ? { sidecar: { dashboards: dashboardSidecarValues() }, rbac: { namespaced: true } } : {}),
    };

    const objects: K8sObject[] = [
      webIngress(cluster, { component: 'user-grafana', namespace: NS, name: 'grafana', host: endpoints(env).grafana, service: SERVICE, port: 80 }),
      allow.fromIngress('user-grafana', NS, [{ port: PORT }], POD),
      ...(monitored ? [allow.fromMonitoring('user-grafana', NS, [{ port: PORT }], POD)] : []),
      ...(metrics ? [netpol.allowEgress('user-grafana', NS, 'allow-thanos', [peers.namespace('thanos')], [{ port: 9090 }], POD)] : []),
      // Token exchange with Dex goes to its public issuer URL.
      ...(sso ? [httpsTo('user-grafana', cluster, 'platformEndpoints', NS, 'allow-dex', POD), allow.toIngress('user-grafana', NS, POD)] : []),
      // The dashboard sidecar watches ConfigMaps through the API server.
      ...(datasources
        ? [allow.apiServer('user-grafana', cluster, NS, POD), ...dashboardConfigMaps('user-grafana', NS, USER_DASHBOARDS, scopeOf(ctx), datasources)]
        : []),
    ];
    return { values, objects };
  },
});
