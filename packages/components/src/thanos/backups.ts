import { restoreRunbook, type BackupDeclaration } from '../lib/backups';
import { objectStorage } from '../lib/object-storage';

interface BackupSettings {
  retention: { rawDays: number; fiveMinuteDays: number; oneHourDays: number };
  receive: { localRetention: string };
}

/**
 * Thanos keeps metric blocks in object storage: that bucket is the copy. Its volumes hold receive's
 * write-ahead log and recent blocks (uploaded every two hours) and the store/compactor caches.
 */
export const THANOS_BACKUPS: BackupDeclaration<BackupSettings> = {
  ownVolumeBackups: true,
  paths: ({ cluster, settings: s }) =>
    objectStorage(cluster).type === 'none'
      ? []
      : [
          {
            state: 'metric blocks',
            mechanism: 'object-storage',
            schedule: 'continuous: receive uploads each two-hour block to the bucket',
            retention: `raw ${s.retention.rawDays} days, 5m ${s.retention.fiveMinuteDays} days, 1h ${s.retention.oneHourDays} days (compactor)`,
            runbook: restoreRunbook('thanos'),
          },
          {
            state: `receive's write-ahead log and blocks not yet uploaded (at most ${s.receive.localRetention}), store and compactor caches`,
            mechanism: 'none',
            reason: 'rebuilt from the bucket; the receive replicas replicate unflushed data between them',
            runbook: restoreRunbook('thanos'),
          },
        ],
};
