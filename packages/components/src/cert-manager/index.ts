import { z } from 'zod';
import type { K8sObject } from '@ck8s/manifest';
import { defineComponent } from '../lib/component';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { CERT_MANAGER_ALERTS } from './alerts';
import { flavorPresets } from '../lib/presets';
import { resourceSettings, toResources } from '../lib/resources';
import { HTTPS_EDGE_CONTROLS, ingressSettings } from '../lib/ingress';
import { allow, meta, netpol, resources } from '../lib/objects';
import { egressTo } from '../lib/egress';

const NS = 'cert-manager';

const acmeIssuer = (name: string, server: string, email: string, ingressClass: string): K8sObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: meta('cert-manager', name),
  spec: {
    acme: {
      server,
      email,
      privateKeySecretRef: { name: `${name}-account-key` },
      solvers: [{ http01: { ingress: { ingressClassName: ingressClass } } }],
    },
  },
});

/** cert-manager and the platform's ClusterIssuers: Let's Encrypt staging/production and an optional private CA. */
export const certManager = defineComponent({
  name: 'cert-manager',
  description: 'Issues and renews TLS certificates for every platform endpoint',
  roles: ['management', 'workload'],
  namespace: NS,
  podSecurity: 'restricted',
  chart: 'cert-manager',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  providesApiGroups: ['cert-manager.io', 'acme.cert-manager.io'],
  alerts: [CERT_MANAGER_ALERTS],
  controls: HTTPS_EDGE_CONTROLS,
  settings: z.strictObject({
    enabled: z.boolean().default(true).describe("Deploy cert-manager, which issues and renews the platform's TLS certificates"),
    replicas: z.number().int().min(1).max(5).default(1).describe('Controller replicas (leader-elected)'),
    ingressClass: z
      .string()
      .default('')
      .describe("IngressClass the ACME HTTP-01 solver uses; empty: the ingress component's class (components.ingress.className)"),
    resources: resourceSettings('10m', '64Mi', '128Mi').describe('Controller requests and memory limit'),
    // Every certificate request passes the webhook: production keeps one replica through node drains.
    webhook: z
      .strictObject({ replicas: z.number().int().min(1).max(5).default(1).describe('Admission webhook replicas (a PodDisruptionBudget from 2)') })
      .prefault({}),
    cainjector: z
      .strictObject({ replicas: z.number().int().min(1).max(5).default(1).describe('CA injector replicas (leader-elected; a PodDisruptionBudget from 2)') })
      .prefault({}),
    expiryWarningDays: z.number().int().min(1).max(60).default(14).describe('Alert when a certificate expires within this many days (CertificateExpiringSoon)'),
  }),
  defaults: flavorPresets({
    production: { replicas: 2, resources: { cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' }, webhook: { replicas: 2 }, cainjector: { replicas: 2 } },
  }),
  secrets(ctx) {
    if (ctx.cluster.settings.certificates.issuer !== 'custom-ca') return [];
    return [
      {
        name: ctx.cluster.settings.certificates.customCASecret,
        namespace: NS,
        keys: ['tls.crt', 'tls.key'],
        description: 'Private CA certificate and key for the custom-ca ClusterIssuer',
      },
    ];
  },
  render(ctx) {
    const { settings, cluster } = ctx;
    const controller = { matchLabels: { 'app.kubernetes.io/component': 'controller' } };
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const certs = cluster.settings.certificates;
    // The HTTP-01 challenge must be served by the class the cluster's controller watches.
    const solverClass = settings.ingressClass || ingressSettings(cluster).className;
    const config: K8sObject[] = [
      acmeIssuer('letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory', certs.email, solverClass),
      acmeIssuer('letsencrypt-prod', 'https://acme-v02.api.letsencrypt.org/directory', certs.email, solverClass),
    ];
    if (certs.issuer === 'custom-ca') {
      config.push({
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: meta('cert-manager', 'custom-ca'),
        spec: { ca: { secretName: certs.customCASecret } },
      });
    }
    return {
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: settings.replicas,
        podDisruptionBudget: { enabled: settings.replicas > 1 },
        resources: toResources(settings.resources),
        // The chart's PDB default is minAvailable 1: only with a second replica can a node drain proceed.
        webhook: {
          replicaCount: settings.webhook.replicas,
          podDisruptionBudget: { enabled: settings.webhook.replicas > 1 },
          resources: resources('10m', '32Mi', '64Mi'),
        },
        cainjector: {
          replicaCount: settings.cainjector.replicas,
          podDisruptionBudget: { enabled: settings.cainjector.replicas > 1 },
          resources: resources('10m', '64Mi', '256Mi'),
        },
        prometheus: { enabled: monitored, servicemonitor: { enabled: monitored } },
      },
      objects: [
        ...alertRules(ctx, 'cert-manager', NS, [alertsWith(CERT_MANAGER_ALERTS, { expiryWarningDays: settings.expiryWarningDays })]),
        allow.apiServer('cert-manager', cluster, NS),
        // ACME servers and the HTTP-01 self-check reach arbitrary public addresses.
        egressTo('cert-manager', cluster, 'acme', NS, 'allow-acme', [{ port: 80 }, { port: 443 }], controller),
        // The self-check asks this cluster's own endpoint, which kube-proxy may hand straight to the
        // ingress controller's pods (their container ports) instead of sending it out and back.
        allow.toIngress('cert-manager', NS, controller, 'allow-acme-self-check'),
        netpol.allowIngress('cert-manager', NS, 'allow-webhook', [], [{ port: 10250 }], { matchLabels: { 'app.kubernetes.io/component': 'webhook' } }),
        ...(monitored ? [allow.fromMonitoring('cert-manager', NS, [{ port: 9402 }])] : []),
      ],
      config,
    };
  },
});
