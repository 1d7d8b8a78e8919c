import { z } from 'zod';

/**
 * Frameworks whose controls the platform's compliance catalog (@ck8s/compliance) evaluates. The
 * names are the frameworks' own, as their control ids are cited (`MSBFS 2020:7 4 kap. 16 §`).
 */
export const COMPLIANCE_FRAMEWORKS = ['MSBFS 2020:7', 'ISO 27001', 'NIST SP 800-171'] as const;
export const ComplianceFramework = z.enum(COMPLIANCE_FRAMEWORKS);
export type ComplianceFramework = z.infer<typeof ComplianceFramework>;

/** The environment's `compliance:` key: what validate holds it to. */
export const ComplianceSettings = z
  .strictObject({
    frameworks: z
      .array(ComplianceFramework)
      .default([])
      .refine((l) => new Set(l).size === l.length, { message: 'each framework once' })
      .describe(
        'Frameworks this environment must satisfy: validate fails when a control of one of them is not met by the rendered configuration ' +
          '(clusters/<env>/COMPLIANCE.md lists every control, its evidence and the change that would meet it). ' +
          'Empty: the report is written, nothing is enforced',
      ),
  })
  .prefault({})
  .describe('Regulatory frameworks the environment is held to');
