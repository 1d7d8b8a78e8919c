import { restoreRunbook, type BackupDeclaration } from '../lib/backups';

/** On workload clusters Velero is itself the backup of the users' namespaces (objects and volumes). */
export const VELERO_BACKUPS: BackupDeclaration<{ fsBackup: boolean }> = {
  ownVolumeBackups: false,
  paths: ({ cluster, settings: s }) =>
    cluster.role === 'workload'
      ? [{ state: `users' namespaces: objects${s.fsBackup ? ' and volume contents' : ''}`, mechanism: 'velero', runbook: restoreRunbook('velero') }]
      : [],
};
