/**
 * Names shared by the opensearch and opensearch-dashboards components (both live in one namespace,
 * so Dashboards reaches OpenSearch and its certificates without crossing namespaces).
 */
export const OPENSEARCH_NS = 'opensearch';
/** The chart names objects `<clusterName>-<nodeGroup>` (defaults `opensearch-cluster`, `master`). */
export const OPENSEARCH_CLUSTER = 'opensearch-cluster';
export const OPENSEARCH_SERVICE = 'opensearch-cluster-master';
export const OPENSEARCH_HTTP_PORT = 9200;
/** In-cluster REST endpoint: TLS ends at the ingress, OpenSearch's HTTP layer is plain inside the namespace. */
export const OPENSEARCH_URL = `http://${OPENSEARCH_SERVICE}:${OPENSEARCH_HTTP_PORT}`;
export const OPENSEARCH_POD = { matchLabels: { 'app.kubernetes.io/name': 'opensearch', 'app.kubernetes.io/instance': 'opensearch' } };

/** Passwords of OpenSearch's internal users (admin, the Dashboards server, one writer per workload cluster). */
export const USERS_SECRET = 'opensearch-users';
export const ADMIN_USER = 'admin';
export const DASHBOARDS_USER = 'dashboards';
/** `shareAs` of the Dashboards server user's password, known to OpenSearch and Dashboards. */
export const DASHBOARDS_SHARE = 'opensearch-dashboards-server';

/** Private CA for the transport layer (node-to-node TLS), issued by cert-manager. */
export const CA_ISSUER = 'opensearch-ca';

/** The metrics exporter's internal user (monitoring APIs only) and the Secret with its password (key `password`). */
export const METRICS_USER = 'metrics';
export const METRICS_SECRET = 'opensearch-metrics';
export const METRICS_ROLE = 'metrics-reader';
