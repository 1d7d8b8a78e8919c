import { EGRESS_KEY_ANNOTATION, type EnvironmentConfig } from '@ck8s/config';
import { bucketName, componentSettings, objectStorage, ownObjectStorage, type StateBackup } from '@ck8s/components';
import type { ClusterPlan, PlannedComponent } from './plan';

/**
 * The "Hardening" section of an environment's README: the settings operators must match outside the
 * cluster or check in review (backup paths, the log archive's retention and lock, which clusters hold
 * object storage credentials of their own, the pinned Falco rules, Harbor's housekeeping). It is
 * appended after the template's sections, each table built from the plans, so it says what renders.
 */

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cell = (s: string | number | boolean) => String(s).replace(/\|/g, '\\|');
const row = (cells: (string | number | boolean)[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: (string | number | boolean)[][]) => (rows.length ? [row(head), row(head.map(() => '---')), ...rows.map(row)] : ['(none)']);

const settingsOf = (plan: ClusterPlan, name: string): Any | undefined => {
  const p = plan.components.find((c) => c.component.name === name);
  return p ? (componentSettings(p.component, plan.cluster.settings.components) as Any) : undefined;
};

/** The Velero Schedule that copies a namespace's volumes on this cluster (its cron and TTL). */
function veleroScheduleFor(plan: ClusterPlan, namespace: string): { schedule: string; ttl: string } | undefined {
  const velero = plan.components.find((c) => c.component.name === 'velero');
  for (const o of velero?.output.config ?? []) {
    const spec = o.spec as Any;
    if (o.kind !== 'Schedule' || !spec.template.defaultVolumesToFsBackup) continue;
    if (spec.template.includedNamespaces.includes(namespace) || spec.template.includedNamespaces.includes('*'))
      return { schedule: spec.schedule, ttl: spec.template.ttl };
  }
  return undefined;
}

function backupRows(plan: ClusterPlan, p: PlannedComponent, b: StateBackup): string[] {
  const velero = b.mechanism === 'velero' ? veleroScheduleFor(plan, p.component.namespace) : undefined;
  const schedule = b.mechanism === 'none' ? `not backed up: ${b.reason}` : (velero?.schedule ?? b.schedule ?? 'no Velero schedule');
  const retention = b.mechanism === 'none' ? '' : (velero?.ttl ?? b.retention ?? '');
  return [plan.cluster.name, p.component.name, b.state, b.mechanism, schedule, retention, `[runbook](../../${b.runbook})`];
}

/** Who an egress peer is, in words: addresses, or pods and namespaces inside the cluster. */
function describePeer(peer: Any): string {
  if (peer.ipBlock) return peer.ipBlock.cidr;
  const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  const pods = peer.podSelector?.matchLabels ? Object.values(peer.podSelector.matchLabels).join('/') : undefined;
  if (ns) return `namespace ${ns}${pods ? ` (${pods})` : ''}`;
  if (peer.namespaceSelector) return 'every namespace';
  return pods ? `pods ${pods}` : 'its own namespace';
}

function egressRows(plan: ClusterPlan, p: PlannedComponent): string[][] {
  const policies = [...(p.output.objects ?? []), ...(p.output.config ?? [])].filter((o) => o.kind === 'NetworkPolicy');
  return policies.flatMap((o) =>
    ((o.spec as Any).egress ?? []).map((rule: Any) => [
      plan.cluster.name,
      p.component.name,
      `${o.metadata.namespace}/${o.metadata.name}`,
      (rule.to ?? []).map(describePeer).join(', ') || 'anywhere',
      (rule.ports ?? []).map((port: Any) => (port.protocol && port.protocol !== 'TCP' ? `${port.port}/${port.protocol}` : port.port)).join(', ') || 'all',
      o.metadata.annotations?.[EGRESS_KEY_ANNOTATION] ?? '',
    ]),
  );
}

/** Image references a component names in what it renders: `image:` strings and `{repository, tag}` maps. */
function namedImages(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => namedImages(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Any;
    if (typeof o.image === 'string' && /[/:@]/.test(o.image)) out.add(o.image);
    if (typeof o.repository === 'string' && typeof o.tag === 'string' && o.tag) out.add(`${o.registry ? `${o.registry}/` : ''}${o.repository}:${o.tag}`);
    Object.values(o).forEach((v) => namedImages(v, out));
  }
  return out;
}

/** What to copy into the mirrors: every pinned chart of the environment, and the images the platform names itself. */
function mirrorLines(env: EnvironmentConfig, plans: readonly ClusterPlan[]): string[] {
  const charts = new Map<string, string>();
  const images = new Set<string>();
  for (const plan of plans) {
    for (const p of plan.components) {
      if (p.chartKey && p.chart) charts.set(p.chartKey, `${p.chart.repository} ${p.chart.chart} ${p.chart.version}`);
      namedImages([p.output.values, p.output.objects, p.output.config], images);
    }
  }
  const chartRows = [...charts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, ref]) => {
      const [repository, chart, version] = ref.split(' ');
      return [key, repository, chart, version, env.mirrors?.charts || '(none)'];
    });
  const chartSource = env.mirrors?.charts ? `\`${env.mirrors.charts}\`` : 'their own repositories';
  const imageSource = env.mirrors?.images ? `\`${env.mirrors.images}\` (Gatekeeper rewrites every Pod's image registry)` : 'their own registries';
  return [
    '### Mirroring',
    '',
    `Charts come from ${chartSource}, images from ${imageSource}.`,
    'Copy every chart below into the chart mirror, and every image into the image mirror under its repository path.',
    '',
    ...table(['chart', 'repository', 'name', 'version', 'mirror'], chartRows),
    '',
    `Images the platform names itself; \`npx tsx tools/scripts/mirror-list.ts --env ${env.name}\` ` +
      "adds the images of every pinned chart's defaults, with their mirror names:",
    '',
    ...[...images].sort().map((i) => `- \`${i}\``),
    '',
  ];
}

export function hardeningSection(env: EnvironmentConfig, plans: readonly ClusterPlan[]): string {
  const lines: string[] = ['', '## Hardening', '', 'Settings to match outside the clusters and to check in review (rendered from the config).', ''];

  lines.push('### Backups', '', 'Each piece of state has one backup path (see docs/restore/).', '');
  lines.push(
    ...table(
      ['cluster', 'component', 'state', 'mechanism', 'schedule', 'retention', 'restore'],
      plans.flatMap((plan) => plan.components.flatMap((p) => p.backups.map((b) => backupRows(plan, p, b)))),
    ),
    '',
  );

  lines.push('### Log archive', '', "Set the bucket's lifecycle expiration (and Object Lock) to these values: docs/audit-archive.md.", '');
  lines.push(
    ...table(
      ['cluster', 'bucket', 'streams', 'retention (days)', 'object lock'],
      plans.flatMap((plan) => {
        const s = settingsOf(plan, 'fluent-bit');
        if (!s?.auditToObjectStorage || objectStorage(plan.cluster).type === 'none') return [];
        const streams = s.archive.authLogs ? 'audit, auth' : 'audit';
        return [[plan.cluster.name, bucketName(env, plan.cluster, 'audit'), streams, s.archive.retentionDays, s.archive.objectLock]];
      }),
    ),
    '',
  );

  lines.push('### Object storage credentials', '');
  const own = plans.flatMap((plan) => {
    const why = ownObjectStorage(env, plan.cluster);
    return why ? [[plan.cluster.name, why, `secrets/${plan.cluster.name}/`]] : [];
  });
  lines.push(
    ...(own.length ? table(['cluster', 'why its own', 'credentials in'], own) : ["Every cluster uses the environment's object storage and its credentials."]),
    '',
  );

  lines.push('### Falco rules', '');
  lines.push(
    ...table(
      ['cluster', 'falco-rules version', 'installed by falcoctl', 'exceptions', 'custom rules'],
      plans.flatMap((plan) => {
        const s = settingsOf(plan, 'falco');
        if (!s) return [];
        const exceptions =
          (s.rules.exceptions as { rule: string; namespaces: string[] }[]).map((e) => `${e.rule} (${e.namespaces.join(', ')})`).join('; ') || 'none';
        return [[plan.cluster.name, s.rules.version, s.rulesUpdates ? 'yes' : 'no (image rules)', exceptions, s.rules.custom.trim() ? 'yes' : 'no']];
      }),
    ),
    '',
  );

  lines.push('### Egress', '', 'Every egress rule of every component: outside the cluster only to the addresses of the named config key.', '');
  lines.push(
    ...table(
      ['cluster', 'component', 'policy', 'to', 'ports', 'allowed by'],
      plans.flatMap((plan) => plan.components.flatMap((p) => egressRows(plan, p))),
    ),
    '',
  );

  lines.push(...mirrorLines(env, plans));

  const harbor = plans.flatMap((plan) => {
    const s = settingsOf(plan, 'harbor');
    if (!s) return [];
    const h = s.housekeeping;
    const multipart =
      h.multipartCleanup.enabled && objectStorage(plan.cluster).type === 's3'
        ? `${h.multipartCleanup.schedule}, older than ${h.multipartCleanup.maxAge}`
        : 'off';
    return [
      [
        plan.cluster.name,
        h.gc.enabled ? `${h.gc.schedule}${h.gc.deleteUntagged ? ', untagged too' : ''}` : 'off',
        h.uploadPurging.enabled ? `after ${h.uploadPurging.age}` : 'off',
        multipart,
      ],
    ];
  });
  if (harbor.length)
    lines.push(
      '### Harbor housekeeping',
      '',
      ...table(['cluster', 'garbage collection (UTC)', 'abandoned uploads purged', 'unfinished multipart uploads aborted'], harbor),
      '',
    );
  return lines.join('\n');
}
