import { restoreRunbook, type BackupDeclaration } from '../lib/backups';
import { objectStorage } from '../lib/object-storage';

/** OpenSearch's data volumes are backed up by its own snapshots (consistent, incremental), not by Velero. */
export const OPENSEARCH_BACKUPS: BackupDeclaration<{ snapshots: { enabled: boolean; schedule: string; retentionDays: number } }> = {
  ownVolumeBackups: true,
  paths: ({ cluster, settings: s }) =>
    s.snapshots.enabled && objectStorage(cluster).type !== 'none'
      ? [
          {
            state: 'log indices',
            mechanism: 'opensearch-snapshots',
            schedule: s.snapshots.schedule,
            retention: `${s.snapshots.retentionDays} days`,
            runbook: restoreRunbook('opensearch'),
          },
        ]
      : [],
};
