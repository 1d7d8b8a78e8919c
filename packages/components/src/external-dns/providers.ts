import type { JsonObject } from '@ck8s/manifest';
import { ConfigErrors, type EnvironmentConfig, type Provider } from '@ck8s/config';

/** Secret (in the external-dns namespace) holding the DNS provider's credentials. */
export const CREDENTIALS_SECRET = 'external-dns-credentials';

export const DNS_PROVIDERS = ['auto', 'aws', 'azure', 'cloudflare', 'google', 'exoscale', 'webhook'] as const;
export type DnsProvider = Exclude<(typeof DNS_PROVIDERS)[number], 'auto'>;

export interface ProviderSettings {
  provider: (typeof DNS_PROVIDERS)[number];
  aws: { region: string; zoneType: 'public' | 'private' | '' };
  azure: { resourceGroup: string };
  google: { project: string };
  exoscale: { apiZone: string };
  webhook: { image: { repository: string; tag: string }; args: string[]; secretEnv: Record<string, string> };
}

/** Which DNS service `auto` means on each infrastructure provider; the rest need an explicit choice. */
const AUTO: Partial<Record<Provider, DnsProvider>> = { aws: 'aws', azure: 'azure', exoscale: 'exoscale' };

/**
 * The DNS service to use. An unresolvable `auto` is a config error (reported like the loader's,
 * so rendering stops and leaves clusters/ unchanged); the loader cannot catch it because settings
 * do not see the cluster's infrastructure provider.
 */
export function resolveProvider(s: ProviderSettings, env: EnvironmentConfig, cluster: { name: string; provider: Provider }): DnsProvider {
  if (s.provider !== 'auto') return s.provider;
  const p = AUTO[cluster.provider];
  if (!p) {
    throw new ConfigErrors([
      {
        file: `environments/${env.name}/config.yaml`,
        line: 1,
        column: 1,
        keyPath: 'components.externalDns.provider',
        message:
          `"auto" has no DNS service for provider "${cluster.provider}" (cluster ${cluster.name}); ` +
          `choose one of ${DNS_PROVIDERS.filter((x) => x !== 'auto').join(', ')}`,
      },
    ]);
  }
  return p;
}

/** The Secret keys each provider reads (the generator asks a person for them: they come from the DNS account). */
export function credentialKeys(p: DnsProvider, s: ProviderSettings): Record<string, string> {
  switch (p) {
    case 'aws':
      return { 'aws-access-key-id': 'Route 53 IAM access key id', 'aws-secret-access-key': 'Route 53 IAM secret access key' };
    case 'azure':
      return { 'azure.json': 'Azure DNS service principal config (tenantId, subscriptionId, resourceGroup, aadClientId, aadClientSecret)' };
    case 'cloudflare':
      return { 'api-token': "Cloudflare API token with Zone:DNS:Edit on the environment's zones" };
    case 'google':
      return { 'credentials.json': 'Google Cloud service account key with the DNS Administrator role' };
    case 'exoscale':
      return { 'api-key': 'Exoscale IAM API key with DNS access', 'api-secret': 'Exoscale IAM API secret' };
    case 'webhook':
      return Object.fromEntries(Object.entries(s.webhook.secretEnv).map(([env, key]) => [key, `value of ${env} for the webhook provider`]));
  }
}

const fromSecret = (name: string, key: string): JsonObject => ({ name, valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key } } });

/** Chart values that wire one provider: its name, credentials (env or mounted file) and flags. */
export function providerValues(p: DnsProvider, s: ProviderSettings): JsonObject {
  const fileMount = (key: string, mountPath: string): JsonObject => ({
    extraVolumes: [{ name: 'credentials', secret: { secretName: CREDENTIALS_SECRET, items: [{ key, path: key }] } }],
    extraVolumeMounts: [{ name: 'credentials', mountPath, readOnly: true }],
  });
  switch (p) {
    case 'aws':
      return {
        provider: { name: 'aws' },
        env: [
          fromSecret('AWS_ACCESS_KEY_ID', 'aws-access-key-id'),
          fromSecret('AWS_SECRET_ACCESS_KEY', 'aws-secret-access-key'),
          { name: 'AWS_DEFAULT_REGION', value: s.aws.region },
        ],
        extraArgs: s.aws.zoneType ? [`--aws-zone-type=${s.aws.zoneType}`] : [],
      };
    case 'azure':
      return {
        provider: { name: 'azure' },
        ...fileMount('azure.json', '/etc/kubernetes'),
        extraArgs: s.azure.resourceGroup ? [`--azure-resource-group=${s.azure.resourceGroup}`] : [],
      };
    case 'cloudflare':
      return { provider: { name: 'cloudflare' }, env: [fromSecret('CF_API_TOKEN', 'api-token')] };
    case 'google':
      return {
        provider: { name: 'google' },
        ...fileMount('credentials.json', '/etc/secrets/google'),
        env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/secrets/google/credentials.json' }],
        extraArgs: s.google.project ? [`--google-project=${s.google.project}`] : [],
      };
    case 'exoscale':
      // external-dns reads every flag from EXTERNAL_DNS_<FLAG>, which keeps the keys out of the pod spec's args.
      return {
        provider: { name: 'exoscale' },
        env: [fromSecret('EXTERNAL_DNS_EXOSCALE_APIKEY', 'api-key'), fromSecret('EXTERNAL_DNS_EXOSCALE_APISECRET', 'api-secret')],
        extraArgs: [`--exoscale-apizone=${s.exoscale.apiZone}`],
      };
    case 'webhook':
      return {
        provider: {
          name: 'webhook',
          webhook: {
            image: { repository: s.webhook.image.repository, tag: s.webhook.image.tag },
            args: s.webhook.args,
            env: Object.entries(s.webhook.secretEnv).map(([env, key]) => fromSecret(env, key)),
          },
        },
      };
  }
}
