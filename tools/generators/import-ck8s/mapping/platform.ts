import type { Provider } from '@ck8s/config';
import { isPlainObject } from '@ck8s/config';
import {
  asBoolean,
  asString,
  asStringList,
  different,
  fixedAs,
  mapped,
  none,
  replaced,
  resources,
  type Converted,
  type ImportContext,
  type Rule,
} from './types';
import type { Area } from './area';

/** ck8s provider layer → our provider. City Cloud is an OpenStack cloud. */
export const PROVIDER_OF: Record<string, Provider> = {
  aws: 'aws',
  azure: 'azure',
  baremetal: 'baremetal',
  citycloud: 'openstack',
  elastx: 'elastx',
  exoscale: 'exoscale',
  openstack: 'openstack',
  safespring: 'safespring',
  upcloud: 'upcloud',
  none: 'none',
};

const provider = (v: unknown): Converted =>
  typeof v === 'string' && PROVIDER_OF[v] ? { value: PROVIDER_OF[v] } : { skip: `unknown provider ${JSON.stringify(v)}` };

const flavor = (v: unknown): Converted => (v === 'dev' || v === 'prod' || v === 'air-gapped' ? { value: v } : { skip: `unknown flavor ${JSON.stringify(v)}` });

const OBJECT_STORAGE_TYPES = ['s3', 'gcs', 'azure', 'none'];
const objectStorageType = (v: unknown): Converted =>
  typeof v === 'string' && OBJECT_STORAGE_TYPES.includes(v)
    ? { value: v }
    : { skip: `object storage type ${JSON.stringify(v)} is not one of ${OBJECT_STORAGE_TYPES.join(', ')}` };

const needsS3 = (ctx: ImportContext) => ctx.get('objectStorage.type') === 's3';

/** `<prefix>-<purpose>`: our bucket names; a ck8s bucket name that does not follow it cannot be kept. */
const bucketPrefix =
  (purpose: string) =>
  (v: unknown): Converted => {
    const suffix = `-${purpose}`;
    if (typeof v === 'string' && v.endsWith(suffix) && v.length > suffix.length) return { value: v.slice(0, -suffix.length) };
    return {
      skip:
        `our buckets are named <storage.objectStorage.bucketPrefix>-${purpose}; ${JSON.stringify(v)} does not follow it: copy the bucket's content ` +
        `to the new name (rclone copy) or rename the bucket`,
    };
  };

/** The issuer names both platforms create; anything else is an issuer of the operator's own. */
const issuer = (v: unknown): Converted =>
  v === 'letsencrypt-prod' || v === 'letsencrypt-staging'
    ? { value: v }
    : { skip: `issuer ${JSON.stringify(v)} is not one we create (letsencrypt-prod, letsencrypt-staging, custom-ca)` };

/** ck8s lists CIDRs comma-separated in one string. */
const cidrList = (v: unknown): Converted => {
  if (typeof v !== 'string' || !v.trim()) return { skip: `expected comma-separated CIDRs, got ${JSON.stringify(v)}` };
  return {
    value: v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
};

/** How traffic reaches the ingress controller, from how ingress-nginx was exposed. */
function loadBalancerMode(v: unknown, ctx: ImportContext): Converted {
  if (v === true) return { value: 'host-network' };
  if (v !== false) return { skip: `expected true or false, got ${JSON.stringify(v)}` };
  const type = ctx.get('ingressNginx.controller.service.type');
  if (ctx.get('ingressNginx.controller.service.enabled') !== true)
    return { skip: 'ingress-nginx had neither host ports nor a Service: set network.loadBalancerMode by hand' };
  if (type === 'NodePort') return { value: 'node-port' };
  return { value: 'service' };
}

/** The same ck8s domain must be ours: values that differ name another environment. */
const sameAs =
  (which: 'domain' | 'opsDomain', what: string) =>
  (v: unknown, ctx: ImportContext): Converted =>
    v === ctx[which] || v === ''
      ? { equal: `the environment's ${which} (${ctx[which]})` }
      : { skip: `${what}; our config has one ${which} for the environment (${ctx[which]})` };

const externalDnsSources = (_v: unknown, ctx: ImportContext): Converted => {
  const s = ctx.get('externalDns.sources');
  if (!isPlainObject(s)) return { skip: 'externalDns.sources is not a map' };
  const out = [...(s.ingress ? ['ingress'] : []), ...(s.service ? ['service'] : [])];
  return { value: out };
};

const EXTERNAL_DNS_PROVIDERS = ['aws', 'azure', 'cloudflare', 'google', 'exoscale'];

const rules: Rule[] = [
  // ---- the environment ----
  none('global.ck8sVersion', 'the release the config was written for; the importer checks it (v0.50.x) and our version is the commit of this repository'),
  mapped('global.ck8sCloudProvider', 'provider', { convert: provider, note: 'citycloud becomes openstack (City Cloud is an OpenStack cloud)' }),
  different(
    'global.ck8sEnvironmentName',
    'the environment is named by --name; where the buckets carry the old name it is kept as storage.objectStorage.bucketPrefix',
  ),
  mapped('global.ck8sFlavor', 'flavor', { convert: flavor }),
  different(
    'global.ck8sK8sInstaller',
    'our config has no installer setting: what depends on it (the cluster DNS address, global.clusterDns) is imported as ' +
      'components.nodeLocalDns.clusterDnsIp; Cluster API monitoring has no equivalent',
  ),
  mapped('global.baseDomain', 'domain', { clusters: 'sc', required: () => true }),
  different(
    'global.baseDomain',
    "the workload cluster's application domain; our workload clusters have no platform endpoints of their own, applications choose their hostnames",
    {
      clusters: 'wc',
      convert: sameAs('domain', "a workload cluster domain other than the management cluster's"),
    },
  ),
  mapped('global.opsDomain', 'opsDomain', { clusters: 'sc', required: () => true, note: 'dropped when it is ops.<domain>, our default' }),
  different('global.opsDomain', "the workload cluster's own ops domain; its platform traffic goes to the management cluster's ops endpoints", {
    clusters: 'wc',
    convert: sameAs('opsDomain', 'a workload cluster ops domain of its own'),
  }),
  mapped('global.scDomain', 'domain', {
    clusters: 'wc',
    structural: true,
    note: "checked: a workload cluster's scDomain must be the management cluster's domain",
  }),
  mapped('global.scOpsDomain', 'opsDomain', {
    clusters: 'wc',
    structural: true,
    note: "checked: a workload cluster's scOpsDomain must be the management cluster's ops domain",
  }),
  mapped('global.clusterName', 'clusters[].name', { structural: true, note: 'the cluster keeps its name (metrics, logs and alerts stay labelled as before)' }),
  mapped('global.clustersMonitoring', 'clusters[].name', {
    clusters: 'sc',
    structural: true,
    note: 'the workload clusters; each one listed needs its config path (--workloadConfigPaths), clusters without one are reported',
  }),
  mapped('global.issuer', 'certificates.issuer', { convert: issuer }),
  different(
    'global.verifyTls',
    'we always verify TLS between clusters; false (dev with staging certificates) has no equivalent: use letsencrypt-prod or a custom CA the clients trust',
    {
      convert: fixedAs(true, 'TLS is always verified', 'false has no equivalent'),
    },
  ),
  mapped('global.clusterDns', 'components.nodeLocalDns.clusterDnsIp', { convert: asString }),
  none('global.containerRuntime', "the container runtime is the cluster's; nothing reads it"),
  none('global.enforceIPFamilyPolicy', 'no IP family mutation webhook; Services keep the cluster default'),
  none('global.enforceIPFamilies', 'no IP family mutation webhook; Services keep the cluster default'),
  none('global.ipFamilyPolicy', 'no IP family setting: Services use the cluster default (single stack)'),
  none('global.ipFamilies', 'no IP family setting: Services use the cluster default (single stack)'),
  none('clusterApi.**', 'Cluster API and its autoscaler monitoring are not part of the platform; the clusters are managed outside it'),

  // ---- storage ----
  mapped('storageClasses.default', 'storage.storageClass'),
  mapped('objectStorage.type', 'storage.objectStorage.type', { convert: objectStorageType, required: () => true }),
  mapped('objectStorage.s3.region', 'storage.objectStorage.region', { required: needsS3, convert: asString }),
  mapped('objectStorage.s3.regionEndpoint', 'storage.objectStorage.endpoint', { required: needsS3, convert: asString }),
  different('objectStorage.s3.forcePathStyle', 'we always use path-style S3 addressing, which every S3 implementation we support serves; nothing to do', {
    convert: (v) => ({ equal: `path-style addressing is always on (${JSON.stringify(v)} here)` }),
  }),
  none('objectStorage.s3.v2Auth', 'S3 clients sign requests with signature v4; v2 is not supported'),
  mapped('objectStorage.azure.resourceGroup', 'components.velero.azure.resourceGroup'),
  mapped('objectStorage.azure.storageAccountName', 'components.velero.azure.storageAccount', { also: ['components.harbor.azureAccount'] }),
  none('objectStorage.gcs.**', 'GCS is reached through its S3-compatible API with HMAC keys: no project setting'),
  mapped('objectStorage.buckets.audit', 'storage.objectStorage.bucketPrefix', { convert: bucketPrefix('audit') }),
  mapped('objectStorage.buckets.velero', 'storage.objectStorage.bucketPrefix', { convert: bucketPrefix('velero') }),
  mapped('objectStorage.buckets.thanos', 'storage.objectStorage.bucketPrefix', { convert: bucketPrefix('thanos') }),
  mapped('objectStorage.buckets.harbor', 'storage.objectStorage.bucketPrefix', { convert: bucketPrefix('harbor') }),
  mapped('objectStorage.buckets.opensearch', 'storage.objectStorage.bucketPrefix', { convert: bucketPrefix('opensearch') }),
  replaced(
    'objectStorage.buckets.scFluentd',
    'fluent-bit',
    "the management cluster's own logs go to its OpenSearch; there is no sc-logs bucket (keep the old bucket for its retention period, then delete it)",
  ),
  different(
    'objectStorage.swift.**',
    'ck8s could put Harbor and Thanos on Swift; we use one object storage per cluster (storage.objectStorage, with Swift through its S3 API: type ' +
      'swift needs s3Endpoint). Copy the Swift containers into the new buckets before adopting Harbor and Thanos',
  ),
  none('objectStorage.restore.**', 'no restore job: restore from the off-site copies with rclone by hand (rclone-sync writes plain copies)'),
  mapped('objectStorage.sync.enabled', 'components.rcloneSync.enabled', { convert: asBoolean }),
  mapped('objectStorage.sync.defaultSchedule', 'components.rcloneSync.schedule', { convert: asString }),
  different(
    'objectStorage.sync.syncDefaultBuckets',
    'rclone-sync always copies every platform bucket of the environment; extra buckets are components.rcloneSync.extraBuckets',
  ),
  mapped('objectStorage.sync.buckets', 'components.rcloneSync.extraBuckets', {
    convert: (v) =>
      Array.isArray(v) && v.every((b) => isPlainObject(b) && typeof b.source === 'string' && Object.keys(b).every((k) => k === 'source'))
        ? { value: v.map((b) => (b as { source: string }).source) }
        : Array.isArray(v) && v.length === 0
          ? { value: [] }
          : {
              skip:
                'per-bucket destinations, schedules, types and paths have no equivalent: extra buckets are copied to <destinationPrefix><bucket> ' +
                'on the one schedule',
            },
  }),
  different('objectStorage.sync.destinationType', "the off-site destination (type, endpoint, keys) is the rclone-sync Secret's rclone config"),
  different('objectStorage.sync.s3.**', "the off-site destination (type, endpoint, keys) is the rclone-sync Secret's rclone config"),
  different('objectStorage.sync.swift.**', "the off-site destination (type, endpoint, keys) is the rclone-sync Secret's rclone config"),
  different('objectStorage.sync.secondaryUrl', 'egress to the off-site store follows its endpoint in the rclone config'),
  none('objectStorage.sync.encrypt.**', 'no client-side encryption of the off-site copies: use server-side encryption of the destination store'),
  none('objectStorage.sync.dryrun', 'no dry-run mode for the scheduled sync'),
  none('objectStorage.sync.activeDeadlineSeconds', 'the sync job uses its own deadline'),
  none('objectStorage.sync.resources.**', 'the sync job has fixed requests'),

  // ---- certificates ----
  different('issuers.letsencrypt.enabled', "we always create the Let's Encrypt issuers; certificates.issuer chooses which one signs the endpoints", {
    convert: fixedAs(true, "the Let's Encrypt issuers always exist", 'to use only a custom CA, set certificates.issuer: custom-ca'),
  }),
  mapped('issuers.letsencrypt.prod.email', 'certificates.email', { required: () => true }),
  different('issuers.letsencrypt.staging.email', 'one ACME account e-mail serves both issuers (certificates.email)', {
    convert: (v, ctx) =>
      v === ctx.get('issuers.letsencrypt.prod.email')
        ? { equal: 'the same e-mail as the production issuer' }
        : { skip: 'one ACME account e-mail serves both issuers (certificates.email, from the production issuer)' },
  }),
  different('issuers.letsencrypt.*.solvers', 'we solve ACME HTTP-01 challenges through the ingress class; DNS-01 solvers have no setting', {
    convert: fixedAs([], 'HTTP-01 through the ingress (the default solver)', 'DNS-01 and selector-based solvers have no equivalent'),
  }),
  none('issuers.extraIssuers', 'no extra issuers from config: add Issuer objects with the applications that need them'),
  ...resources('certmanager.resources', 'components.certManager.resources'),
  none('certmanager.webhook.resources.**', "the webhook's sizing is the chart's (replicas: components.certManager.webhook.replicas)"),
  none('certmanager.cainjector.resources.**', "the CA injector's sizing is the chart's (replicas: components.certManager.cainjector.replicas)"),
  none('certmanager.extraArgs', 'no extra controller arguments'),
  none('certmanager.cainjector.extraArgs', 'no extra cainjector arguments'),

  // ---- ingress and network ----
  different('externalTrafficPolicy.local', 'with a load balancer Service we always use externalTrafficPolicy Local (client addresses kept)', {
    convert: fixedAs(true, 'Local is what we use', 'Cluster has no equivalent'),
  }),
  mapped('externalTrafficPolicy.whitelistRange.global', 'network.ingressAllowedCidrs', { convert: cidrList }),
  different(
    'externalTrafficPolicy.whitelistRange.*',
    'one allow-list applies to every endpoint (network.ingressAllowedCidrs); per-endpoint lists have no equivalent',
    {
      convert: fixedAs(
        false,
        'no endpoint of its own',
        'restrict the whole ingress with network.ingressAllowedCidrs or the endpoint with a NetworkPolicy of your own',
      ),
    },
  ),
  mapped('ingressNginx.controller.useHostPort', 'network.loadBalancerMode', {
    convert: loadBalancerMode,
    note: 'host ports → host-network; a Service → service (NodePort → node-port); the controller itself is Traefik',
  }),
  mapped('ingressNginx.controller.service.enabled', 'network.loadBalancerMode', { partOf: 'ingressNginx.controller.useHostPort' }),
  mapped('ingressNginx.controller.service.type', 'network.loadBalancerMode', { partOf: 'ingressNginx.controller.useHostPort' }),
  replaced(
    'ingressNginx.**',
    'traefik',
    'ingress-nginx is retired upstream; Traefik serves the same Ingress objects (class "traefik", the cluster default). Its nginx annotations, ' +
      'snippets and ConfigMap options have no meaning there: review Ingresses that use nginx.ingress.kubernetes.io/* annotations',
  ),
  mapped('networkPolicies.global.scApiserver.ips', 'network.apiServerCidrs', { clusters: 'sc', convert: asStringList }),
  mapped('networkPolicies.global.wcApiserver.ips', 'network.apiServerCidrs', { clusters: 'wc', convert: asStringList }),
  different('networkPolicies.global.*Apiserver.port', 'egress to the API server is allowed on 443 and 6443', {
    convert: (v) =>
      v === 6443 || v === 443 ? { equal: 'ports 443 and 6443 are allowed' } : { skip: `port ${JSON.stringify(v)} is not allowed: only 443 and 6443` },
  }),
  different('networkPolicies.defaultDeny', 'every platform namespace always gets default-deny NetworkPolicies with the allowances its components need'),
  different(
    'networkPolicies.**',
    'our NetworkPolicies are computed from the config (endpoints, object storage URL, CIDRs above): the IP and port lists of ck8s are not needed. ' +
      'Egress to external services (object storage, receivers, identity providers) is allowed by port',
  ),
  none('networkPlugin.**', "the CNI is the cluster's; calico-accountant and Felix metrics are not deployed"),
  mapped('metricsServer.enabled', 'components.metricsServer.enabled', { convert: asBoolean }),
  none('metricsServer.resources.**', "metrics-server's sizing is the chart's (replicas: components.metricsServer.replicas)"),
  ...resources('nodeLocalDns.resources', 'components.nodeLocalDns.resources'),
  none('nodeLocalDns.customConfig', 'no extra DNS server blocks: forward zones through CoreDNS'),
  none('nodeLocalDns.hostZone.extraConfig', 'no extra DNS server blocks: forward zones through CoreDNS'),
  mapped('externalDns.enabled', 'components.externalDns.enabled', { convert: asBoolean }),
  mapped('externalDns.provider', 'components.externalDns.provider', {
    convert: (v) =>
      typeof v === 'string' && EXTERNAL_DNS_PROVIDERS.includes(v) ? { value: v } : { skip: `DNS provider ${JSON.stringify(v)} is not one we configure` },
  }),
  mapped('externalDns.sources.ingress', 'components.externalDns.sources', { convert: externalDnsSources }),
  mapped('externalDns.sources.service', 'components.externalDns.sources', { partOf: 'externalDns.sources.ingress' }),
  different('externalDns.sources.crd', 'DNSEndpoint objects are not a source: publish records through Ingresses and Services', {
    convert: fixedAs(false, 'not a source', 'records from DNSEndpoint objects have no equivalent'),
  }),
  none('externalDns.endpoints', 'no DNSEndpoint records from config'),
  mapped('externalDns.domains', 'components.externalDns.extraDomainFilters', { convert: asStringList, note: 'the domain and ops domain are always managed' }),
  different('externalDns.txtOwnerId', 'the TXT owner id is the cluster name: records owned under the old id are not touched (adopt or delete them)'),
  none('externalDns.txtPrefix', 'no TXT prefix setting'),
  none('externalDns.logLevel', 'external-dns logs at its default level'),
  none('externalDns.extraArgs', 'no extra arguments'),
  none('externalDns.namespaced', 'external-dns always watches the whole cluster'),
  none('externalDns.resources.**', "external-dns's sizing is the chart's"),
  none('images.**', 'no registry rewrite of every platform image; the air-gapped flavor pulls through local mirrors'),
  none('gpu.**', 'the NVIDIA GPU operator is not part of the platform: install it as an application of its own'),
  none('rookCeph.**', 'Rook/Ceph belongs to the infrastructure: its monitoring and policy exceptions are not part of the platform'),
  none('openstackMonitoring.**', 'OpenStack API metrics are not collected'),
  none('kubeVIPMonitoring.**', 'kube-vip metrics are not collected'),
];

export const platform: Area = {
  title: 'Platform: environment, domains, storage, certificates, ingress and network',
  roots: [
    'global',
    'clusterApi',
    'storageClasses',
    'objectStorage',
    'issuers',
    'certmanager',
    'externalTrafficPolicy',
    'ingressNginx',
    'networkPolicies',
    'networkPlugin',
    'metricsServer',
    'nodeLocalDns',
    'externalDns',
    'images',
    'gpu',
    'rookCeph',
    'openstackMonitoring',
    'kubeVIPMonitoring',
  ],
  rules,
};
