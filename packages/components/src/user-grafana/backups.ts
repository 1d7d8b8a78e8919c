import { restoreRunbook, type BackupDeclaration } from '../lib/backups';

/** The users' Grafana keeps the dashboards they made in its database: Velero's copies are the only ones. */
export const USER_GRAFANA_BACKUPS: BackupDeclaration<unknown> = {
  ownVolumeBackups: false,
  paths: () => [{ state: "Grafana's database: users' own dashboards, folders and preferences", mechanism: 'velero', runbook: restoreRunbook('user-grafana') }],
};
