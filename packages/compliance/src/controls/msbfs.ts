import * as R from '../rules';
import { framework, OPERATOR, rec, req } from './define';

/**
 * MSBFS 2020:7 (Swedish Civil Contingencies Agency: security measures in information systems of
 * government agencies), the sections the Compliant Kubernetes documentation tags. Titles are our
 * short English summaries of each section's subject, not the regulation's wording.
 */
export const MSBFS = framework('MSBFS 2020:7', [
  {
    ref: '2 kap. 4 §',
    title: 'Logging and traceability',
    rules: [req(R.separateManagementCluster), req(R.logsCollected), req(R.auditLogsArchived), req(R.metricsRetained)],
  },
  {
    ref: '3 kap. 1 §',
    title: 'Separation of environments and requirements on suppliers',
    rules: [req(R.defaultDenyNetworkPolicies)],
    operator: `${OPERATOR.separation} ${OPERATOR.provider}`,
  },
  {
    ref: '3 kap. 2 §',
    title: 'Separation of environments and requirements on suppliers',
    rules: [req(R.defaultDenyNetworkPolicies)],
    operator: `${OPERATOR.separation} ${OPERATOR.provider}`,
  },
  {
    ref: '4 kap. 1 §',
    title: 'Network segmentation and protection',
    rules: [req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired), req(R.tlsOnEveryEndpoint)],
  },
  { ref: '4 kap. 2 §', title: 'Network segmentation and protection', rules: [req(R.defaultDenyNetworkPolicies), req(R.tlsOnEveryEndpoint)] },
  {
    ref: '4 kap. 3 §',
    title: 'Access control',
    rules: [req(R.oidcOnEveryUi), req(R.identityProvider), req(R.userRbac), req(R.adminRbac)],
    operator: OPERATOR.accessReview,
  },
  {
    ref: '4 kap. 4 §',
    title: 'Management and review of access rights',
    rules: [req(R.identityProvider), req(R.userRbac), req(R.adminRbac)],
    operator: OPERATOR.accessReview,
  },
  { ref: '4 kap. 5 §', title: 'Identification and authentication', rules: [req(R.oidcOnEveryUi), req(R.identityProvider)], operator: OPERATOR.identity },
  { ref: '4 kap. 7 §', title: 'Encryption of information in transit and at rest', rules: [req(R.tlsOnEveryEndpoint)], operator: OPERATOR.encryptionAtRest },
  { ref: '4 kap. 9 §', title: 'Cryptographic functions', rules: [req(R.tlsOnEveryEndpoint), rec(R.endpointsProbed)], operator: OPERATOR.cryptoPolicy },
  { ref: '4 kap. 12 §', title: 'Security updates', rules: [req(R.vulnerabilityScanning), rec(R.patchesApplied)], operator: OPERATOR.patching },
  { ref: '4 kap. 13 §', title: 'Time synchronisation', operator: OPERATOR.ntp },
  { ref: '4 kap. 14 §', title: 'Backup', rules: [req(R.backupsScheduled), req(R.logSnapshots), req(R.registryBackup), rec(R.offsiteCopies)] },
  {
    ref: '4 kap. 15 §',
    title: 'Protection and restore testing of backups',
    rules: [req(R.backupsScheduled), rec(R.offsiteCopies)],
    operator: OPERATOR.restoreTests,
  },
  { ref: '4 kap. 16 §', title: 'Logging of events', rules: [req(R.logsCollected), req(R.auditLogsArchived), req(R.logRetention)] },
  {
    ref: '4 kap. 17 §',
    title: 'Protection and review of logs',
    rules: [req(R.separateManagementCluster), req(R.auditLogsArchived), req(R.logReview)],
    operator: OPERATOR.logReview,
  },
  { ref: '4 kap. 18 §', title: 'Detection of intrusion and malicious code', rules: [req(R.intrusionDetection), req(R.alertingRouted)] },
  { ref: '4 kap. 20 §', title: 'Management of technical vulnerabilities', rules: [req(R.vulnerabilityScanning), req(R.trustedRegistries)] },
  { ref: '4 kap. 21 §', title: 'Physical protection of information systems', operator: OPERATOR.provider },
  {
    ref: '4 kap. 22 §',
    title: 'Continuity and recovery',
    rules: [req(R.backupsScheduled), req(R.logSnapshots), req(R.registryBackup), rec(R.offsiteCopies)],
    operator: OPERATOR.restoreTests,
  },
]);
