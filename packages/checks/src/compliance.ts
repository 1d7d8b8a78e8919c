import { COMPLIANCE_JSON, complianceGate, type ComplianceReport } from '@ck8s/compliance';
import type { EnvironmentConfig } from '@ck8s/config';
import { join } from 'node:path';
import { CATALOG } from '@ck8s/components';
import { readSecretFiles, renderEnvironment } from '@ck8s/render';
import type { Finding } from './finding';

/**
 * The compliance gate on a report: an error for each control of a required framework that is not
 * met, a warning for each one only partly met, located at the report file.
 */
export function complianceFindings(report: ComplianceReport, file: string): Finding[] {
  return complianceGate(report).map((g) => ({ check: 'compliance', severity: g.severity, file, message: g.message }));
}

/**
 * Evaluates the environment as the config stands (a fresh in-memory render, so a change that was
 * not re-rendered yet is judged too; drift reports the stale files) against `compliance.frameworks`.
 * `env` is the environment as loadEnvironment read it from `root` (rendered again here, not loaded again).
 */
export function checkCompliance(root: string, env: EnvironmentConfig): Finding[] {
  if (!env.compliance.frameworks.length) return [];
  const file = `clusters/${env.name}/${COMPLIANCE_JSON}`;
  const text = renderEnvironment({ env, secrets: readSecretFiles(join(root, 'environments', env.name)) }, CATALOG).get(file);
  if (!text) return [{ check: 'compliance', severity: 'error', file, message: 'rendering produced no compliance report' }];
  return complianceFindings(JSON.parse(text) as ComplianceReport, file);
}
