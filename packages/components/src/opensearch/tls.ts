import type { K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';
import { CA_BUNDLE_SECRET, CA_ISSUER, OPENSEARCH_NS, OPENSEARCH_SERVICE } from './names';

/** Secret cert-manager writes the node certificate to (tls.crt, tls.key, ca.crt). */
export const NODE_TLS_SECRET = 'opensearch-node-tls';
/** Distinguished name of the node certificate; the security plugin trusts it as a cluster node. */
export const NODE_DN = 'CN=opensearch-node';
/** cert-manager's own namespace: a CA ClusterIssuer reads its key from there. */
const CERT_MANAGER_NS = 'cert-manager';

const C = 'opensearch';
const ns = OPENSEARCH_NS;
/** The security plugin reads PKCS#8 keys only. */
const KEY = { algorithm: 'RSA', size: 2048, encoding: 'PKCS8', rotationPolicy: 'Always' };

/**
 * OpenSearch's certificates: a self-signed CA (its key in cert-manager's namespace, behind the
 * ClusterIssuer `opensearch-ca`) and a node certificate every OpenSearch pod presents, to the other
 * nodes (transport) and to REST clients (HTTP), valid for every name clients use. Applied with the
 * release (not as config) because the pods cannot start without them; cert-manager, a dependency,
 * has the CRDs.
 */
export function opensearchCertificates(): K8sObject[] {
  const service = OPENSEARCH_SERVICE;
  return [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(C, 'opensearch-selfsigned', CERT_MANAGER_NS), spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(C, 'opensearch-ca', CERT_MANAGER_NS),
      spec: {
        isCA: true,
        commonName: 'opensearch-ca',
        secretName: 'opensearch-ca',
        duration: '87600h',
        privateKey: KEY,
        issuerRef: { kind: 'Issuer', name: 'opensearch-selfsigned' },
      },
    },
    { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: meta(C, CA_ISSUER), spec: { ca: { secretName: 'opensearch-ca' } } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(C, 'opensearch-node', ns),
      spec: {
        secretName: NODE_TLS_SECRET,
        commonName: 'opensearch-node',
        duration: '8760h',
        renewBefore: '720h',
        privateKey: KEY,
        usages: ['server auth', 'client auth', 'digital signature', 'key encipherment'],
        dnsNames: [
          service,
          `${service}.${ns}.svc`,
          `${service}.${ns}.svc.cluster.local`,
          `${service}-headless`,
          `*.${service}-headless`,
          `*.${service}-headless.${ns}.svc`,
          `*.${service}-headless.${ns}.svc.cluster.local`,
        ],
        issuerRef: { kind: 'ClusterIssuer', name: CA_ISSUER },
      },
    },
  ];
}

/**
 * The CA certificate for the clients in `namespace` (Secret `opensearch-ca-bundle`, key `ca.crt`):
 * a short client certificate from the same CA, whose Secret cert-manager fills with the CA's
 * certificate. Clients verify OpenSearch with `ca.crt` and use nothing else from it.
 */
export function caBundleCertificate(component: string, namespace: string): K8sObject {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta(component, CA_BUNDLE_SECRET, namespace),
    spec: {
      secretName: CA_BUNDLE_SECRET,
      commonName: `opensearch-client-${namespace}`,
      duration: '8760h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['client auth', 'digital signature'],
      issuerRef: { kind: 'ClusterIssuer', name: CA_ISSUER },
    },
  };
}
