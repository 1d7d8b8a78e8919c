import { z } from 'zod';
import { Duration } from '@ck8s/config';
import { defineComponent } from '../lib/component';
import { allow, resources } from '../lib/objects';
import { egressTo } from '../lib/egress';
import { CREDENTIALS_SECRET, credentialKeys, DNS_PROVIDERS, providerValues, resolveProvider } from './providers';

const NS = 'external-dns';
const METRICS_PORT = 7979;

const settings = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Publish DNS records for Ingresses and Services (optional: many environments manage DNS by hand)'),
    provider: z
      .enum(DNS_PROVIDERS)
      .default('auto')
      .describe('DNS service; "auto" picks Route 53 on aws, Azure DNS on azure and Exoscale DNS on exoscale, other infrastructures must name one'),
    policy: z
      .enum(['upsert-only', 'sync'])
      .default('upsert-only')
      .describe('"upsert-only" never deletes records; "sync" also removes records whose Ingress/Service is gone'),
    sources: z
      .array(z.enum(['ingress', 'service', 'gateway-httproute']))
      .min(1)
      .default(['ingress', 'service'])
      .describe('Kubernetes objects whose hostnames are published'),
    extraDomainFilters: z.array(z.string()).default([]).describe("Zones managed besides the environment's domain and ops domain"),
    interval: Duration.default('1m').describe('How often records are reconciled'),
    aws: z
      .strictObject({
        region: z.string().min(1).default('eu-north-1').describe('AWS region for API calls (Route 53 itself is global)'),
        zoneType: z.enum(['public', 'private', '']).default('public').describe('Only manage zones of this type; empty manages both'),
      })
      .prefault({})
      .describe('Route 53 settings (provider aws)'),
    azure: z
      .strictObject({ resourceGroup: z.string().default('').describe('Resource group of the DNS zones (else taken from azure.json)') })
      .prefault({})
      .describe('Azure DNS settings (provider azure)'),
    google: z
      .strictObject({ project: z.string().default('').describe('Google Cloud project of the DNS zones') })
      .prefault({})
      .describe('Cloud DNS settings (provider google)'),
    exoscale: z
      .strictObject({ apiZone: z.string().default('ch-gva-2').describe('Exoscale API zone') })
      .prefault({})
      .describe('Exoscale DNS settings (provider exoscale)'),
    webhook: z
      .strictObject({
        image: z
          .strictObject({
            repository: z.string().default('').describe('Image of an out-of-tree DNS provider (external-dns webhook API)'),
            tag: z.string().default('').describe('Pinned image tag of the webhook provider'),
          })
          .prefault({})
          .describe('Container image of the webhook provider'),
        args: z.array(z.string()).default([]).describe('Arguments for the webhook provider container'),
        secretEnv: z
          .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string().min(1))
          .default({})
          .describe(`Environment variable → key in the ${CREDENTIALS_SECRET} Secret, for the webhook's credentials`),
      })
      .prefault({})
      .describe('Out-of-tree DNS provider run as a sidecar (provider webhook)'),
  })
  .superRefine((s, issue) => {
    if (s.provider !== 'webhook') return;
    for (const key of ['repository', 'tag'] as const) {
      if (!s.webhook.image[key])
        issue.addIssue({ code: 'custom', path: ['webhook', 'image', key], message: `the webhook provider needs webhook.image.${key}` });
    }
  });

/**
 * external-dns: publishes the hostnames of Ingresses and Services in the environment's DNS zones.
 * Each cluster owns its records through a TXT registry with owner id `<env>-<cluster>`, so several
 * clusters can share a zone without deleting each other's records.
 */
export const externalDns = defineComponent({
  name: 'external-dns',
  description: 'Publishes DNS records for Ingress and Service hostnames (optional)',
  roles: ['management', 'workload'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'external-dns',
  dependsOn: ['kube-prometheus-stack'],
  controls: ['ISO 27001 A.17.2.1'],
  settings,
  secrets(ctx) {
    const p = resolveProvider(ctx.settings, ctx.env, ctx.cluster);
    const keys = credentialKeys(p, ctx.settings);
    return [
      {
        name: CREDENTIALS_SECRET,
        namespace: NS,
        keys: Object.keys(keys),
        description: `Credentials of the ${p} DNS provider for external-dns`,
        generate: Object.fromEntries(Object.entries(keys).map(([key, hint]) => [key, { type: 'user' as const, hint }])),
      },
    ];
  },
  render(ctx) {
    const { settings: s, env, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const provider = resolveProvider(s, env, cluster);
    const wiring = providerValues(provider, s);
    const domainFilters = [...new Set([env.domain, env.opsDomain, ...s.extraDomainFilters])];
    return {
      values: {
        ...wiring,
        sources: s.sources,
        policy: s.policy,
        registry: 'txt',
        txtOwnerId: `${env.name}-${cluster.name}`,
        domainFilters,
        interval: s.interval,
        logFormat: 'json',
        resources: resources('10m', '64Mi', '128Mi'),
        serviceMonitor: { enabled: monitored },
      },
      objects: [
        allow.apiServer('external-dns', cluster, NS),
        // DNS provider APIs are public HTTPS endpoints whose addresses change.
        egressTo('external-dns', cluster, 'dnsProviderApi', NS, 'allow-dns-provider-api', [{ port: 443 }]),
        ...(monitored ? [allow.fromMonitoring('external-dns', NS, [{ port: METRICS_PORT }])] : []),
      ],
    };
  },
});
