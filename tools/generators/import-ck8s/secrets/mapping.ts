import type { RequiredSecret } from '@ck8s/render';
import { getPath } from '../source/effective';
import type { Outcome } from '../mapping';

/**
 * ck8s secrets.yaml keys → our SOPS Secrets. A destination names one of our Secrets and key
 * (`namespace/name`, key); whether it is needed at all, and whether its value is shared with other
 * Secrets (an OIDC client secret Dex and its client both hold), comes from packages/render
 * `requiredSecrets`, as for every generator. `derive` builds values that combine several ck8s keys.
 */

export interface SecretDestination {
  secret: string;
  key: string;
  /** The value from the whole decrypted secrets.yaml (default: the source key's own value). */
  derive?: (plain: Record<string, unknown>, req: RequiredSecret) => string | undefined;
}

export interface SecretRule {
  source: string;
  outcome: Exclude<Outcome, 'default'>;
  to?: SecretDestination[];
  /**
   * Without the old value: `copy` means the running system depends on it (a database password, real
   * object storage keys), so it must be copied by hand; `rotate` means a fresh value works because
   * both sides are deployed together.
   */
  withoutValue?: 'copy' | 'rotate';
  note: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const s3 = (plain: Record<string, unknown>) => ({
  id: str(getPath(plain, ['objectStorage', 's3', 'accessKey'])),
  secret: str(getPath(plain, ['objectStorage', 's3', 'secretKey'])),
});

const accessKey = (secret: string, key: string): SecretDestination => ({ secret, key, derive: (p) => s3(p).id });
const secretKey = (secret: string, key: string): SecretDestination => ({ secret, key, derive: (p) => s3(p).secret });

/** Velero's AWS credentials file. */
const veleroCloud: SecretDestination = {
  secret: 'velero/object-storage',
  key: 'cloud',
  derive: (p) => {
    const k = s3(p);
    return k.id && k.secret ? `[default]\naws_access_key_id = ${k.id}\naws_secret_access_key = ${k.secret}\n` : undefined;
  },
};

/** Thanos's objstore.yml: the component's own template (the requirement's hint) with the keys filled in. */
const thanosObjstore: SecretDestination = {
  secret: 'thanos/thanos-objstore',
  key: 'objstore.yml',
  derive: (p, req) => {
    const k = s3(p);
    const hint = req.generate['objstore.yml'];
    const template = hint?.type === 'user' ? hint.hint : undefined;
    if (!k.id || !k.secret || !template?.includes('<access key>') || !template.includes('<secret key>')) return undefined;
    return `${template.replace('<access key>', k.id).replace('<secret key>', k.secret)}\n`;
  },
};

const one = (secret: string, key: string): SecretDestination[] => [{ secret, key }];

export const SECRET_RULES: readonly SecretRule[] = [
  { source: 'objectStorage', outcome: 'none', note: 'no object storage credentials in this file (an empty map)' },
  {
    source: 'objectStorage.s3.accessKey',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'the object storage access key, in every Secret of ours that holds it',
    to: [
      accessKey('fluent-bit/object-storage', 'access-key-id'),
      accessKey('opensearch/opensearch-snapshot-credentials', 's3.client.default.access_key'),
      accessKey('harbor/harbor-registry-storage', 'REGISTRY_STORAGE_S3_ACCESSKEY'),
      veleroCloud,
      thanosObjstore,
    ],
  },
  {
    source: 'objectStorage.s3.secretKey',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'the object storage secret key, with the access key',
    to: [
      secretKey('fluent-bit/object-storage', 'secret-access-key'),
      secretKey('opensearch/opensearch-snapshot-credentials', 's3.client.default.secret_key'),
      secretKey('harbor/harbor-registry-storage', 'REGISTRY_STORAGE_S3_SECRETKEY'),
    ],
  },
  {
    source: 'objectStorage.azure.**',
    outcome: 'different',
    withoutValue: 'copy',
    note: 'Azure storage keys go into the object storage Secrets by hand (their formats differ per client: see the placeholders)',
  },
  {
    source: 'objectStorage.gcs.**',
    outcome: 'different',
    withoutValue: 'copy',
    note: 'GCS is reached with HMAC keys through its S3 API: create HMAC keys and put them into the object storage Secrets',
  },
  {
    source: 'objectStorage.swift.**',
    outcome: 'different',
    withoutValue: 'copy',
    note: 'Swift credentials: our clients use the S3 API of the store (EC2 credentials), not Keystone users',
  },
  {
    source: 'objectStorage.sync.**',
    outcome: 'different',
    withoutValue: 'copy',
    note: "the off-site destination's credentials belong in the rclone-sync Secret's rclone config",
  },
  {
    source: 'grafana.password',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: "the ops Grafana's admin password (kept in Grafana's database after its first start)",
    to: one('monitoring/grafana-admin', 'admin-password'),
  },
  {
    source: 'grafana.opsClientSecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: 'OIDC client secret of the ops Grafana (Dex holds the same value)',
    to: one('monitoring/grafana-oidc', 'client-secret'),
  },
  {
    source: 'grafana.clientSecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "OIDC client secret of the users' Grafana (Dex holds the same value)",
    to: one('grafana/user-grafana-oidc', 'client-secret'),
  },
  { source: 'grafana.*.envRenderSecret', outcome: 'none', note: 'no extra datasource credentials from config' },
  {
    source: 'user.grafanaPassword',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: "the users' Grafana admin password",
    to: one('grafana/user-grafana-admin', 'admin-password'),
  },
  { source: 'user.alertmanagerPassword', outcome: 'none', note: "the users' Alertmanager has no ingress and no basic-auth user" },
  {
    source: 'harbor.password',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: "Harbor's initial admin password (Harbor keeps the current one in its database)",
    to: one('harbor/harbor-admin', 'HARBOR_ADMIN_PASSWORD'),
  },
  {
    source: 'harbor.clientSecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: 'OIDC client secret of Harbor (Dex holds the same value)',
    to: one('harbor/harbor-oidc', 'client-secret'),
  },
  { source: 'harbor.xsrf', outcome: 'mapped', withoutValue: 'rotate', note: "Harbor core's CSRF key", to: one('harbor/harbor-core', 'CSRF_KEY') },
  { source: 'harbor.coreSecret', outcome: 'mapped', withoutValue: 'rotate', note: "Harbor core's internal secret", to: one('harbor/harbor-core', 'secret') },
  {
    source: 'harbor.jobserviceSecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "Harbor jobservice's internal secret",
    to: one('harbor/harbor-jobservice', 'JOBSERVICE_SECRET'),
  },
  {
    source: 'harbor.registrySecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "the registry's HTTP secret",
    to: one('harbor/harbor-registry', 'REGISTRY_HTTP_SECRET'),
  },
  {
    source: 'harbor.internal.databasePassword',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: "the password of Harbor's internal PostgreSQL (the database on its volume keeps it)",
    to: one('harbor/harbor-database', 'password'),
  },
  { source: 'harbor.external.**', outcome: 'none', note: 'no external database' },
  { source: 'harbor.objectStorage.**', outcome: 'none', note: 'one object storage per cluster' },
  {
    source: 'thanos.receiver.basic_auth.password',
    outcome: 'different',
    note: 'each workload cluster writes metrics with a password of its own (generated): the shared ck8s password retires with the old receiver ingress',
  },
  { source: 'thanos.objectStorage.**', outcome: 'none', note: 'one object storage per cluster' },
  {
    source: 'opensearch.adminPassword',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "OpenSearch's admin user (our configurer job applies it)",
    to: one('opensearch/opensearch-users', 'admin-password'),
  },
  {
    source: 'opensearch.dashboardsPassword',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "OpenSearch Dashboards' server user",
    to: one('opensearch/opensearch-dashboards-account', 'password'),
  },
  {
    source: 'opensearch.clientSecret',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: 'OIDC client secret of OpenSearch Dashboards (Dex holds the same value)',
    to: one('opensearch/opensearch-dashboards-oidc', 'client-secret'),
  },
  {
    source: 'opensearch.dashboardsCookieEncKey',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "Dashboards' cookie encryption key (a new one ends open sessions)",
    to: one('opensearch/opensearch-dashboards-account', 'cookie'),
  },
  {
    source: 'opensearch.metricsExporterPassword',
    outcome: 'mapped',
    withoutValue: 'rotate',
    note: "the metrics exporter's read-only user",
    to: one('opensearch/opensearch-metrics', 'password'),
  },
  { source: 'opensearch.fluentdPassword', outcome: 'replaced', note: 'Fluent Bit writes logs as writer-<cluster>, one password per cluster (generated)' },
  ...['adminHash', 'configurerHash', 'dashboardsHash'].map((k): SecretRule => ({
    source: `opensearch.${k}`,
    outcome: 'none',
    note: 'bcrypt hashes are computed from the passwords by our configurer job',
  })),
  { source: 'opensearch.configurerPassword', outcome: 'none', note: 'our configurer job uses the admin user' },
  { source: 'opensearch.curatorPassword', outcome: 'none', note: 'no curator (the index lifecycle deletes old indices)' },
  { source: 'opensearch.snapshotterPassword', outcome: 'none', note: 'snapshots are managed by the snapshot lifecycle, with no user of their own' },
  { source: 'opensearch.extraUsers', outcome: 'none', note: 'no extra internal users from config: people log in through Dex' },
  { source: 'opensearch.objectStorage.**', outcome: 'none', note: 'one object storage per cluster' },
  {
    source: 'kubeapiMetricsPassword',
    outcome: 'none',
    note: "no API server metrics endpoint with basic auth: the management cluster's Thanos gets each cluster's metrics by remote write",
  },
  {
    source: 'alerts.slack.apiUrl',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'the Slack webhook URL of receiver "slack"',
    to: one('monitoring/alertmanager-receivers', 'slack'),
  },
  {
    source: 'alerts.opsGenie.apiKey',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'the OpsGenie API key of receiver "opsgenie"',
    to: one('monitoring/alertmanager-receivers', 'opsgenie'),
  },
  {
    source: 'kured.slack.botToken',
    outcome: 'different',
    note: 'kured notifications take a shoutrrr URL (kured-notify Secret, key url), e.g. slack://<token>@<channel>',
  },
  {
    source: 'dex.staticPassword',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'bcrypt hash of the static admin login (dev flavor only)',
    to: one('dex/dex-static-password', 'hash'),
  },
  { source: 'dex.kubeloginClientSecret', outcome: 'none', note: 'kubelogin is a public OIDC client: no secret' },
  {
    source: 'dex.connectors',
    outcome: 'mapped',
    withoutValue: 'copy',
    note: 'each connector goes to components.dex.connectors (config) and its secret (clientSecret, bindPW) to the Secret dex-connector-<id>',
  },
  { source: 'dex.additionalStaticClients', outcome: 'none', note: 'no extra OIDC clients from config' },
  { source: 'dex.extraStaticLogins', outcome: 'none', note: 'no static logins besides the dev admin: add users at the identity provider' },
  { source: 'issuers.secrets.**', outcome: 'none', note: 'no DNS-01 solver credentials (HTTP-01 only)' },
  {
    source: 'externalDns.**',
    outcome: 'different',
    withoutValue: 'copy',
    note: 'DNS provider credentials go into the external-dns credentials Secret when components.externalDns is enabled',
  },
];
