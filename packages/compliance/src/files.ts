import { evaluateCompliance } from './evaluate';
import { complianceMarkdown } from './markdown';
import type { EvidenceInput } from './types';

export const COMPLIANCE_JSON = 'compliance.json';
export const COMPLIANCE_MD = 'COMPLIANCE.md';

/** The two report files of an environment, by repository-relative path: deterministic (no dates). */
export function complianceFiles(input: EvidenceInput): [string, string][] {
  const report = evaluateCompliance(input);
  const dir = `clusters/${input.env.name}`;
  return [
    [`${dir}/${COMPLIANCE_MD}`, complianceMarkdown(report)],
    [`${dir}/${COMPLIANCE_JSON}`, `${JSON.stringify(report, null, 2)}\n`],
  ];
}
