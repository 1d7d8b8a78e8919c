import { createHash } from 'node:crypto';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import type { RenderContext } from '../lib/component';
import { meta, netpol, peers, type Port } from '../lib/objects';

/**
 * Helpers shared by the management-cluster components (dex, thanos, user-grafana, opensearch,
 * opensearch-dashboards, harbor, blackbox exporter, rclone-sync). Kept apart from lib/ so the
 * shared contract there stays small; candidates to move into lib/ once other groups need them.
 */

type AnyCtx = Pick<RenderContext<unknown>, 'env' | 'cluster' | 'isEnabled'>;

/** HA (several replicas, PodDisruptionBudgets) everywhere but dev. */
export function isProd(env: EnvironmentConfig): boolean {
  return env.flavor !== 'dev';
}

export interface IngressSettings {
  controller: 'traefik' | 'ingress-nginx';
  className: string;
}

/** The cluster's ingress controller as the ingress component is configured (its defaults when absent). */
export function ingressSettings(cluster: ClusterConfig): IngressSettings {
  const s = (cluster.settings.components as Record<string, { controller?: string; className?: string } | undefined>).ingress;
  return { controller: s?.controller === 'ingress-nginx' ? 'ingress-nginx' : 'traefik', className: s?.className ?? 'traefik' };
}

/** Annotations every platform Ingress carries: certificates from the cluster's issuer. */
export function tlsAnnotations(cluster: ClusterConfig): Record<string, string> {
  return { 'cert-manager.io/cluster-issuer': cluster.settings.certificates.issuer };
}

export interface WebIngressSpec {
  component: string;
  namespace: string;
  name: string;
  host: string;
  service: string;
  port: number;
  annotations?: Record<string, string>;
}

/** An Ingress with TLS from cert-manager on the cluster's ingress class. */
export function webIngress(cluster: ClusterConfig, s: WebIngressSpec): K8sObject {
  const { className } = ingressSettings(cluster);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta(s.component, s.name, s.namespace), annotations: { ...tlsAnnotations(cluster), ...s.annotations } },
    spec: {
      ingressClassName: className,
      tls: [{ hosts: [s.host], secretName: `${s.name}-tls` }],
      rules: [
        {
          host: s.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: s.service, port: { number: s.port } } } }] },
        },
      ],
    },
  };
}

/**
 * HTTP basic auth in front of an Ingress, for the controller in use. The Secret holds one key with
 * htpasswd lines: Traefik reads a Secret with exactly one key, ingress-nginx (`auth-file`) reads `auth`.
 */
export const BASIC_AUTH_KEY = 'auth';

export function basicAuth(cluster: ClusterConfig, component: string, namespace: string, secret: string): { annotations: Record<string, string>; objects: K8sObject[] } {
  const { controller } = ingressSettings(cluster);
  if (controller === 'ingress-nginx') {
    return {
      annotations: {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': secret,
        'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
        'nginx.ingress.kubernetes.io/auth-realm': 'Authentication required',
      },
      objects: [],
    };
  }
  // Traefik has no annotation for basic auth: a Middleware (CRD from the ingress component) does it.
  const middleware: K8sObject = {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'Middleware',
    metadata: meta(component, secret, namespace),
    spec: { basicAuth: { secret, removeHeader: true } },
  };
  return { annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': `${namespace}-${secret}@kubernetescrd` }, objects: [middleware] };
}

/** Whether an Ingress of this cluster needs the ingress component's CRDs (Traefik Middlewares). */
export function needsIngressCrds(cluster: ClusterConfig): boolean {
  return ingressSettings(cluster).controller === 'traefik';
}

/** Object storage and bucket naming are shared with the other groups (lib/object-storage). */
export { bucketName, objectStorage } from '../lib/object-storage';

/** Host (and port) of an endpoint URL, without scheme: what S3 clients that take a host want. */
export function endpointHost(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/**
 * A short, stable digest of some content. Jobs are immutable, so a Job that applies configuration
 * carries the digest of that configuration in its name: a change renders a new Job (Flux prunes the
 * old one), an unchanged configuration renders the same Job and nothing re-runs.
 */
export function contentHash(content: unknown): string {
  return createHash('sha256').update(typeof content === 'string' ? content : JSON.stringify(content)).digest('hex').slice(0, 8);
}

/** Labels that make kube-prometheus-stack's Prometheus pick up a ServiceMonitor/Probe/PrometheusRule. */
export const PROMETHEUS_SELECTOR_LABELS = { release: 'kube-prometheus-stack' };

/** Pod and container security settings that satisfy the `restricted` Pod Security level. */
export const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Environment variable name for a secret key (`writer-a` → `WRITER_A`). */
export function envName(...parts: string[]): string {
  return parts.join('_').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** NetworkPolicy allows the management components keep needing (the namespace itself is default-deny). */
export const allow = {
  /** Web traffic from the ingress controller. */
  fromIngress: (component: string, ns: string, ports: Port[], podSelector: Record<string, unknown> = {}, name = 'allow-from-ingress') =>
    netpol.allowIngress(component, ns, name, [peers.namespace('ingress')], ports, podSelector),
  /** Metrics scraping and blackbox probes from the monitoring namespace. */
  fromMonitoring: (component: string, ns: string, ports: Port[], podSelector: Record<string, unknown> = {}, name = 'allow-metrics') =>
    netpol.allowIngress(component, ns, name, [peers.namespace('monitoring')], ports, podSelector),
  /** Pods of the namespace talk to each other (replication, gossip, internal APIs). */
  sameNamespace: (component: string, ns: string): K8sObject[] => [
    netpol.allowIngress(component, ns, 'allow-same-namespace-ingress', [{ podSelector: {} }], []),
    netpol.allowEgress(component, ns, 'allow-same-namespace-egress', [{ podSelector: {} }], []),
  ],
  /** The Kubernetes API server (controllers, leader election, Dex's CRD storage). */
  apiServer: (component: string, cluster: ClusterConfig, ns: string, podSelector: Record<string, unknown> = {}) =>
    netpol.allowEgress(component, ns, 'allow-apiserver', cluster.settings.network.apiServerCidrs.map(peers.cidr), [{ port: 443 }, { port: 6443 }], podSelector),
  /**
   * HTTPS to anywhere: object storage endpoints, upstream identity providers, and the platform's own
   * public endpoints (Dex's issuer URL) whose load balancer address is not known when rendering.
   */
  httpsOut: (component: string, ns: string, name: string, podSelector: Record<string, unknown> = {}) =>
    netpol.allowEgress(component, ns, name, [peers.cidr('0.0.0.0/0')], [{ port: 443 }], podSelector),
  /** The ingress controller's pods, for in-cluster hairpin traffic to public endpoints (OIDC discovery). */
  toIngress: (component: string, ns: string, podSelector: Record<string, unknown> = {}, name = 'allow-to-ingress') =>
    netpol.allowEgress(component, ns, name, [peers.namespace('ingress')], [{ port: 80 }, { port: 443 }, { port: 8000 }, { port: 8443 }], podSelector),
};

export type { AnyCtx };
