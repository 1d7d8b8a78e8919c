/**
 * Names shared by the opensearch and opensearch-dashboards components (both live in one namespace,
 * so Dashboards reaches OpenSearch and its certificates without crossing namespaces).
 */
export const OPENSEARCH_NS = 'opensearch';
/** The chart names objects `<clusterName>-<nodeGroup>` (defaults `opensearch-cluster`, `master`). */
export const OPENSEARCH_CLUSTER = 'opensearch-cluster';
export const OPENSEARCH_SERVICE = 'opensearch-cluster-master';
export const OPENSEARCH_HTTP_PORT = 9200;
/** In-cluster REST endpoint: HTTPS with the platform CA's certificate (`opensearch.httpTls`), else plain HTTP. */
export function opensearchUrl(tls: boolean, host = OPENSEARCH_SERVICE): string {
  return `${tls ? 'https' : 'http'}://${host}:${OPENSEARCH_HTTP_PORT}`;
}
export const OPENSEARCH_POD = { matchLabels: { 'app.kubernetes.io/name': 'opensearch', 'app.kubernetes.io/instance': 'opensearch' } };

/** Passwords of OpenSearch's internal users (admin, the Dashboards server, one writer per workload cluster). */
export const USERS_SECRET = 'opensearch-users';
export const ADMIN_USER = 'admin';
export const DASHBOARDS_USER = 'dashboards';
/** `shareAs` of the Dashboards server user's password, known to OpenSearch and Dashboards. */
export const DASHBOARDS_SHARE = 'opensearch-dashboards-server';

/**
 * Private CA of OpenSearch's transport (node to node) and HTTP layers, issued by cert-manager. A
 * ClusterIssuer, so clients in other namespaces (the management cluster's Fluent Bit) get its
 * certificate too; its key stays in cert-manager's namespace.
 */
export const CA_ISSUER = 'opensearch-ca';
/**
 * Secret with the CA certificate (`ca.crt`) in each namespace whose pods call OpenSearch: written by a
 * cert-manager Certificate from the CA above, so no client mounts the node's or the CA's key.
 */
export const CA_BUNDLE_SECRET = 'opensearch-ca-bundle';
export const CA_BUNDLE_FILE = 'ca.crt';

/** The metrics exporter's internal user (monitoring APIs only) and the Secret with its password (key `password`). */
export const METRICS_USER = 'metrics';
export const METRICS_SECRET = 'opensearch-metrics';
export const METRICS_ROLE = 'metrics-reader';
