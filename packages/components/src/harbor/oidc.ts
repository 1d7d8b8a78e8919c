import type { EnvironmentConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { oidcClient } from '../dex/clients';
import { restApiJob } from '../lib/workloads';
import { contentHash } from '../lib/naming';

export const OIDC_SECRET = 'harbor-oidc';
export const ADMIN_SECRET = 'harbor-admin';
export const ADMIN_KEY = 'HARBOR_ADMIN_PASSWORD';
const NS = 'harbor';

/**
 * Harbor keeps its authentication mode in its database and takes it only through its REST API
 * (`PUT /api/v2.0/configurations`), not from chart values. What can be rendered is a Job that makes
 * that call: the settings below, with the client secret from the Secret shared with Dex. Harbor
 * accepts the switch to OIDC only while no local user but admin exists, so it belongs to day one.
 */
export function oidcSettings(env: EnvironmentConfig, adminGroup: string) {
  const c = oidcClient(env, 'harbor');
  return {
    auth_mode: 'oidc_auth',
    oidc_name: 'Dex',
    oidc_endpoint: c.issuer,
    oidc_client_id: c.clientId,
    oidc_scope: 'openid,profile,email,groups,offline_access',
    oidc_groups_claim: 'groups',
    oidc_user_claim: 'email',
    oidc_auto_onboard: true,
    oidc_verify_cert: true,
    ...(adminGroup ? { oidc_admin_group: adminGroup } : {}),
  };
}

export function oidcConfigurer(env: EnvironmentConfig, adminGroup: string): K8sObject[] {
  const settings = oidcSettings(env, adminGroup);
  // The client secret is spliced in at run time; the rest of the body is rendered.
  const body = JSON.stringify(settings).replace(/}$/, ',"oidc_client_secret":"%s"}');
  const script = [
    'set -eu',
    'i=0',
    'until curl -sf -o /dev/null http://harbor-core/api/v2.0/ping; do i=$((i + 1)); [ "$i" -lt 60 ] || exit 1; sleep 10; done',
    `printf '${body}' "$OIDC_CLIENT_SECRET" | ` +
      `curl -sS --fail-with-body -X PUT -u "admin:$HARBOR_ADMIN_PASSWORD" -H 'Content-Type: application/json' -d @- http://harbor-core/api/v2.0/configurations`,
  ].join('\n');
  const name = `harbor-oidc-${contentHash(script)}`;
  const labels = { 'app.kubernetes.io/name': 'harbor-oidc' };
  return [
    restApiJob('harbor', NS, name, {
      labels,
      command: ['/bin/sh', '-c', script],
      env: [
        { name: 'HARBOR_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: ADMIN_SECRET, key: ADMIN_KEY } } },
        { name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: OIDC_SECRET, key: 'client-secret' } } },
      ],
    }),
  ];
}
