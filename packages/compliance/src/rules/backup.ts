import { objectStorage } from '@ck8s/components';
import { MIN_BACKUP_RETENTION_DAYS } from '@ck8s/components/src/velero';
import { filesOf, Findings, key, managementOf, objectsOf, planned, requireComponent, setting } from '../input';
import type { EvidenceRule } from '../types';

/** Shortest backup retention a claimed backup control accepts: the production floor of the velero component. */
export const BACKUP_RETENTION_MIN_DAYS = MIN_BACKUP_RETENTION_DAYS.prod;

const hours = (ttl: unknown) => (typeof ttl === 'string' && /^[0-9]+h$/.test(ttl) ? Number(ttl.slice(0, -1)) : 0);

/**
 * Every cluster is backed up by Velero on a schedule (the management cluster its platform
 * namespaces, workload clusters every user namespace), kept at least a week.
 */
export const backupsScheduled: EvidenceRule = {
  id: 'backups-scheduled',
  components: ['velero'],
  title: `every cluster is backed up on a schedule, backups kept at least ${BACKUP_RETENTION_MIN_DAYS} days`,
  check(input) {
    const f = new Findings();
    for (const c of input.clusters) {
      const name = c.cluster.name;
      if (!requireComponent(f, input, c, 'velero', 'Backup (Velero)')) continue;
      const schedule = objectsOf(input, c, 'velero').find((o) => o.object.kind === 'Schedule');
      if (!schedule) {
        f.gap(
          'Velero has no backup location, so no backup is scheduled',
          'storage.objectStorage.type',
          objectStorage(c.cluster).type,
          's3 (or another supported object storage, with its credentials)',
          name,
        );
        continue;
      }
      const ttl = setting(c.cluster, 'velero', 'retention');
      if (hours(ttl) < BACKUP_RETENTION_MIN_DAYS * 24) {
        f.gap(`Backups are kept less than ${BACKUP_RETENTION_MIN_DAYS} days`, key('velero', 'retention'), ttl, `${BACKUP_RETENTION_MIN_DAYS * 24}h`, name);
        continue;
      }
      const spec = (schedule.object as { spec?: { schedule?: string } }).spec;
      f.saw(
        `${name}: Schedule ${schedule.object.metadata.name} runs "${spec?.schedule}" (UTC), backups kept ${ttl}`,
        [schedule.file],
        [key('velero', 'schedule'), key('velero', 'retention')],
      );
    }
    return f.outcome();
  },
};

/** The log store's indices are snapshotted to object storage. */
export const logSnapshots: EvidenceRule = {
  id: 'log-snapshots',
  components: ['opensearch'],
  title: 'the log store is snapshotted to object storage',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !requireComponent(f, input, m, 'opensearch', 'The log store (OpenSearch)')) return f.outcome();
    if (setting(m.cluster, 'opensearch', 'snapshots.enabled') !== true)
      f.gap('Log store snapshots are off', key('opensearch', 'snapshots.enabled'), false, true, m.cluster.name);
    else if (objectStorage(m.cluster).type === 'none')
      f.gap('Log store snapshots have no object storage', 'storage.objectStorage.type', 'none', 's3', m.cluster.name);
    else
      f.saw(
        `OpenSearch snapshots run "${setting(m.cluster, 'opensearch', 'snapshots.schedule')}" (UTC), ` +
          `kept ${setting(m.cluster, 'opensearch', 'snapshots.retentionDays')} days`,
        filesOf(input, m.cluster.name, 'opensearch', 'config/objects.yaml'),
        [key('opensearch', 'snapshots.enabled')],
      );
    return f.outcome();
  },
};

/** The registry's database is dumped nightly (its images already live in object storage). */
export const registryBackup: EvidenceRule = {
  id: 'registry-backup',
  components: ['harbor'],
  title: "the container registry's database is backed up",
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (!m || !planned(m, 'harbor')) {
      f.saw('Harbor is off: no registry data to back up', [], [key('harbor', 'enabled')]);
      return f.outcome();
    }
    if (setting(m.cluster, 'harbor', 'backup.enabled') !== true)
      f.gap("Harbor's database backup is off", key('harbor', 'backup.enabled'), false, true, m.cluster.name);
    else
      f.saw(
        `Harbor's database is dumped "${setting(m.cluster, 'harbor', 'backup.schedule')}" (UTC), ` +
          `kept ${setting(m.cluster, 'harbor', 'backup.retentionDays')} days`,
        filesOf(input, m.cluster.name, 'harbor', 'config/objects.yaml', 'objects.yaml'),
        [key('harbor', 'backup.enabled')],
      );
    return f.outcome();
  },
};

/** Every platform bucket is copied to an object store at another site. */
export const offsiteCopies: EvidenceRule = {
  id: 'offsite-copies',
  components: ['rclone-sync'],
  title: 'every platform bucket is copied off-site',
  check(input) {
    const f = new Findings();
    const m = managementOf(input);
    if (m && requireComponent(f, input, m, 'rclone-sync', 'Off-site copies (rclone-sync)'))
      f.saw(
        `rclone copies every platform bucket off-site ("${setting(m.cluster, 'rclone-sync', 'schedule')}" UTC, ` +
          `mode ${setting(m.cluster, 'rclone-sync', 'mode')})`,
        filesOf(input, m.cluster.name, 'rclone-sync'),
        [key('rclone-sync', 'enabled')],
      );
    return f.outcome();
  },
};
