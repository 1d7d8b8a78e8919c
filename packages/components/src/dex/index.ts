import { z } from 'zod';
import type { Flavor } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { defineComponent, type SecretRequirement, type SettingsProblem } from '../lib/component';
import { endpoints } from '../lib/hosts';
import { allow, PROMETHEUS_SELECTOR_LABELS, RESTRICTED_CONTAINER, RESTRICTED_POD } from '../lib/objects';
import { egressTo, httpsTo } from '../lib/egress';
import { envName } from '../lib/naming';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { webIngress } from '../lib/ingress';
import { dexIssuer, KUBELOGIN_CLIENT_ID, OIDC_APPS, oidcClient, type OidcApp } from './clients';
import { Connector, connectorEnvVars, connectorSecretName, CONNECTOR_SECRET_KEYS, dexConnector, type ConnectorSettings } from './connectors';

export { dexIssuer, KUBELOGIN_CLIENT_ID, OIDC_APPS, oidcClient, type OidcApp, type OidcClient } from './clients';

const NS = 'dex';
const SERVICE = 'dex';
const HTTP_PORT = 5556;
const TELEMETRY_PORT = 5558;
const CLIENTS_SECRET = 'dex-oidc-clients';
const STATIC_PASSWORD_SECRET = 'dex-static-password';
const STATIC_HASH_ENV = 'DEX_STATIC_ADMIN_HASH';

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Dex, the OIDC provider for kubectl and the platform web applications'),
  replicas: z.number().int().min(1).max(5).default(1).describe('Dex replicas (state lives in Kubernetes custom resources)'),
  connectors: z.array(Connector).default([]).describe('Upstream identity providers; their secrets come from Secrets dex-connector-<id>'),
  staticPasswords: z
    .boolean()
    .default(false)
    .describe('Static admin login (admin@<domain>, bcrypt hash from the Secret dex-static-password) for development; always off outside the dev flavor'),
  resources: resourceSettings('10m', '32Mi', '128Mi').describe('Requests and memory limit per replica'),
});

type DexSettings = z.output<typeof settings>;

/**
 * Problems with Dex settings that need the flavor to see: static passwords are a development
 * convenience and must not reach a production identity provider. For the config semantic checks;
 * rendering forces them off anyway.
 */
export function dexSettingsProblems(flavor: Flavor, s: Pick<DexSettings, 'staticPasswords'>): SettingsProblem[] {
  return s.staticPasswords && flavor !== 'dev'
    ? [{ path: ['staticPasswords'], message: `only allowed in the dev flavor (flavor is "${flavor}"); configure a connector instead` }]
    : [];
}

/**
 * Static passwords are honoured in the dev flavor only. Not a preset but an invariant (the exception
 * to "render reads settings, never the flavor"): the config check above already rejects the setting
 * outside dev; rendering refuses it as well, so no caller that skips the loader can ship a shared
 * admin password to a production identity provider.
 */
function staticPasswordsOn(flavor: Flavor, s: DexSettings): boolean {
  return flavor === 'dev' && s.staticPasswords;
}

/** OIDC clients whose application is enabled on this cluster. */
function enabledApps(isEnabled: (n: string) => boolean): OidcApp[] {
  return (Object.keys(OIDC_APPS) as OidcApp[]).filter((app) => isEnabled(OIDC_APPS[app].component));
}

const clientEnv = (app: OidcApp) => envName('DEX_CLIENT', app, 'SECRET');

/**
 * Dex: the platform's OIDC provider. Users log in through upstream connectors (OIDC, GitHub, Google,
 * LDAP, SAML); kubectl (kubelogin) and every enabled web application are static clients. No secret
 * is in the rendered config: connector and client secrets reach Dex as environment variables from
 * SOPS Secrets, referenced as `$VAR` (connectors) and `secretEnv` (clients).
 */
export const dex = defineComponent({
  name: 'dex',
  description: 'Dex OIDC provider: single sign-on for kubectl, Grafana, OpenSearch Dashboards and Harbor',
  roles: ['management'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'dex',
  dependsOn: ['namespaces', 'cert-manager', 'ingress', 'kube-prometheus-stack'],
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 4 §',
    'MSBFS 2020:7 4 kap. 5 §',
    'ISO 27001 A.9.4.1',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.5.1',
    'NIST SP 800-171 3.5.2',
    'NIST SP 800-171 3.5.4',
    'NIST SP 800-171 3.5.5',
    'NIST SP 800-171 3.5.6',
    'NIST SP 800-171 3.7.5',
  ],
  settings,
  defaults: flavorPresets({ dev: { staticPasswords: true }, production: { replicas: 2, resources: { cpu: '50m', memory: '64Mi', memoryLimit: '128Mi' } } }),
  checkSettings(s, env) {
    return dexSettingsProblems(env.flavor, s);
  },
  secrets(ctx) {
    const reqs: SecretRequirement[] = [];
    const apps = enabledApps(ctx.isEnabled);
    if (apps.length) {
      reqs.push({
        name: CLIENTS_SECRET,
        namespace: NS,
        keys: apps,
        description: 'OIDC client secrets of the platform web applications (each shared with its application)',
        generate: Object.fromEntries(apps.map((app) => [app, { type: 'random', shareAs: oidcClient(ctx.env, app).share }])),
      });
    }
    for (const c of ctx.settings.connectors) {
      const keys = CONNECTOR_SECRET_KEYS[c.type];
      if (!keys.length) continue;
      reqs.push({
        name: connectorSecretName(c),
        namespace: NS,
        keys,
        description: `Secrets of the Dex ${c.type} connector "${c.name}"`,
        generate: Object.fromEntries(
          keys.map((k) => [k, { type: 'user', hint: `${k} of the ${c.type} connector "${c.name}" (from the upstream identity provider)` }]),
        ),
      });
    }
    if (staticPasswordsOn(ctx.env.flavor, ctx.settings)) {
      reqs.push({
        name: STATIC_PASSWORD_SECRET,
        namespace: NS,
        keys: ['hash'],
        description: 'bcrypt hash of the development admin password (Dex static password)',
        // Dex wants the bare bcrypt hash, not an htpasswd line.
        generate: { hash: { type: 'user', hint: 'bcrypt hash of the dev admin password: htpasswd -nbBC 10 "" <password> | cut -d: -f2' } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const host = endpoints(env).dex;
    const issuer = dexIssuer(env);
    const apps = enabledApps(ctx.isEnabled);
    const staticLogin = staticPasswordsOn(env.flavor, s);

    const staticClients: JsonObject[] = [
      // kubelogin runs on the user's machine: a public client (PKCE, loopback redirects), no secret to leak.
      { id: KUBELOGIN_CLIENT_ID, name: 'kubectl', public: true, redirectURIs: ['http://localhost:8000', 'http://localhost:18000'] },
      ...apps.map((app) => {
        const c = oidcClient(env, app);
        return { id: c.clientId, name: OIDC_APPS[app].name, secretEnv: clientEnv(app), redirectURIs: [c.redirectURI] };
      }),
    ];

    const config: JsonObject = {
      issuer,
      storage: { type: 'kubernetes', config: { inCluster: true } },
      web: { http: `0.0.0.0:${HTTP_PORT}` },
      telemetry: { http: `0.0.0.0:${TELEMETRY_PORT}` },
      oauth2: { skipApprovalScreen: true, responseTypes: ['code'] },
      connectors: s.connectors.map((c: ConnectorSettings) => dexConnector(c, `${issuer}/callback`)) as JsonObject[],
      staticClients,
      enablePasswordDB: staticLogin,
      ...(staticLogin
        ? { staticPasswords: [{ email: `admin@${env.domain}`, username: 'admin', userID: 'platform-dev-admin', hashFromEnv: STATIC_HASH_ENV }] }
        : {}),
    };

    const envVars = [
      ...apps.map((app) => ({ name: clientEnv(app), valueFrom: { secretKeyRef: { name: CLIENTS_SECRET, key: app } } })),
      ...connectorEnvVars(s.connectors),
      ...(staticLogin ? [{ name: STATIC_HASH_ENV, valueFrom: { secretKeyRef: { name: STATIC_PASSWORD_SECRET, key: 'hash' } } }] : []),
    ];

    const values: JsonObject = {
      replicaCount: s.replicas,
      config,
      envVars,
      podSecurityContext: { ...RESTRICTED_POD, runAsUser: 1001, runAsGroup: 1001 },
      securityContext: RESTRICTED_CONTAINER,
      resources: toResources(s.resources),
      podDisruptionBudget: { enabled: s.replicas > 1, minAvailable: 1 },
      serviceMonitor: { enabled: monitored, labels: PROMETHEUS_SELECTOR_LABELS },
      ...(s.replicas > 1
        ? {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'dex' } },
              },
            ],
          }
        : {}),
    };

    const objects: K8sObject[] = [
      webIngress(cluster, { component: 'dex', namespace: NS, name: 'dex', host, service: SERVICE, port: HTTP_PORT }),
      allow.fromIngress('dex', NS, [{ port: HTTP_PORT }]),
      // Dex keeps its state (auth requests, refresh tokens, keys) in custom resources.
      allow.apiServer('dex', cluster, NS),
      // Upstream identity providers: HTTPS, and LDAP(S) when an LDAP connector is configured.
      httpsTo('dex', cluster, 'identityProviders', NS, 'allow-upstream-idps'),
      ...(s.connectors.some((c) => c.type === 'ldap') ? [egressTo('dex', cluster, 'identityProviders', NS, 'allow-ldap', [{ port: 389 }, { port: 636 }])] : []),
      ...(monitored ? [allow.fromMonitoring('dex', NS, [{ port: TELEMETRY_PORT }])] : []),
    ];
    return { values, objects };
  },
});
