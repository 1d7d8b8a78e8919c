import type { DocsSetting } from '@ck8s/docs';
import type { ClusterPlan } from '../plan';
import { at, settingsOn, show } from './settings';

type Pick = (s: Record<string, unknown>, plan: ClusterPlan) => unknown;
type Entry = [label: string, value: string | Pick, roles?: readonly ('management' | 'workload')[]];

const days =
  (path: string): Pick =>
  (s) =>
    `${at(s, path)} days`;
const get =
  (path: string): Pick =>
  (s) =>
    at(s, path);
const MGMT = ['management'] as const;

/**
 * Per component, the settings an auditor asks about: retention, enforcement, backup schedule and
 * retention, replicas, notification targets. Read from the effective settings of each cluster, so the
 * README says what this environment runs, not what the catalog defaults to.
 */
const AUDIT: Record<string, Entry[]> = {
  'kube-prometheus-stack': [
    ['Prometheus retention', get('prometheus.retention')],
    ['Prometheus replicas', get('prometheus.replicas')],
    ['Alertmanager replicas', get('alertmanager.replicas')],
    [
      'alert receivers',
      (s) =>
        (at(s, 'alertmanager.receivers') as { name: string; type: string; channel?: string }[]).map(
          (r) => `${r.name} (${r.type}${r.channel ? ` ${r.channel}` : ''})`,
        ),
      MGMT,
    ],
    ["dead man's switch", (s) => (at(s, 'alertmanager.heartbeat.enabled') ? `on, every ${at(s, 'alertmanager.heartbeat.repeatInterval')}` : 'off'), MGMT],
  ],
  falco: [['lowest priority forwarded', get('alertPriority')]],
  gatekeeper: [
    ['webhook replicas', get('replicas')],
    ['failure policy', get('failurePolicy')],
  ],
  'gatekeeper-constraints': [['default enforcement', get('defaultEnforcementAction')]],
  velero: [
    ['backup schedule (UTC)', get('schedule')],
    ['backups kept', get('retention')],
    ['volume contents', (s) => (at(s, 'fsBackup') ? 'backed up (node agent)' : 'not backed up (objects only)')],
  ],
  'fluent-bit': [['audit logs to object storage', get('auditToObjectStorage')]],
  dex: [
    ['replicas', get('replicas')],
    ['identity providers', (s) => (at(s, 'connectors') as { id: string; type: string }[]).map((c) => `${c.id} (${c.type})`)],
    ['static admin login', get('staticPasswords')],
  ],
  thanos: [
    ['raw / 5m / 1h retention', (s) => `${at(s, 'retention.rawDays')} / ${at(s, 'retention.fiveMinuteDays')} / ${at(s, 'retention.oneHourDays')} days`],
    ['receive replicas × replication', (s) => `${at(s, 'receive.replicas')} × ${at(s, 'receive.replicationFactor')}`],
    ['query exposed at thanos.<opsDomain>', get('query.ingress')],
  ],
  opensearch: [
    ['log retention', days('retentionDays')],
    ['nodes', get('replicas')],
    [
      'snapshots',
      (s) =>
        at(s, 'snapshots.enabled')
          ? `${at(s, 'snapshots.schedule')} (UTC), kept ${at(s, 'snapshots.retentionDays')} days (at least ${at(s, 'snapshots.minCount')})`
          : 'off',
    ],
  ],
  'opensearch-dashboards': [['replicas', get('replicas')]],
  harbor: [
    ['replicas', get('replicas')],
    ['database backup', (s) => (at(s, 'backup.enabled') ? `${at(s, 'backup.schedule')} (UTC), kept ${at(s, 'backup.retentionDays')} days` : 'off')],
  ],
  'cert-manager': [['replicas', get('replicas')]],
  ingress: [
    ['controller', get('controller')],
    ['replicas', get('replicas')],
  ],
  'rclone-sync': [
    ['off-site sync (UTC)', get('schedule')],
    ['mode', get('mode')],
  ],
  'cluster-admin-rbac': [
    ['cluster-admin', (s) => [...(at(s, 'admins.groups') as string[]).map((g) => `group ${g}`), ...(at(s, 'admins.users') as string[])]],
    ['platform-viewer (auditors)', (s) => [...(at(s, 'viewers.groups') as string[]).map((g) => `group ${g}`), ...(at(s, 'viewers.users') as string[])]],
  ],
  'user-rbac': [
    ['user namespaces', get('namespaces')],
    ['Pod Security in user namespaces', get('podSecurity')],
  ],
  capsule: [['tenants', (s) => (at(s, 'tenants') as { name: string }[]).map((t) => t.name)]],
  'trivy-operator': [['severities recorded', get('severities')]],
  kured: [['reboot window', (s) => `${show(at(s, 'rebootDays'))} ${show(at(s, 'startTime'))}–${show(at(s, 'endTime'))}`]],
};

/** The auditor's settings of one planned component on its cluster. */
export function auditSettings(plan: ClusterPlan, component: string): DocsSetting[] {
  const s = settingsOn(plan, component);
  if (!s) return [];
  return (AUDIT[component] ?? [])
    .filter(([, , roles]) => !roles || roles.includes(plan.cluster.role))
    .map(([label, value]) => ({ label, value: show(typeof value === 'function' ? value(s, plan) : at(s, value)) }));
}
