import { z } from 'zod';
import type { K8sObject } from '@ck8s/manifest';
import { defineComponent } from '../lib/component';
import { platformNamespaces } from '../lib/platform-namespaces';
import { alertRules, alertsWith } from '../lib/alerts/component-rules';
import { TRIVY_ALERTS } from './alerts';
import { allow, resources } from '../lib/objects';
import { egressTo } from '../lib/egress';
import { flavorPresets } from '../lib/presets';

const NS = 'trivy-system';
const C = 'trivy-operator';
const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

const settings = z.strictObject({
  enabled: z.boolean().default(true).describe("Continuous vulnerability, configuration, RBAC and secret scanning of the cluster's workloads"),
  vulnerabilityScanner: z.boolean().default(true).describe('Scan workload images for known vulnerabilities (VulnerabilityReports)'),
  configAuditScanner: z.boolean().default(true).describe('Check workload and resource configuration (ConfigAuditReports)'),
  rbacAssessmentScanner: z.boolean().default(true).describe('Assess Roles and ClusterRoles (RbacAssessmentReports)'),
  infraAssessmentScanner: z.boolean().default(true).describe('Assess node and control-plane configuration with the node collector (reads host paths)'),
  exposedSecretScanner: z.boolean().default(true).describe('Find secrets baked into images (ExposedSecretReports)'),
  complianceReports: z.boolean().default(true).describe('CIS, NSA and Pod Security Standards compliance reports'),
  severities: z
    .array(z.enum(SEVERITIES))
    .min(1)
    .default([...SEVERITIES])
    .describe('Severities recorded in vulnerability reports'),
  ignoreUnfixed: z.boolean().default(false).describe('Leave out vulnerabilities without a fixed version'),
  concurrentScanJobs: z.number().int().min(1).max(50).default(3).describe('Scan jobs running at the same time'),
});

/**
 * trivy-operator on both roles: scans every namespace's workloads (platform and users alike) and
 * writes the results as reports (aquasecurity.github.io custom resources); with kube-prometheus-stack
 * its findings become metrics for dashboards and alerts.
 */
export const trivyOperator = defineComponent({
  name: 'trivy-operator',
  description: 'Vulnerability, misconfiguration, RBAC and exposed-secret scanning of running workloads',
  roles: ['management', 'workload'],
  namespace: NS,
  // The node collector (infrastructure assessment) mounts host paths such as /etc/kubernetes.
  podSecurity: 'privileged',
  chart: 'trivy-operator',
  dependsOn: ['namespaces', 'kube-prometheus-stack'],
  providesApiGroups: ['aquasecurity.github.io'],
  alerts: [TRIVY_ALERTS],
  controls: [
    'MSBFS 2020:7 4 kap. 12 §',
    'MSBFS 2020:7 4 kap. 20 §',
    'ISO 27001 A.12.2.1',
    'ISO 27001 A.12.6.1',
    'ISO 27001 A.18.2.3',
    'NIST SP 800-171 3.7.4',
    'NIST SP 800-171 3.11.2',
    'NIST SP 800-171 3.12.3',
    'NIST SP 800-171 3.14.4',
    'NIST SP 800-171 3.14.5',
  ],
  settings,
  defaults: flavorPresets({ production: { concurrentScanJobs: 10 } }),
  render(ctx) {
    const { settings: s, cluster } = ctx;
    const monitored = ctx.isEnabled('kube-prometheus-stack');
    const objects: K8sObject[] = [
      ...alertRules(ctx, C, NS, [alertsWith(TRIVY_ALERTS, { platformNamespaces: platformNamespaces(ctx.enabledComponents) })]),
      allow.apiServer(C, cluster, NS),
      // Scan jobs pull images from any registry and the vulnerability databases from mirror.gcr.io.
      egressTo(C, cluster, 'registries', NS, 'allow-registries', [{ port: 443 }]),
      ...(monitored ? [allow.fromMonitoring(C, NS, [{ port: 8080 }])] : []),
    ];
    return {
      values: {
        operator: {
          scanJobsConcurrentLimit: s.concurrentScanJobs,
          vulnerabilityScannerEnabled: s.vulnerabilityScanner,
          configAuditScannerEnabled: s.configAuditScanner,
          rbacAssessmentScannerEnabled: s.rbacAssessmentScanner,
          infraAssessmentScannerEnabled: s.infraAssessmentScanner,
          exposedSecretScannerEnabled: s.exposedSecretScanner,
          clusterComplianceEnabled: s.complianceReports,
        },
        trivy: {
          severity: s.severities.join(','),
          ignoreUnfixed: s.ignoreUnfixed,
          // The vulnerability databases are OCI artifacts, not Pod images: they come from the image mirror too.
          ...(ctx.env.mirrors?.images ? { dbRegistry: ctx.env.mirrors.images, javaDbRegistry: ctx.env.mirrors.images } : {}),
        },
        serviceMonitor: { enabled: monitored },
        resources: resources('50m', '128Mi', '512Mi'),
      },
      objects,
    };
  },
});
