import { z } from 'zod';
import type { Flavor } from '@ck8s/config';

/**
 * The log archive in object storage (`<prefix>-audit`): the platform writes it; the bucket's own
 * lifecycle rule deletes old objects and its Object Lock (or the provider's immutability policy)
 * keeps them from being changed or deleted before then. Buckets are the provider's resources, so
 * these settings state what the bucket must be configured with (docs/audit-archive.md, the
 * environment README); with Object Lock the uploads carry the Content-MD5 such buckets require.
 */

/** Shortest archive retention each flavor accepts, in days. */
export const MIN_ARCHIVE_RETENTION_DAYS: Record<Flavor, number> = { dev: 1, prod: 365, 'air-gapped': 365 };

export const archiveSettings = z
  .strictObject({
    authLogs: z.boolean().default(true).describe('Also archive node auth logs (under <cluster>/authlog/ in the same bucket)'),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .default(90)
      .describe('Days the bucket keeps archived logs: its lifecycle expiration rule (and Object Lock retention) must say the same; see docs/audit-archive.md'),
    objectLock: z
      .enum(['none', 'governance', 'compliance'])
      .default('none')
      .describe('S3 Object Lock mode of the bucket (enabled at bucket creation; compliance: nobody can delete early); uploads then send Content-MD5'),
  })
  .prefault({});

export type ArchiveSettings = z.output<typeof archiveSettings>;

/** The prod invariant: archived logs are kept at least the flavor's minimum. Paths are relative to the component. */
export function archiveProblems(flavor: Flavor, s: ArchiveSettings): { path: PropertyKey[]; message: string }[] {
  const min = MIN_ARCHIVE_RETENTION_DAYS[flavor];
  return s.retentionDays < min
    ? [{ path: ['archive', 'retentionDays'], message: `the log archive keeps logs ${s.retentionDays} days, below the ${flavor} minimum of ${min} days` }]
    : [];
}
