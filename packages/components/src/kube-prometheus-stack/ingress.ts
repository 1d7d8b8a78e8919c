import type { ClusterConfig } from '@ck8s/config';
import type { K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';

/** The cluster's IngressClass as the ingress component names it (its default when absent). */
export function ingressClassName(cluster: ClusterConfig): string {
  return (cluster.settings.components as Record<string, { className?: string } | undefined>).ingress?.className ?? 'traefik';
}

/**
 * An Ingress with a cert-manager certificate for one of the chart's Services. Rendered as an object
 * rather than through chart values: the chart's ingress values lack `ingressClassName`/`pathType`
 * defaults, and one builder keeps Grafana and Alertmanager identical.
 */
export function webIngress(cluster: ClusterConfig, namespace: string, name: string, host: string, service: string, port: number): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta('kube-prometheus-stack', name, namespace), annotations: { 'cert-manager.io/cluster-issuer': cluster.settings.certificates.issuer } },
    spec: {
      ingressClassName: ingressClassName(cluster),
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } }],
    },
  };
}
