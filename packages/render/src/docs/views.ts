import { alertsTarget, bucketName, endpoints, LOG_STREAMS, logIndex, logsTarget, metricsTarget, objectStorage, s3Endpoint } from '@ck8s/components';
// Component-internal wiring the README draws from: the same functions the components render with.
import { KUBELOGIN_CLIENT_ID, OIDC_APPS, dexIssuer } from '@ck8s/components/src/dex/clients';
import { platformBuckets } from '@ck8s/components/src/rclone-sync';
import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { ConcernView, FlowEdge, FlowGroup, FlowNode } from '@ck8s/docs';
import type { ClusterPlan } from '../plan';
import { exposedEndpoints } from './endpoints';
import { at, settingsOn, show } from './settings';

/** A view under construction: nodes and groups are added once, edges in order. */
class View {
  readonly groups: FlowGroup[] = [];
  readonly nodes: FlowNode[] = [];
  readonly edges: FlowEdge[] = [];
  group(id: string, label: string): string {
    if (!this.groups.some((g) => g.id === id)) this.groups.push({ id, label });
    return id;
  }
  node(n: FlowNode): string {
    if (!this.nodes.some((x) => x.id === n.id)) this.nodes.push(n);
    return n.id;
  }
  edge(from: string, to: string, label: string[], dotted = false): void {
    this.edges.push({ from, to, label, dotted });
  }
  done(id: string, title: string, intro: string, direction: ConcernView['direction'] = 'LR', level: ConcernView['level'] = 3): ConcernView {
    return { id, level, title, intro, direction, groups: this.groups, nodes: this.nodes, edges: this.edges };
  }
}

const clusterGroup = (v: View, p: ClusterPlan) => v.group(`cl_${p.cluster.name}`, `${p.cluster.name} (${p.cluster.role}, ${p.cluster.provider})`);
const on = (p: ClusterPlan | undefined, name: string) => !!settingsOn(p, name)?.enabled;

/** Where a cluster's buckets live: the object storage API and endpoint of its provider. */
function storeOf(v: View, cluster: ClusterConfig): string {
  const o = objectStorage(cluster);
  const where = s3Endpoint(cluster) || `${o.type} default endpoint${o.region ? ` (${o.region})` : ''}`;
  return v.group(`os_${where}`, `object storage: ${where}`);
}

/**
 * A bucket box in the store group of the cluster's provider. Clusters that share a bucket write under
 * their own prefix: the box lists every prefix that points at it.
 */
function bucket(v: View, env: EnvironmentConfig, cluster: ClusterConfig, purpose: string, what: string, prefix?: string): string {
  const name = bucketName(env, cluster, purpose);
  const id = v.node({ id: `b_${storeOf(v, cluster)}_${name}`, label: [`bucket ${name}`, what], shape: 'store', group: storeOf(v, cluster) });
  if (prefix) {
    const n = v.nodes.find((x) => x.id === id)!;
    const prefixes = n.label.length > 2 ? n.label[2].replace(/^prefix(es)? /, '').split(', ') : [];
    n.label = [n.label[0], n.label[1], `${prefixes.length ? 'prefixes' : 'prefix'} ${[...prefixes, `${prefix}/`].join(', ')}`];
  }
  return id;
}

function authentication(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  const v = new View();
  const title = 'Authentication';
  const dex = settingsOn(m, 'dex');
  if (!m || !dex?.enabled) {
    v.node({ id: 'none', label: ['Dex is off: no single sign-on', 'applications use their own logins'] });
    return v.done('authentication', title, 'Dex is switched off in this environment.');
  }
  const mg = clusterGroup(v, m);
  const people = v.node({ id: 'people', label: ['People', 'operators and application developers'], shape: 'person' });
  const dexNode = v.node({ id: 'dex', label: ['Dex (OIDC provider)', dexIssuer(env)], group: mg });
  const connectors = (dex.connectors as { id: string; type: string; name: string }[]) ?? [];
  for (const c of connectors) {
    const idp = v.node({ id: `idp_${c.id}`, label: [`${c.name}`, `${c.type} identity provider`], shape: 'external' });
    v.edge(dexNode, idp, [`login delegated (connector ${c.id})`, `Secret dex-connector-${c.id}`]);
  }
  if (dex.staticPasswords)
    v.edge(dexNode, v.node({ id: 'static', label: ['static admin login', `admin@${env.domain} (dev only)`], group: mg }), ['local password database']);
  if (!connectors.length && !dex.staticPasswords)
    v.edge(
      dexNode,
      v.node({ id: 'noidp', label: ['no identity provider configured', 'components.dex.connectors is empty'], shape: 'external' }),
      ['nobody can log in yet'],
      true,
    );
  for (const [id, app] of Object.entries(OIDC_APPS)) {
    if (!on(m, app.component)) continue;
    const node = v.node({ id: `app_${id}`, label: [app.name, `https://${app.host(env)}`], group: mg });
    v.edge(people, node, ['signs in']);
    v.edge(node, dexNode, [`OIDC, client ${id}`, `redirect ${app.callback}`]);
  }
  const kubectl = v.node({ id: 'kubectl', label: ['kubectl with kubelogin', "on the user's machine"], shape: 'person' });
  v.edge(kubectl, dexNode, [`OIDC, public client ${KUBELOGIN_CLIENT_ID}`, 'loopback redirect, PKCE']);
  for (const p of plans) {
    const api = v.node({ id: `api_${p.cluster.name}`, label: [`Kubernetes API`, p.cluster.name], group: clusterGroup(v, p) });
    v.edge(kubectl, api, ['ID token from Dex'], true);
  }
  return v.done(
    'authentication',
    title,
    `Single sign-on through Dex at \`${dexIssuer(env)}\`: every web application of the platform is an OIDC client of it, kubectl logs in through kubelogin. ` +
      "The dotted arrows need the clusters' API servers to trust this issuer (set where the clusters are provisioned).",
  );
}

function backup(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  const v = new View();
  for (const p of plans) {
    const g = clusterGroup(v, p);
    const vs = settingsOn(p, 'velero');
    if (!vs?.enabled) {
      v.node({ id: `novelero_${p.cluster.name}`, label: ['Velero off', 'no cluster backups'], group: g });
      continue;
    }
    const scope = p.cluster.role === 'management' ? 'platform namespaces' : "users' namespaces";
    const velero = v.node({ id: `velero_${p.cluster.name}`, label: ['Velero', `${scope}${vs.fsBackup ? ' + volume contents' : ''}`], group: g });
    v.edge(velero, bucket(v, env, p.cluster, 'velero', 'cluster backups', p.cluster.name), [
      `${vs.schedule} UTC, kept ${vs.retention}`,
      `credentials ${objectStorage(p.cluster).credentialsSecret}`,
    ]);
  }
  if (m) {
    const g = clusterGroup(v, m);
    const os = settingsOn(m, 'opensearch');
    if (os?.enabled && at(os, 'snapshots.enabled')) {
      const n = v.node({ id: 'os_snap', label: ['OpenSearch snapshots', 'repository platform'], group: g });
      v.edge(n, bucket(v, env, m.cluster, 'opensearch', 'log snapshots'), [
        `${at(os, 'snapshots.schedule')} UTC, kept ${at(os, 'snapshots.retentionDays')} days`,
        `at least ${at(os, 'snapshots.minCount')}`,
      ]);
    }
    const hb = settingsOn(m, 'harbor');
    if (hb?.enabled && at(hb, 'backup.enabled')) {
      const n = v.node({ id: 'harbor_db', label: ['Harbor database dump', 'CronJob harbor-database-backup'], group: g });
      v.edge(n, bucket(v, env, m.cluster, 'harbor', 'images and database dumps'), [
        `${at(hb, 'backup.schedule')} UTC, kept ${at(hb, 'backup.retentionDays')} days`,
      ]);
    }
    const rc = settingsOn(m, 'rclone-sync');
    if (rc?.enabled) {
      const n = v.node({ id: 'rclone', label: ['rclone sync', `mode ${rc.mode}`], group: g });
      const offsite = v.node({
        id: 'offsite',
        label: ['off-site object store', `buckets ${show(rc.destinationPrefix)}<name>`, 'remote in Secret rclone-config'],
        shape: 'store',
      });
      v.edge(n, offsite, [`${rc.schedule} UTC: ${platformBuckets(env).length} buckets`, ...platformBuckets(env)]);
    }
  }
  return v.done(
    'backup',
    'Backup',
    'What is backed up, when, for how long, and where it is stored: each cluster writes to the object storage of its own provider.',
  );
}

/**
 * Flux's notification-controller on every cluster and where its events go (the settings flux.ts renders
 * the Providers from): one box for all clusters, or the diagram drowns in identical arrows.
 */
function flux(v: View, env: EnvironmentConfig, plans: ClusterPlan[], am: string | undefined): void {
  const toAm = plans.filter((p) => p.cluster.settings.notifications.alertmanager && am).map((p) => p.cluster.name);
  const hooks = new Map(plans.flatMap((p) => p.cluster.settings.notifications.webhooks.map((w) => [w.name, w] as const)));
  if (!toAm.length && !hooks.size) return;
  const node = v.node({
    id: 'flux_events',
    label: [
      'Flux events (drift, failures)',
      `from ${plans.map((p) => p.cluster.name).join(', ')}`,
      ...(toAm.length ? ['workload clusters as writer-<cluster>'] : []),
    ],
  });
  if (toAm.length) v.edge(node, am!, ['events']);
  for (const w of hooks.values())
    v.edge(node, v.node({ id: `hook_${w.name}`, label: [`${w.type} ${w.name}`, w.channel ?? `Secret ${w.secretName}`], shape: 'external' }), ['events']);
}

function metrics(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  // Edge labels stay one or two words: where many arrows cross, longer labels pile up on each other.
  // Endpoints, identities and retention live in the boxes.
  const v = new View();
  const e = endpoints(env);
  const mg = m && clusterGroup(v, m);
  const thanos = m && on(m, 'thanos');
  const am = m && on(m, 'kube-prometheus-stack') ? v.node({ id: 'am', label: ['Alertmanager (platform)', `https://${e.alertmanager}`], group: mg }) : undefined;
  const receive = thanos ? v.node({ id: 'receive', label: ['Thanos receive', `https://${e.thanosReceive}/api/v1/receive`], group: mg }) : undefined;
  if (thanos && m) {
    const ts = settingsOn(m, 'thanos');
    const query = v.node({ id: 'query', label: ['Thanos query', at(ts, 'query.ingress') ? `https://${e.thanosQuery}` : 'in-cluster only'], group: mg });
    v.edge(
      receive!,
      bucket(
        v,
        env,
        m.cluster,
        'thanos',
        `raw ${at(ts, 'retention.rawDays')} d, 5m ${at(ts, 'retention.fiveMinuteDays')} d, 1h ${at(ts, 'retention.oneHourDays')} d`,
      ),
      ['blocks'],
    );
    v.edge(query, receive!, ['reads']);
    if (on(m, 'kube-prometheus-stack') && at(settingsOn(m, 'kube-prometheus-stack'), 'grafana.enabled'))
      v.edge(v.node({ id: 'opsgrafana', label: ['Grafana (operators)', e.opsGrafana], group: mg }), query, ['queries']);
    if (on(m, 'user-grafana'))
      v.edge(v.node({ id: 'usergrafana', label: ['Grafana (developers)', e.grafana, 'a datasource per workload cluster'], group: mg }), query, ['queries']);
    if (at(ts, 'ruler.enabled') && am) v.edge(v.node({ id: 'ruler', label: ['Thanos ruler', 'rules over all tenants'], group: mg }), am, ['alerts']);
  }
  for (const p of plans) {
    if (!on(p, 'kube-prometheus-stack')) continue;
    const g = clusterGroup(v, p);
    const ks = settingsOn(p, 'kube-prometheus-stack');
    const local = `retention ${at(ks, 'prometheus.retention')}, ${at(ks, 'prometheus.replicas')} replica(s)`;
    if (p.cluster.role === 'management') {
      const prom = v.node({ id: `prom_${p.cluster.name}`, label: ['Prometheus', local, `in-cluster, tenant ${p.cluster.name}`], group: g });
      if (receive) v.edge(prom, receive, ['metrics']);
      if (am) v.edge(prom, am, ['alerts']);
      continue;
    }
    const mt = metricsTarget(env, p.cluster.name);
    const alerter = alertsTarget(env, p.cluster.name).username;
    const sender = `as ${mt.username}${alerter === mt.username ? '' : ` / ${alerter}`}, tenant ${mt.tenant}`;
    const prom = v.node({ id: `prom_${p.cluster.name}`, label: ['Prometheus', local, sender], group: g });
    if (receive) v.edge(prom, receive, ['metrics']);
    if (am) v.edge(prom, am, ['alerts']);
    v.edge(prom, v.node({ id: `uam_${p.cluster.name}`, label: ['Alertmanager (users)', "teams' AlertmanagerConfig"], group: g }), ['user alerts']);
  }
  flux(v, env, plans, am);
  if (am && m) {
    const ks = settingsOn(m, 'kube-prometheus-stack');
    const receivers = (at(ks, 'alertmanager.receivers') as { name: string; type: string; channel?: string }[]) ?? [];
    for (const r of receivers)
      v.edge(
        am,
        v.node({ id: `rcv_${r.name}`, label: [`${r.type} receiver ${r.name}`, r.channel || 'address in Secret alertmanager-receivers'], shape: 'external' }),
        ['notifies'],
      );
    if (!receivers.length)
      v.edge(am, v.node({ id: 'rcv_none', label: ['no alert receivers configured', 'alertmanager.receivers is empty'], shape: 'external' }), ['none'], true);
    if (at(ks, 'alertmanager.heartbeat.enabled')) {
      const hb = v.node({
        id: 'heartbeat',
        label: [
          "heartbeat service (dead man's switch)",
          `Watchdog of ${plans.map((p) => p.cluster.name).join(', ')}`,
          `every ${at(ks, 'alertmanager.heartbeat.repeatInterval')}, Secret alertmanager-heartbeat`,
        ],
        shape: 'external',
      });
      v.edge(am, hb, ['heartbeat']);
    }
  }
  return v.done(
    'metrics',
    'Metrics and metric-based alerting',
    'Each workload cluster writes its metrics to Thanos on the management cluster under its own identity and tenant, ' +
      "and sends platform alerts to the management Alertmanager; alerts about users' namespaces stay on their cluster. " +
      'Flux reports drift and failed reconciliations to the same Alertmanager and to the configured webhooks.',
  );
}

function logs(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  // As in the metrics view: short edge labels, the details in the boxes.
  const v = new View();
  const e = endpoints(env);
  const mg = m && clusterGroup(v, m);
  const os = m && settingsOn(m, 'opensearch');
  const store = os?.enabled
    ? v.node({ id: 'opensearch', label: ['OpenSearch', `https://${e.opensearch}`, `indices deleted after ${os.retentionDays} days`], group: mg })
    : undefined;
  const am = m && on(m, 'kube-prometheus-stack') ? v.node({ id: 'am', label: ['Alertmanager (platform)', `https://${e.alertmanager}`], group: mg }) : undefined;
  if (store && m) {
    if (on(m, 'opensearch-dashboards')) {
      const dash = v.node({ id: 'dashboards', label: ['OpenSearch Dashboards', e.opensearchDashboards], group: mg });
      v.edge(dash, store, ['searches']);
      v.edge(v.node({ id: 'readers', label: ['operators and developers', 'single sign-on'], shape: 'person' }), dash, ['read logs']);
    }
    if (on(m, 'opensearch-exporter') && am) {
      const exp = v.node({
        id: 'exporter',
        label: ['OpenSearch exporter + rules', 'logs missing from a cluster,', 'index not deleted, snapshot too old'],
        group: mg,
      });
      v.edge(exp, store, ['reads state']);
      v.edge(exp, am, ['alerts']);
    }
    if (at(os, 'snapshots.enabled')) {
      v.edge(store, bucket(v, env, m.cluster, 'opensearch', `snapshots ${at(os, 'snapshots.schedule')} UTC, kept ${at(os, 'snapshots.retentionDays')} d`), [
        'snapshots',
      ]);
    }
  }
  for (const p of plans) {
    const g = clusterGroup(v, p);
    const fb = settingsOn(p, 'fluent-bit');
    if (fb?.enabled) {
      const indices = `indices ${LOG_STREAMS.map((s) => logIndex(s, p.cluster.name)).join(', ')}`;
      const who = p.cluster.role === 'management' ? 'in-cluster' : `as ${logsTarget(env, p.cluster.name).username}`;
      const ship = v.node({ id: `fb_${p.cluster.name}`, label: ['Fluent Bit', who, indices], group: g });
      if (store) v.edge(ship, store, ['logs']);
      if (fb.auditToObjectStorage && objectStorage(p.cluster).type !== 'none')
        v.edge(ship, bucket(v, env, p.cluster, 'audit', 'audit log archive', p.cluster.name), ['audit logs']);
    }
    if (on(p, 'falco') && am) {
      const who = p.cluster.role === 'management' ? 'in-cluster' : `as ${alertsTarget(env, p.cluster.name).username}`;
      const falco = v.node({
        id: `falco_${p.cluster.name}`,
        label: ['Falco + falcosidekick', `priority ≥ ${at(settingsOn(p, 'falco'), 'alertPriority')}`, who],
        group: g,
      });
      v.edge(falco, am, ['security events']);
    }
  }
  return v.done(
    'logs',
    'Logs and log-based alerting',
    'Every cluster ships its logs to OpenSearch on the management cluster, each workload cluster as its own write-only user into its own indices; ' +
      "Kubernetes audit logs are also archived in the object storage of the cluster's own provider, " +
      'and runtime security events go to the platform Alertmanager.',
  );
}

function access(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  const v = new View();
  const e = endpoints(env);
  const who = (s: Record<string, unknown> | undefined, path: string) => {
    const groups = (at(s, `${path}.groups`) as string[] | undefined) ?? [];
    const users = (at(s, `${path}.users`) as string[] | undefined) ?? [];
    return [...groups.map((g) => `group ${g}`), ...users.map((u) => `user ${u}`)];
  };
  const subject = (role: string, names: string[]) =>
    v.node({ id: `${role}_${names.join('_') || 'none'}`, label: [role, names.length ? names.join(', ') : 'none configured'], shape: 'person' });
  // Clusters configured alike share one box that names them: the same binding on three clusters is one fact.
  const grants = new Map<string, { subject: string; label: string[]; via: string; clusters: string[] }>();
  const grant = (p: ClusterPlan, subjectId: string, label: string[], via: string) => {
    const key = JSON.stringify([subjectId, label, via]);
    const g = grants.get(key) ?? { subject: subjectId, label, via, clusters: [] };
    g.clusters.push(p.cluster.name);
    grants.set(key, g);
  };
  const rbac = v.group('rbac', 'Kubernetes RBAC and admission');
  for (const p of plans) {
    const admin = settingsOn(p, 'cluster-admin-rbac');
    if (admin?.enabled) {
      grant(p, subject('platform administrators', who(admin, 'admins')), ['ClusterRole cluster-admin'], 'bound');
      grant(p, subject('auditors', who(admin, 'viewers')), ['ClusterRole platform-viewer', 'read-only'], 'bound');
    }
    const ur = settingsOn(p, 'user-rbac');
    if (ur?.enabled) {
      const ns = `namespaces: ${show(ur.namespaces)}`;
      const admins = subject('application team admins', who(ur, 'admins'));
      grant(p, admins, ['ClusterRole user-admin', ns, `Pod Security ${ur.podSecurity}`], 'RoleBindings');
      grant(p, subject('application team viewers', who(ur, 'viewers')), ['ClusterRole user-view', ns, 'Secrets excluded'], 'RoleBindings');
      if (settingsOn(p, 'capsule')?.enabled && at(ur, 'selfService.enabled')) {
        grant(p, admins, [`Capsule tenant ${at(ur, 'selfService.tenant')}`, `up to ${at(ur, 'selfService.namespaceQuota')} own namespaces`], 'owners');
      }
    }
    const gk = settingsOn(p, 'gatekeeper-constraints');
    if (gk?.enabled && on(p, 'gatekeeper')) grant(p, '', ['Gatekeeper constraints', `default enforcement ${gk.defaultEnforcementAction}`], '');
  }
  let i = 0;
  for (const g of grants.values()) {
    const node = v.node({ id: `grant_${i++}`, label: [...g.label, `on ${g.clusters.join(', ')}`], group: rbac });
    if (g.subject) v.edge(g.subject, node, [g.via]);
  }
  if (m) {
    const web = v.group('web', `web applications on ${m.cluster.name}`);
    const apps: FlowNode[] = [];
    const ks = settingsOn(m, 'kube-prometheus-stack');
    if (ks?.enabled && at(ks, 'grafana.enabled')) {
      apps.push({
        id: 'g_ops',
        label: [
          'Grafana (operators)',
          e.opsGrafana,
          `admins: ${show(at(ks, 'grafana.adminGroups'))}`,
          `editors: ${show(at(ks, 'grafana.editorGroups'))}`,
          'others: Viewer',
        ],
        group: web,
      });
    }
    const ug = settingsOn(m, 'user-grafana');
    if (ug?.enabled)
      apps.push({
        id: 'g_user',
        label: ['Grafana (developers)', e.grafana, `admins: ${show(ug.adminGroups)}`, `editors: ${show(ug.editorGroups)}`, `others: ${ug.defaultRole}`],
        group: web,
      });
    const os = settingsOn(m, 'opensearch');
    if (os?.enabled)
      apps.push({
        id: 'os_roles',
        label: ['OpenSearch', `all_access: ${show(at(os, 'sso.adminGroups'))}`, `log readers: ${show(at(os, 'sso.readerGroups'))}`],
        group: web,
      });
    const hb = settingsOn(m, 'harbor');
    if (hb?.enabled) apps.push({ id: 'harbor_adm', label: ['Harbor', e.harbor, `admin group: ${show(hb.oidcAdminGroup)}`], group: web });
    if (apps.length && on(m, 'dex')) {
      const groups = v.node({ id: 'dexgroups', label: ['groups claim from Dex', 'as the identity provider sends them'], shape: 'external' });
      for (const a of apps) v.edge(groups, v.node(a), ['role mapping']);
    }
  }
  return v.done(
    'access',
    'Access control',
    'Who may do what: Kubernetes RBAC from the configured users and groups (as the API server sees them in the OIDC claims), admission policies, ' +
      "and the web applications' role mapping from Dex groups. Boxes name the clusters they apply to.",
  );
}

function context(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  const v = new View();
  const ops = v.node({ id: 'ops', label: ['Platform operators', 'change config through pull requests'], shape: 'person' });
  const dev = v.node({ id: 'dev', label: ['Application developers', 'deploy applications'], shape: 'person' });
  const workloads = plans.filter((p) => p.cluster.role === 'workload').length;
  const platform = v.node({
    id: 'platform',
    label: [env.name, `Compliant Kubernetes (${env.flavor})`, `1 management + ${workloads} workload cluster(s)`],
    shape: 'system',
  });
  const git = v.node({ id: 'git', label: ['Git repository', env.git.url, `branch ${env.git.branch}`], shape: 'external' });
  v.edge(ops, git, ['changes config', 'reviews rendered diffs']);
  v.edge(platform, git, ['Flux pulls']);
  v.edge(dev, platform, ['deploys apps', 'reads logs and metrics']);
  v.edge(ops, platform, ['operates', 'Grafana, Alertmanager, OpenSearch']);
  const stores = [
    ...new Set(
      plans
        .filter((p) => objectStorage(p.cluster).type !== 'none')
        .map((p) => `${p.cluster.provider}: ${s3Endpoint(p.cluster) || objectStorage(p.cluster).type}`),
    ),
  ];
  if (stores.length) v.edge(platform, v.node({ id: 'storage', label: ['Object storage', ...stores], shape: 'store' }), ['backups, log archives, metrics']);
  const dex = settingsOn(m, 'dex');
  if (dex?.enabled) {
    const idps = ((dex.connectors as { name: string }[]) ?? []).map((c) => c.name);
    v.edge(platform, v.node({ id: 'idp', label: ['Identity providers', idps.length ? idps.join(', ') : 'none configured'], shape: 'external' }), [
      'single sign-on via Dex',
    ]);
  }
  const ks = settingsOn(m, 'kube-prometheus-stack');
  const targets = [
    ...((at(ks, 'alertmanager.receivers') as { name: string; type: string }[] | undefined) ?? []).map((r) => `${r.type} ${r.name}`),
    ...(at(ks, 'alertmanager.heartbeat.enabled') ? ['heartbeat service'] : []),
    ...[...new Set(plans.flatMap((p) => p.cluster.settings.notifications.webhooks.map((w) => `${w.type} ${w.name}${w.channel ? ` ${w.channel}` : ''}`)))],
  ];
  if (targets.length) v.edge(platform, v.node({ id: 'notify', label: ['Notification targets', ...targets], shape: 'external' }), ['alerts, Flux events']);
  return v.done('context', 'system context', 'Who uses the environment and what it depends on.', 'TB', 1);
}

function containers(env: EnvironmentConfig, m: ClusterPlan | undefined, plans: ClusterPlan[]): ConcernView {
  const v = new View();
  const e = endpoints(env);
  if (!m) return v.done('clusters', 'clusters and what flows between them', 'No management cluster.', 'LR', 2);
  const served = new Set(exposedEndpoints(env, m).map((x) => x.host));
  const mg = v.group('mgmt', `${m.cluster.name} (management cluster, ${m.cluster.provider})`);
  const wg = v.group('workloads', 'workload clusters');
  const targets = [
    {
      id: 'in_metrics',
      host: e.thanosReceive,
      label: ['Thanos receive', e.thanosReceive],
      carries: 'metrics',
      who: (c: string) => metricsTarget(env, c).username,
    },
    { id: 'in_logs', host: e.opensearch, label: ['OpenSearch', e.opensearch], carries: 'logs', who: (c: string) => logsTarget(env, c).username },
    { id: 'in_alerts', host: e.alertmanager, label: ['Alertmanager', e.alertmanager], carries: 'alerts', who: (c: string) => alertsTarget(env, c).username },
  ].filter((t) => served.has(t.host));
  for (const t of targets) v.node({ id: t.id, label: t.label, group: mg });
  v.node({ id: 'mgmt_rest', label: [`${m.components.length} platform components`, 'Grafana, Dex, Harbor, ...'], group: mg });
  for (const p of plans.filter((x) => x.cluster.role === 'workload')) {
    const c = v.node({
      id: `w_${p.cluster.name}`,
      label: [p.cluster.name, `workload cluster, ${p.cluster.provider}`, `${p.components.length} platform components`],
      group: wg,
    });
    for (const t of targets) v.edge(c, t.id, [t.carries, `as ${t.who(p.cluster.name)}`]);
  }
  return v.done(
    'clusters',
    'clusters and what flows between them',
    'Each workload cluster pushes metrics, logs and alerts to the management cluster, each under its own identity.',
    'LR',
    2,
  );
}

/** The architecture views of an environment (Level 1, Level 2, one Level-3 view per concern), from the same wiring its objects are rendered with. */
export function concernViews(env: EnvironmentConfig, plans: ClusterPlan[]): ConcernView[] {
  const m = plans.find((p) => p.cluster.role === 'management');
  return [
    context(env, m, plans),
    containers(env, m, plans),
    authentication(env, m, plans),
    backup(env, m, plans),
    metrics(env, m, plans),
    logs(env, m, plans),
    access(env, m, plans),
  ];
}

export { exposedEndpoints };
