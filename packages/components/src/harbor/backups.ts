import { restoreRunbook, type BackupDeclaration } from '../lib/backups';
import { objectStorage } from '../lib/object-storage';

/**
 * Harbor's database is dumped (pg_dump, consistent) next to the images; the images and charts live in
 * the registry bucket. Redis, job logs and the Trivy database are caches.
 */
export const HARBOR_BACKUPS: BackupDeclaration<{ backup: { enabled: boolean; schedule: string; retentionDays: number } }> = {
  ownVolumeBackups: true,
  paths: ({ cluster, settings: s }) => {
    const runbook = restoreRunbook('harbor');
    const bucket = objectStorage(cluster).type !== 'none';
    return [
      ...(s.backup.enabled
        ? [
            {
              state: 'database (projects, users, tags, scan results)',
              mechanism: 'database-dump' as const,
              schedule: s.backup.schedule,
              retention: `${s.backup.retentionDays} days`,
              runbook,
            },
          ]
        : []),
      ...(bucket
        ? [
            {
              state: 'images and charts',
              mechanism: 'object-storage' as const,
              schedule: 'continuous: the registry writes to the bucket',
              retention: 'until deleted in Harbor (tag retention, then garbage collection)',
              runbook,
            },
          ]
        : []),
      { state: 'Redis, job service logs, Trivy database', mechanism: 'none', reason: 'caches and logs Harbor rebuilds', runbook },
    ];
  },
};
