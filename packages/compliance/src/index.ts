export * from './types';
export { CONTROLS, controlById } from './controls';
export { evaluateCompliance, statusOf, STATUSES } from './evaluate';
export { complianceMarkdown } from './markdown';
export { complianceChanges, complianceChangesMarkdown, type StatusChange } from './diff';
export { complianceGate, type GateFinding } from './gate';
export { blockingGaps, gapCause, gapFix } from './gaps';
export * as rules from './rules';
export { complianceFiles, COMPLIANCE_JSON, COMPLIANCE_MD } from './files';
