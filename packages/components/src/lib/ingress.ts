import type { ClusterConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { ingressSettings } from '../ingress/settings';
import { meta } from './objects';

/**
 * What every component needs to know about the cluster's ingress controller, and the Ingress
 * builders all platform endpoints use. The ingress component owns the settings (ingress/settings.ts);
 * the others read them through its typed `ingressSettings`, re-exported here next to the builders.
 */
export { ingressSettings, type IngressSettings } from '../ingress/settings';

/**
 * `spec.controller` of the IngressClass served by Traefik's Kubernetes Ingress NGINX provider. Only
 * the ingress component's own class carries it, so that provider sees nothing but the Ingresses that
 * ask for it, and the standard provider (controller `traefik.io/ingress-controller`) never sees them:
 * no Ingress is routed twice.
 */
export const AUTH_INGRESS_CONTROLLER = 'ck8s.io/traefik-ingress-nginx';

/** Name of that IngressClass: the cluster's class with `-auth` appended. */
export function authIngressClassName(className: string): string {
  return `${className}-auth`;
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

/** An Ingress with TLS from cert-manager on the cluster's ingress class (or `className`). */
export function webIngress(cluster: ClusterConfig, s: WebIngressSpec, className = ingressSettings(cluster).className): K8sObject {
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

/** Key of the htpasswd Secret behind basic auth: one `user:hash` line per identity (`auth-file`). */
export const BASIC_AUTH_KEY = 'auth';

/** ingress-nginx's basic-auth annotations, which Traefik's Ingress NGINX provider reads too. */
export function basicAuthAnnotations(secret: string, realm = 'Authentication required'): Record<string, string> {
  return {
    'nginx.ingress.kubernetes.io/auth-type': 'basic',
    'nginx.ingress.kubernetes.io/auth-secret': secret,
    'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
    'nginx.ingress.kubernetes.io/auth-realm': realm,
  };
}

/**
 * An Ingress that requires HTTP basic auth against an htpasswd Secret (key `auth`) in its namespace.
 * The annotations are the same on both controllers: ingress-nginx reads them natively on its normal
 * class; with Traefik the Ingress asks for the auth class (`<className>-auth`), which Traefik's
 * Ingress NGINX provider serves. No Traefik Middleware (a CRD) is involved.
 */
export function basicAuthIngress(cluster: ClusterConfig, s: WebIngressSpec & { secret: string; realm?: string }): K8sObject {
  const { controller, className } = ingressSettings(cluster);
  const { secret, realm, ...spec } = s;
  const ingressClass = controller === 'traefik' ? authIngressClassName(className) : className;
  return webIngress(cluster, { ...spec, annotations: { ...basicAuthAnnotations(secret, realm), ...spec.annotations } }, ingressClass);
}

/**
 * The controls HTTPS at the edge serves (encryption in transit, boundary protection, key management): both
 * halves of it claim them, the ingress controller that terminates TLS and cert-manager that keeps its
 * certificates valid, so one list keeps the two from drifting apart.
 */
export const HTTPS_EDGE_CONTROLS: readonly string[] = [
  'MSBFS 2020:7 4 kap. 1 §',
  'MSBFS 2020:7 4 kap. 2 §',
  'MSBFS 2020:7 4 kap. 7 §',
  'MSBFS 2020:7 4 kap. 9 §',
  'ISO 27001 A.10',
  'ISO 27001 A.10.1.2',
  'ISO 27001 A.13.1',
  'NIST SP 800-171 3.1.13',
  'NIST SP 800-171 3.1.20',
  'NIST SP 800-171 3.5.4',
  'NIST SP 800-171 3.13.1',
  'NIST SP 800-171 3.13.10',
];
