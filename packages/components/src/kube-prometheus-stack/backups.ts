import { restoreRunbook, type BackupDeclaration } from '../lib/backups';
import type { Settings } from './settings';

/**
 * The pod volume of Prometheus' TSDB: prometheus-operator names it `prometheus-<Prometheus name>-db`,
 * and the chart names the Prometheus after the release (`kube-prometheus-stack-prometheus`).
 */
export const PROMETHEUS_DB_VOLUME = 'prometheus-kube-prometheus-stack-prometheus-db';

/**
 * Alertmanager's silences and the ops Grafana's database have no other copy: Velero copies them on the
 * management cluster. Prometheus' TSDB is remote-written to Thanos (whose bucket is the copy), so
 * Velero skips that volume; a management cluster without Thanos keeps it in Velero's copies. On
 * workload clusters the platform namespaces are not backed up: their Alertmanager's silences expire.
 */
export const KUBE_PROMETHEUS_STACK_BACKUPS: BackupDeclaration<Settings> = {
  ownVolumeBackups: false,
  paths: ({ cluster, settings: s, isEnabled }) => {
    const runbook = restoreRunbook('kube-prometheus-stack');
    const management = cluster.role === 'management';
    const toThanos = !management || isEnabled('thanos');
    return [
      management
        ? { state: 'Alertmanager silences and notification state', mechanism: 'velero', runbook }
        : {
            state: 'Alertmanager silences and notification state',
            mechanism: 'none',
            reason: `silences expire within ${s.alertmanager.retention}; teams re-create theirs`,
            runbook,
          },
      ...(management && s.grafana.enabled && s.grafana.persistence ? [{ state: "the ops Grafana's database", mechanism: 'velero' as const, runbook }] : []),
      toThanos
        ? {
            state: 'Prometheus TSDB',
            mechanism: 'object-storage' as const,
            schedule: 'continuous: remote write into Thanos',
            retention: 'Thanos retention on the management cluster',
            runbook,
            ...(management ? { excludedVolume: PROMETHEUS_DB_VOLUME } : {}),
          }
        : { state: 'Prometheus TSDB', mechanism: 'velero' as const, runbook },
    ];
  },
};
