import * as R from '../rules';
import { framework, OPERATOR, rec, req } from './define';

/**
 * NIST SP 800-171 Rev. 2 requirements the Compliant Kubernetes documentation tags. Titles are our
 * shortened wording of each requirement.
 */
export const NIST_800_171 = framework('NIST SP 800-171', [
  {
    ref: '3.1.1',
    title: 'Limit system access to authorised users, processes and devices',
    rules: [req(R.oidcOnEveryUi), req(R.identityProvider), req(R.adminRbac)],
    operator: OPERATOR.accessReview,
  },
  { ref: '3.1.2', title: 'Limit system access to the functions authorised users may execute', rules: [req(R.userRbac), req(R.adminRbac)] },
  { ref: '3.1.4', title: 'Separate the duties of individuals', rules: [req(R.userRbac), req(R.adminRbac)], operator: OPERATOR.accessReview },
  { ref: '3.1.5', title: 'Employ the principle of least privilege', rules: [req(R.userRbac), req(R.noPrivilegedPods)] },
  { ref: '3.1.6', title: 'Use non-privileged accounts for non-security functions', rules: [req(R.userRbac)], operator: OPERATOR.accessReview },
  {
    ref: '3.1.7',
    title: 'Prevent non-privileged users from executing privileged functions; log such functions',
    rules: [req(R.noPrivilegedPods), req(R.logsCollected), req(R.auditLogsArchived)],
  },
  { ref: '3.1.11', title: 'Terminate user sessions after a defined condition', operator: OPERATOR.identity },
  { ref: '3.1.13', title: 'Protect remote access sessions with cryptography', rules: [req(R.tlsOnEveryEndpoint)] },
  { ref: '3.1.15', title: 'Authorise remote execution of privileged commands', rules: [req(R.adminRbac), req(R.oidcOnEveryUi), req(R.auditLogsArchived)] },
  { ref: '3.1.20', title: 'Verify and control connections to external systems', rules: [req(R.defaultDenyNetworkPolicies), req(R.tlsOnEveryEndpoint)] },
  {
    ref: '3.3.1',
    title: 'Create and retain audit logs for monitoring and investigation',
    rules: [req(R.logsCollected), req(R.auditLogsArchived), req(R.logRetention)],
  },
  { ref: '3.3.2', title: 'Trace the actions of individual users', rules: [req(R.oidcOnEveryUi), req(R.identityProvider), req(R.auditLogsArchived)] },
  { ref: '3.3.3', title: 'Review and update logged events', rules: [req(R.logReview)], operator: OPERATOR.logReview },
  {
    ref: '3.3.5',
    title: 'Correlate audit record review, analysis and reporting',
    rules: [req(R.logReview), req(R.logsCollected)],
    operator: OPERATOR.logReview,
  },
  { ref: '3.3.6', title: 'Provide audit record reduction and report generation', rules: [req(R.logReview)] },
  { ref: '3.3.7', title: 'Synchronise system clocks with an authoritative source', operator: OPERATOR.ntp },
  {
    ref: '3.4.4',
    title: 'Analyse the security impact of changes before implementation',
    rules: [req(R.gitopsDriftCorrected)],
    operator: OPERATOR.changeReview,
  },
  {
    ref: '3.4.5',
    title: 'Enforce access restrictions associated with changes',
    rules: [req(R.gitopsDriftCorrected), rec(R.patchesApplied)],
    operator: OPERATOR.changeReview,
  },
  {
    ref: '3.4.7',
    title: 'Restrict nonessential programs, ports, protocols and services',
    rules: [req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired)],
  },
  { ref: '3.4.8', title: 'Deny-all, permit-by-exception for software', rules: [req(R.trustedRegistries)] },
  { ref: '3.4.9', title: 'Control and monitor user-installed software', rules: [req(R.trustedRegistries), req(R.pinnedImages)] },
  { ref: '3.5.1', title: 'Identify system users, processes and devices', rules: [req(R.oidcOnEveryUi), req(R.identityProvider)] },
  { ref: '3.5.2', title: 'Authenticate users, processes and devices', rules: [req(R.oidcOnEveryUi), req(R.identityProvider)] },
  { ref: '3.5.4', title: 'Employ replay-resistant authentication', rules: [req(R.oidcOnEveryUi), req(R.tlsOnEveryEndpoint)] },
  { ref: '3.5.5', title: 'Prevent reuse of identifiers for a defined period', rules: [req(R.identityProvider)], operator: OPERATOR.identity },
  { ref: '3.5.6', title: 'Disable identifiers after a defined period of inactivity', rules: [req(R.identityProvider)], operator: OPERATOR.identity },
  {
    ref: '3.6.3',
    title: 'Test the incident response capability',
    rules: [req(R.backupsScheduled), req(R.logSnapshots)],
    operator: `${OPERATOR.incident} ${OPERATOR.restoreTests}`,
  },
  { ref: '3.7.1', title: 'Perform maintenance on systems', rules: [req(R.gitopsDriftCorrected), rec(R.patchesApplied)], operator: OPERATOR.patching },
  { ref: '3.7.4', title: 'Check diagnostic and test media for malicious code', rules: [req(R.vulnerabilityScanning)] },
  { ref: '3.7.5', title: 'Require multi-factor authentication for nonlocal maintenance', rules: [req(R.identityProvider)], operator: OPERATOR.identity },
  { ref: '3.11.2', title: 'Scan for vulnerabilities periodically and when new ones are identified', rules: [req(R.vulnerabilityScanning)] },
  { ref: '3.12.3', title: 'Monitor security controls on an ongoing basis', rules: [req(R.alertingRouted), req(R.vulnerabilityScanning)] },
  { ref: '3.12.4', title: 'Develop, document and update system security plans', operator: OPERATOR.architecture },
  {
    ref: '3.13.1',
    title: 'Monitor, control and protect communications at boundaries',
    rules: [req(R.tlsOnEveryEndpoint), req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired)],
  },
  { ref: '3.13.2', title: 'Employ security-promoting architecture and engineering principles', operator: OPERATOR.architecture },
  { ref: '3.13.3', title: 'Separate user functionality from system management functionality', rules: [req(R.separateManagementCluster), req(R.userRbac)] },
  { ref: '3.13.6', title: 'Deny network traffic by default, allow by exception', rules: [req(R.defaultDenyNetworkPolicies), req(R.networkPolicyRequired)] },
  {
    ref: '3.13.10',
    title: 'Establish and manage cryptographic keys',
    rules: [req(R.tlsOnEveryEndpoint), rec(R.endpointsProbed)],
    operator: OPERATOR.cryptoPolicy,
  },
  {
    ref: '3.13.11',
    title: 'Employ FIPS-validated cryptography',
    operator:
      'FIPS validation is a property of the cryptographic modules in the images and nodes: choose validated builds where CUI requires it. ' +
      'TLS itself is evidenced under 3.13.1.',
  },
  { ref: '3.13.16', title: 'Protect the confidentiality of CUI at rest', operator: OPERATOR.encryptionAtRest },
  { ref: '3.14.4', title: 'Update malicious code protection mechanisms', rules: [req(R.vulnerabilityScanning), req(R.intrusionDetection)] },
  { ref: '3.14.5', title: 'Perform periodic and real-time scans', rules: [req(R.vulnerabilityScanning)] },
  { ref: '3.14.6', title: 'Monitor systems and traffic to detect attacks', rules: [req(R.intrusionDetection), req(R.alertingRouted)] },
  { ref: '3.14.7', title: 'Identify unauthorised use of systems', rules: [req(R.intrusionDetection), req(R.logsCollected), req(R.auditLogsArchived)] },
]);
