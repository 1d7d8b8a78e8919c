import type { K8sObject } from '@ck8s/manifest';
import { meta } from '../lib/objects';
import { CA_ISSUER, OPENSEARCH_NS, OPENSEARCH_SERVICE } from './names';

/** Secret cert-manager writes the node certificate to (tls.crt, tls.key, ca.crt). */
export const NODE_TLS_SECRET = 'opensearch-node-tls';
/** Distinguished name of the node certificate; the security plugin trusts it as a cluster node. */
export const NODE_DN = 'CN=opensearch-node';

const C = 'opensearch';
const ns = OPENSEARCH_NS;

/**
 * The transport layer's certificates: a self-signed CA that exists only in this namespace and a node
 * certificate every OpenSearch pod presents to the others. These are applied with the release (not
 * as config) because the pods cannot start without them; cert-manager, a dependency, has the CRDs.
 */
export function transportCertificates(): K8sObject[] {
  const key = { algorithm: 'RSA', size: 2048, encoding: 'PKCS8', rotationPolicy: 'Always' };
  return [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(C, 'opensearch-selfsigned', ns), spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(C, 'opensearch-ca', ns),
      spec: { isCA: true, commonName: 'opensearch-ca', secretName: 'opensearch-ca', duration: '87600h', privateKey: key, issuerRef: { kind: 'Issuer', name: 'opensearch-selfsigned' } },
    },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(C, CA_ISSUER, ns), spec: { ca: { secretName: 'opensearch-ca' } } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(C, 'opensearch-node', ns),
      spec: {
        secretName: NODE_TLS_SECRET,
        commonName: 'opensearch-node',
        duration: '8760h',
        renewBefore: '720h',
        // The security plugin reads PKCS#8 keys only.
        privateKey: key,
        usages: ['server auth', 'client auth', 'digital signature', 'key encipherment'],
        dnsNames: [OPENSEARCH_SERVICE, `${OPENSEARCH_SERVICE}-headless`, `*.${OPENSEARCH_SERVICE}-headless`, `*.${OPENSEARCH_SERVICE}-headless.${ns}.svc`, `*.${OPENSEARCH_SERVICE}-headless.${ns}.svc.cluster.local`],
        issuerRef: { kind: 'Issuer', name: CA_ISSUER },
      },
    },
  ];
}
