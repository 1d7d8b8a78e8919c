import { z } from 'zod';
import { ComplianceSettings } from './compliance';
import { DnsLabel, DomainName, Duration, Flavor, Provider, Role } from './enums';

/** Current config schema version; `migrate.ts` upgrades older files in memory. */
export const CONFIG_VERSION = 1;

export const ObjectStorage = z.strictObject({
  type: z.enum(['s3', 'gcs', 'azure', 'swift', 'none']).describe('Object storage API for backups, logs and metrics'),
  region: z.string().default('').describe('Region of the object storage service'),
  endpoint: z.string().default('').describe('S3 endpoint URL, or the Keystone URL for Swift; empty uses the provider default'),
  s3Endpoint: z.string().default('').describe('S3-compatible endpoint of a Swift store (s3api), for clients that only speak S3; required with type swift'),
  bucketPrefix: z.string().default('').describe('Prefix for every bucket name; defaults to the environment name'),
  credentialsSecret: z.string().default('object-storage').describe('SOPS Secret (in environments/<env>/secrets/) with the access keys'),
});

/** IPv4 or IPv6 CIDR. */
const Cidr = z.string().regex(/^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F:]+)\/[0-9]{1,3}$/, { message: 'a CIDR such as "198.51.100.0/24"' });
const egressTo = (what: string) => z.array(Cidr).min(1).default(['0.0.0.0/0']).describe(`Addresses of ${what}; ["0.0.0.0/0"] allows any address`);

/**
 * Where NetworkPolicies let platform pods connect outside the cluster, one key per kind of
 * destination. A rule to any address exists only where its key holds 0.0.0.0/0 (the default where
 * no public, stable ranges are known); narrow a key to your provider's published ranges to tighten it.
 */
export const EGRESS_DESTINATIONS = {
  objectStorage: 'the object storage endpoints (backups, log archive, snapshots, metric blocks, images)',
  managementEndpoints: "the management cluster's ingress, where workload clusters push logs, metrics and alerts",
  platformEndpoints: "this environment's own public endpoints (Dex's issuer URL for sign-in and token checks)",
  identityProviders: 'the upstream identity providers Dex federates (OIDC, LDAP)',
  acme: "the ACME servers certificates are issued by (Let's Encrypt)",
  dnsProviderApi: "the DNS provider's API external-dns updates records through",
  registries: 'the container registries and vulnerability databases Trivy and Harbor read',
  falcoRules: 'the registry the falco-rules artifact is installed from',
  notifications: 'notification webhooks (Alertmanager receivers, kured)',
  probes: 'the HTTPS endpoints the blackbox exporter probes',
  nodes: "the cluster's nodes, scraped by Prometheus (node exporter, kubelet, control plane)",
} as const;
export type EgressDestination = keyof typeof EGRESS_DESTINATIONS;
/** Annotation a NetworkPolicy carries to name the `network.egress` key its external addresses come from. */
export const EGRESS_KEY_ANNOTATION = 'ck8s.io/egress-destination';
/** The other key egress addresses come from: the API server's (`network.apiServerCidrs`). */
export const API_SERVER_KEY = 'network.apiServerCidrs';
const Egress = z
  .strictObject(
    Object.fromEntries(Object.entries(EGRESS_DESTINATIONS).map(([k, what]) => [k, egressTo(what)])) as {
      [K in EgressDestination]: ReturnType<typeof egressTo>;
    },
  )
  .prefault({});

/**
 * Mirrors for environments without internet access (required by the air-gapped flavor): every chart
 * comes from one Helm repository or OCI registry, and every container image from one registry that
 * holds each image under its original repository path.
 */
const Mirrors = z
  .strictObject({
    charts: z
      .string()
      .regex(/^(oci|https):\/\/[^\s]+$/, { message: 'an oci:// registry path or an https:// Helm repository' })
      .or(z.literal(''))
      .default('')
      .describe(
        'Where every chart is pulled from instead of its own repository ' +
          "(oci://registry.example.com/charts, or an https Helm repository holding them all); empty: each chart's own repository",
      ),
    images: z
      .string()
      .regex(/^[a-z0-9.-]+(:[0-9]+)?$/, { message: 'a registry host (and optional port) such as "registry.example.com"' })
      .or(z.literal(''))
      .default('')
      .describe(
        'Registry host every container image is pulled from, under its original repository path ' +
          "(docker.io/falcosecurity/falco -> <mirror>/falcosecurity/falco); empty: the images' own registries",
      ),
  })
  .prefault({});

const Webhook = z.strictObject({
  name: DnsLabel.describe('Name of the Flux notification Provider'),
  type: z.enum(['slack', 'msteams', 'generic']).describe('Notification service of the webhook'),
  channel: z.string().optional().describe("Channel to post to (slack); empty uses the webhook's default"),
  secretName: z.string().describe('SOPS Secret holding the webhook address under key `address`'),
});

/** Settings that layer: defaults ◀ flavor ◀ provider ◀ environment ◀ cluster. */
export function settingsShape<C extends z.ZodRawShape>(components: z.ZodObject<C>) {
  return {
    certificates: z.strictObject({
      issuer: z.enum(['letsencrypt-staging', 'letsencrypt-prod', 'custom-ca']).describe('Default ClusterIssuer for platform endpoints'),
      email: z.email().describe("ACME account e-mail for Let's Encrypt"),
      customCASecret: z.string().default('custom-ca').describe('SOPS Secret with tls.crt/tls.key when issuer is custom-ca'),
    }),
    storage: z.strictObject({
      storageClass: z.string().describe('StorageClass for persistent volumes'),
      objectStorage: ObjectStorage,
    }),
    network: z.strictObject({
      loadBalancerMode: z.enum(['service', 'host-network', 'node-port']).describe('How ingress traffic reaches the ingress controller'),
      allowLoadBalancerServices: z.boolean().describe('Whether users may create Services of type LoadBalancer'),
      ingressAllowedCidrs: z.array(z.string()).default(['0.0.0.0/0']).describe('Source ranges allowed to reach the ingress controller'),
      apiServerCidrs: z.array(z.string()).default(['0.0.0.0/0']).describe('Addresses of the Kubernetes API server; NetworkPolicies allow egress to them only'),
      egress: Egress.describe('Egress by destination: the addresses each kind of external destination may have'),
    }),
    flux: z.strictObject({
      interval: Duration.default('10m').describe('How often Flux reconciles each Kustomization and HelmRelease (and corrects drift)'),
      retryInterval: Duration.default('2m').describe('How soon Flux retries a failed reconciliation'),
      timeout: Duration.default('5m').describe('How long one apply or Helm action may take before it counts as failed'),
      driftDetection: z.enum(['enabled', 'warn', 'disabled']).describe('HelmRelease drift detection mode'),
      remediationRetries: z
        .number()
        .int()
        .min(0)
        .max(10)
        .default(3)
        .describe('How often a failed Helm install or upgrade is retried (rolled back first on upgrade)'),
    }),
    notifications: z
      .strictObject({
        alertmanager: z.boolean().default(true).describe("Send Flux events to the management cluster's Alertmanager"),
        webhooks: z.array(Webhook).default([]).describe('More receivers of Flux events (drift corrections, failed reconciliations)'),
      })
      .prefault({}),
    alerting: z
      .strictObject({
        runbookBaseUrl: z
          .string()
          .regex(/^(https?:\/\/\S+)?$/, { message: 'an http:// or https:// URL' })
          .default('')
          .describe(
            "Base URL of the runbooks every alert's runbook_url points into (<base>/<group>.md#<alert>); " +
              'empty derives it from git.url and git.branch: <repository web URL>/blob/<branch>/docs/runbooks',
          ),
      })
      .prefault({}),
    podSecurity: z
      .strictObject({
        platformLevel: z
          .enum(['privileged', 'baseline', 'restricted'])
          .default('baseline')
          .describe('Pod Security level enforced on platform namespaces that allow it'),
      })
      .prefault({}),
    components: components.prefault({} as never),
  };
}

const ClusterEntry = z.strictObject({
  name: DnsLabel.describe('Cluster name, unique in the environment; also its folder under clusters/<env>/'),
  role: Role.describe('management (exactly one) or workload'),
});

const Git = z.strictObject({
  url: z
    .string()
    .regex(/^(ssh|https):\/\/\S+$/, { message: 'an ssh:// or https:// Git URL' })
    .describe('Repository Flux pulls from'),
  branch: z.string().min(1).default('main').describe('Branch Flux follows'),
  secretName: z.string().default('flux-system').describe('Secret with the Git credentials (created at bootstrap)'),
});

export function environmentSchema<C extends z.ZodRawShape>(components: z.ZodObject<C>) {
  const settings = settingsShape(components);
  return z.strictObject({
    version: z.literal(CONFIG_VERSION).describe('Config schema version'),
    flavor: Flavor.describe('Preset of defaults: dev, prod or air-gapped'),
    provider: Provider.describe('Infrastructure: storage classes, object storage API, load balancer mode'),
    domain: DomainName.describe('Base domain; user-facing endpoints live under it'),
    opsDomain: DomainName.optional().describe('Domain of operator endpoints; defaults to ops.<domain>'),
    git: Git,
    sops: z
      .strictObject({
        ageRecipients: z
          .array(z.string().regex(/^age1[0-9a-z]+$/, { message: 'an age recipient (age1...)' }))
          .default([])
          .describe("age public keys the environment's secrets are encrypted for (as in .sops.yaml)"),
      })
      .prefault({}),
    clusters: z
      .array(ClusterEntry)
      .min(2, { message: 'one management and at least one workload cluster' })
      .describe('The management cluster and the workload clusters'),
    compliance: ComplianceSettings,
    mirrors: Mirrors,
    ...settings,
  });
}

/** A per-cluster overrides file may change settings and the provider, nothing that names the environment. */
export function clusterOverridesSchema<C extends z.ZodRawShape>(components: z.ZodObject<C>) {
  const settings = settingsShape(components);
  return z.strictObject({ provider: Provider.optional().describe("Infrastructure of this cluster when it differs from the environment's"), ...settings });
}
