import type { RenderContext } from './component';

/**
 * How each piece of a component's state is backed up: exactly one mechanism per state, the one made
 * for it. File-level copies by Velero are for state that has no other copy; OpenSearch indices have
 * snapshots, Harbor's database a dump and its images the registry bucket, Thanos' blocks live in object
 * storage already. Velero still backs up the Kubernetes objects of every platform namespace.
 */
export type BackupMechanism = 'velero' | 'opensearch-snapshots' | 'database-dump' | 'object-storage' | 'none';

export interface StateBackup {
  /** What the state is, in words ("log indices"). */
  state: string;
  mechanism: BackupMechanism;
  /**
   * Cron schedule (UTC) of the copies, or how data reaches object storage when it is written there
   * continuously. Left out for `velero`: the Velero Schedule of the cluster holds it.
   */
  schedule?: string;
  /** How long copies are kept. Left out for `velero` (the Schedule's TTL). */
  retention?: string;
  /** The restore runbook, relative to the repository root. */
  runbook: string;
  /** For `none`: why the state needs no backup (a cache, a write-ahead log of data kept elsewhere). */
  reason?: string;
  /** A pod volume of this state Velero must skip, named in the pods' `VELERO_EXCLUDE_VOLUMES` annotation. */
  excludedVolume?: string;
}

/** What a stateful component declares about its backups. */
export interface BackupDeclaration<S> {
  /**
   * Velero leaves this component's volumes out of its file-level copies (each volume's state has a
   * mechanism of its own, or is a cache of one); its Kubernetes objects are still backed up.
   */
  ownVolumeBackups: boolean;
  /** Every piece of state the component keeps with these settings and its one backup path. */
  paths(ctx: RenderContext<S>): StateBackup[];
}

/** Runbook of a component: docs/restore/<component>.md. */
export const restoreRunbook = (component: string): string => `docs/restore/${component}.md`;

/** Pod annotation listing volumes Velero's file system backup skips (their state has another copy). */
export const VELERO_EXCLUDE_VOLUMES = 'backup.velero.io/backup-volumes-excludes';
