import * as R from '../rules';
import { framework, OPERATOR, rec, req } from './define';

/** ISO/IEC 27001 Annex A (2013 numbering, as the Compliant Kubernetes documentation cites it). */
export const ISO27001 = framework('ISO 27001', [
  {
    ref: 'A.9.4.1',
    title: 'Information access restriction',
    rules: [req(R.oidcOnEveryUi), req(R.userRbac), req(R.adminRbac)],
    operator: OPERATOR.accessReview,
  },
  { ref: 'A.9.4.4', title: 'Use of privileged utility programmes', rules: [req(R.noPrivilegedPods), req(R.noHostAccess)] },
  { ref: 'A.10', title: 'Cryptography', rules: [req(R.tlsOnEveryEndpoint)], operator: OPERATOR.cryptoPolicy },
  { ref: 'A.10.1.2', title: 'Key management', rules: [req(R.tlsOnEveryEndpoint), rec(R.endpointsProbed)], operator: OPERATOR.cryptoPolicy },
  { ref: 'A.12.1.2', title: 'Change management', rules: [req(R.gitopsDriftCorrected), req(R.pinnedImages)], operator: OPERATOR.changeReview },
  { ref: 'A.12.1.3', title: 'Capacity management', rules: [req(R.capacityMonitored), req(R.resourceRequestsRequired), req(R.metricsRetained)] },
  {
    ref: 'A.12.1.4',
    title: 'Separation of development, testing and operational environments',
    rules: [req(R.tenantIsolation), req(R.defaultDenyNetworkPolicies)],
    operator: OPERATOR.separation,
  },
  { ref: 'A.12.2.1', title: 'Controls against malware', rules: [req(R.intrusionDetection), req(R.vulnerabilityScanning)] },
  {
    ref: 'A.12.3.1',
    title: 'Information backup',
    rules: [req(R.backupsScheduled), req(R.logSnapshots), req(R.registryBackup), rec(R.offsiteCopies)],
    operator: OPERATOR.restoreTests,
  },
  { ref: 'A.12.4.1', title: 'Event logging', rules: [req(R.logsCollected), req(R.logRetention), req(R.logReview)], operator: OPERATOR.logReview },
  // Not tagged in the reference documentation, but carried by the same design: logs leave the cluster they describe.
  { ref: 'A.12.4.2', title: 'Protection of log information', rules: [req(R.separateManagementCluster), req(R.auditLogsArchived), req(R.logSnapshots)] },
  { ref: 'A.12.4.3', title: 'Administrator and operator logs', rules: [req(R.logsCollected), req(R.auditLogsArchived)] },
  { ref: 'A.12.4.4', title: 'Clock synchronisation', operator: OPERATOR.ntp },
  {
    ref: 'A.12.6.1',
    title: 'Management of technical vulnerabilities',
    rules: [req(R.vulnerabilityScanning), req(R.trustedRegistries), rec(R.patchesApplied)],
    operator: OPERATOR.patching,
  },
  { ref: 'A.13', title: 'Communications security', rules: [req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired)] },
  { ref: 'A.13.1', title: 'Network security management', rules: [req(R.tlsOnEveryEndpoint), req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired)] },
  { ref: 'A.14.1.1', title: 'Information security requirements analysis and specification', operator: OPERATOR.architecture },
  { ref: 'A.14.2.2', title: 'System change control procedures', rules: [req(R.gitopsDriftCorrected), req(R.pinnedImages)], operator: OPERATOR.changeReview },
  { ref: 'A.14.2.4', title: 'Restrictions on changes to software packages', rules: [req(R.pinnedImages), req(R.trustedRegistries)] },
  {
    ref: 'A.14.2.5',
    title: 'Secure system engineering principles',
    rules: [req(R.defaultDenyNetworkPolicies), req(R.noPrivilegedPods), req(R.tenantIsolation)],
    operator: OPERATOR.architecture,
  },
  {
    ref: 'A.14.2.9',
    title: 'System acceptance testing',
    operator: 'Test each release before it reaches production (a non-production environment first; its rendered diff reviewed).',
  },
  { ref: 'A.15', title: 'Supplier relationships', operator: OPERATOR.provider },
  {
    ref: 'A.16',
    title: 'Information security incident management',
    rules: [req(R.alertingRouted), req(R.intrusionDetection), req(R.logsCollected), rec(R.deadMansSwitch)],
    operator: OPERATOR.incident,
  },
  {
    ref: 'A.17.1.1',
    title: 'Planning information security continuity',
    rules: [req(R.backupsScheduled), rec(R.offsiteCopies)],
    operator: OPERATOR.restoreTests,
  },
  {
    ref: 'A.17.1.3',
    title: 'Verify, review and evaluate information security continuity',
    operator: 'Exercise the go-live and disaster-recovery checks: node reboots, zone failure, restore from backup, redeploy from Git.',
  },
  {
    ref: 'A.17.2.1',
    title: 'Availability of information processing facilities',
    operator: 'Spread nodes over failure zones and size the clusters for the loss of one (an infrastructure decision).',
  },
  {
    ref: 'A.18.1.2',
    title: 'Intellectual property rights',
    operator: "Keep track of the licences of the platform's components and of the applications run on it.",
  },
  {
    ref: 'A.18.2.2',
    title: 'Compliance with security policies and standards',
    rules: [req(R.trustedRegistries), req(R.pinnedImages), req(R.networkPolicyRequired)],
  },
  { ref: 'A.18.2.3', title: 'Technical compliance review', rules: [req(R.vulnerabilityScanning), req(R.pinnedImages)], operator: OPERATOR.changeReview },
]);
