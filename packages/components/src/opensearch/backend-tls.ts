import type { ClusterConfig } from '@ck8s/config';
import { authIngressClassName, ingressSettings } from '../lib/ingress';
import { CA_BUNDLE_SECRET, OPENSEARCH_NS, OPENSEARCH_SERVICE } from './names';

export interface BackendTls {
  /** On the Ingress: HTTPS to the backend, verified against the platform CA and the service name. */
  ingressAnnotations: Record<string, string>;
  /** The IngressClass that reads those annotations. */
  ingressClass: string;
}

/**
 * How the ingress controller reaches OpenSearch's REST API when it serves TLS: over HTTPS, verifying
 * the node certificate against the platform CA (`opensearch-ca-bundle`) and the service name, never
 * skipping verification. ingress-nginx reads the annotations on its normal class; with Traefik the
 * Ingress asks for the auth class, served by Traefik's Ingress NGINX provider, which reads the same
 * annotations (as for basic auth: no Traefik CRD is involved).
 */
export function backendTls(cluster: ClusterConfig, tls: boolean): BackendTls {
  const { controller, className } = ingressSettings(cluster);
  if (!tls) return { ingressAnnotations: {}, ingressClass: className };
  return {
    ingressAnnotations: {
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
      'nginx.ingress.kubernetes.io/proxy-ssl-secret': `${OPENSEARCH_NS}/${CA_BUNDLE_SECRET}`,
      'nginx.ingress.kubernetes.io/proxy-ssl-name': OPENSEARCH_SERVICE,
      'nginx.ingress.kubernetes.io/proxy-ssl-server-name': 'on',
    },
    ingressClass: controller === 'traefik' ? authIngressClassName(className) : className,
  };
}
