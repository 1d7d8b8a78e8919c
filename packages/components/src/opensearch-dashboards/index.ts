import { z } from 'zod';
import type { EnvironmentConfig } from '@ck8s/config';
import type { JsonObject, K8sObject } from '@ck8s/manifest';
import { oidcClient } from '../dex/clients';
import { defineComponent, type SecretRequirement } from '../lib/component';
import { endpoints } from '../lib/hosts';
import { allow, netpol } from '../lib/objects';
import { httpsTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { webIngress } from '../lib/ingress';
import {
  CA_BUNDLE_FILE,
  CA_BUNDLE_SECRET,
  DASHBOARDS_SHARE,
  DASHBOARDS_USER,
  OPENSEARCH_HTTP_PORT,
  OPENSEARCH_NS,
  OPENSEARCH_POD,
  opensearchUrl,
} from '../opensearch/names';
import { opensearchSettings } from '../opensearch';

const NS = OPENSEARCH_NS;
/** Release name = chart key: Service `opensearch-dashboards`, port 5601. */
const SERVICE = 'opensearch-dashboards';
const PORT = 5601;
const POD = { matchLabels: { 'app.kubernetes.io/name': 'opensearch-dashboards', 'app.kubernetes.io/instance': 'opensearch-dashboards' } };
/** The chart's `opensearchAccount.secret`: keys username, password (of the server user) and cookie. */
const ACCOUNT_SECRET = 'opensearch-dashboards-account';
const OIDC_SECRET = 'opensearch-dashboards-oidc';
const OIDC_ENV = 'OIDC_CLIENT_SECRET';

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy OpenSearch Dashboards, the log search UI'),
  replicas: z.number().int().min(1).max(5).default(1).describe('Dashboards replicas (stateless)'),
  resources: resourceSettings('50m', '512Mi', '768Mi').describe('Requests and memory limit per replica'),
});

/**
 * opensearch_dashboards.yml. Secrets are `${VAR}` references, which Dashboards expands from its
 * environment when it reads the file.
 */
/** Where Dashboards mounts the platform CA's certificate. */
const CA_DIR = '/usr/share/opensearch-dashboards/config/opensearch-ca';

function dashboardsYml(env: EnvironmentConfig, sso: boolean, tls: boolean): JsonObject {
  const base: JsonObject = {
    'server.name': 'dashboards',
    'server.host': '0.0.0.0',
    'opensearch.hosts': [opensearchUrl(tls)],
    // Full verification: the chain to the platform CA and the service name in the certificate.
    ...(tls ? { 'opensearch.ssl.verificationMode': 'full', 'opensearch.ssl.certificateAuthorities': [`${CA_DIR}/${CA_BUNDLE_FILE}`] } : {}),
    'opensearch.username': '${OPENSEARCH_USERNAME}',
    'opensearch.password': '${OPENSEARCH_PASSWORD}',
    'opensearch.requestHeadersAllowlist': ['authorization', 'securitytenant'],
    'opensearch_security.cookie.secure': true,
    'opensearch_security.cookie.password': '${COOKIE_PASS}',
    'opensearch_security.multitenancy.enabled': false,
  };
  if (!sso) return { ...base, 'opensearch_security.auth.type': 'basicauth' };
  const c = oidcClient(env, 'opensearch-dashboards');
  return {
    ...base,
    // SSO for people, basic auth kept for the break-glass admin.
    'opensearch_security.auth.type': ['openid', 'basicauth'],
    'opensearch_security.auth.multiple_auth_enabled': true,
    'opensearch_security.openid.connect_url': `${c.issuer}/.well-known/openid-configuration`,
    'opensearch_security.openid.client_id': c.clientId,
    'opensearch_security.openid.client_secret': `\${${OIDC_ENV}}`,
    'opensearch_security.openid.base_redirect_url': c.baseURL,
    'opensearch_security.openid.scope': 'openid profile email groups',
  };
}

/** OpenSearch Dashboards: searching the platform's logs, with single sign-on through Dex. */
export const opensearchDashboards = defineComponent({
  name: 'opensearch-dashboards',
  description: 'OpenSearch Dashboards: log search for operators and application developers, single sign-on through Dex',
  roles: ['management'],
  namespace: NS,
  podSecurity: 'baseline',
  chart: 'opensearch-dashboards',
  dependsOn: ['namespaces', 'cert-manager', 'ingress', 'opensearch', 'dex'],
  controls: [
    'MSBFS 2020:7 4 kap. 3 §',
    'MSBFS 2020:7 4 kap. 5 §',
    'MSBFS 2020:7 4 kap. 17 §',
    'ISO 27001 A.9.4.1',
    'ISO 27001 A.12.4.1',
    'NIST SP 800-171 3.1.1',
    'NIST SP 800-171 3.1.15',
    'NIST SP 800-171 3.3.2',
    'NIST SP 800-171 3.3.3',
    'NIST SP 800-171 3.3.5',
    'NIST SP 800-171 3.3.6',
    'NIST SP 800-171 3.5.1',
    'NIST SP 800-171 3.5.2',
    'NIST SP 800-171 3.5.4',
  ],
  settings,
  defaults: flavorPresets({ production: { replicas: 2, resources: { cpu: '200m', memory: '1Gi', memoryLimit: '1Gi' } } }),
  secrets(ctx) {
    const reqs: SecretRequirement[] = [
      {
        name: ACCOUNT_SECRET,
        namespace: NS,
        keys: ['username', 'password', 'cookie'],
        description: "Dashboards' server login to OpenSearch and its session cookie key",
        generate: {
          username: { type: 'literal', value: DASHBOARDS_USER },
          password: { type: 'random', shareAs: DASHBOARDS_SHARE },
          cookie: { type: 'random', length: 32 },
        },
      },
    ];
    if (ctx.isEnabled('dex')) {
      reqs.push({
        name: OIDC_SECRET,
        namespace: NS,
        keys: ['client-secret'],
        description: 'OIDC client secret of OpenSearch Dashboards in Dex',
        generate: { 'client-secret': { type: 'random', shareAs: oidcClient(ctx.env, 'opensearch-dashboards').share } },
      });
    }
    return reqs;
  },
  render(ctx) {
    const { env, cluster, settings: s } = ctx;
    const sso = ctx.isEnabled('dex');
    // Dashboards runs next to OpenSearch on the same cluster and speaks what it serves.
    const tls = opensearchSettings(cluster)?.httpTls ?? false;
    const values: JsonObject = {
      replicaCount: s.replicas,
      opensearchHosts: opensearchUrl(tls),
      opensearchAccount: { secret: ACCOUNT_SECRET },
      config: { 'opensearch_dashboards.yml': dashboardsYml(env, sso, tls) },
      ...(tls ? { secretMounts: [{ name: 'opensearch-ca', secretName: CA_BUNDLE_SECRET, path: CA_DIR }] } : {}),
      ...(sso ? { extraEnvs: [{ name: OIDC_ENV, valueFrom: { secretKeyRef: { name: OIDC_SECRET, key: 'client-secret' } } }] } : {}),
      updateStrategy: { type: s.replicas > 1 ? 'RollingUpdate' : 'Recreate' },
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false },
      resources: toResources(s.resources),
    };
    const objects: K8sObject[] = [
      webIngress(cluster, {
        component: 'opensearch-dashboards',
        namespace: NS,
        name: 'opensearch-dashboards',
        host: endpoints(env).opensearchDashboards,
        service: SERVICE,
        port: PORT,
      }),
      allow.fromIngress('opensearch-dashboards', NS, [{ port: PORT }], POD, 'allow-dashboards-from-ingress'),
      netpol.allowEgress(
        'opensearch-dashboards',
        NS,
        'allow-dashboards-to-opensearch',
        [{ podSelector: OPENSEARCH_POD }],
        [{ port: OPENSEARCH_HTTP_PORT }],
        POD,
      ),
      // Code exchange with Dex at its public issuer URL.
      ...(sso
        ? [
            httpsTo('opensearch-dashboards', cluster, 'platformEndpoints', NS, 'allow-dashboards-to-dex', POD),
            allow.toIngress('opensearch-dashboards', NS, POD, 'allow-dashboards-to-ingress'),
          ]
        : []),
    ];
    return { values, objects };
  },
});
