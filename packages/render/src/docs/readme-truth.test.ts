import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { alertsTarget, bucketName, endpoints, logsTarget, metricsTarget, s3Endpoint } from '@ck8s/components';
import { mermaidBlocks } from '@ck8s/docs';
import { repoRoot, tempDir } from '@ck8s/testing';
import type { FileMap } from '../layout';
import { listEnvironments, loadEnvironment, renderFromWorkspace } from '../workspace';

/** Every object in the rendered files of one cluster. */
function objects(files: FileMap, env: string, cluster: string): Record<string, unknown>[] {
  return [...files]
    .filter(([f]) => f.startsWith(`clusters/${env}/${cluster}/`) && f.endsWith('.yaml'))
    .flatMap(([, text]) => YAML.parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>))
    .filter((o) => o && typeof o === 'object');
}

/** Hosts the rendered output of a cluster serves: Ingress rules, and chart values' ingress host settings (Harbor's chart makes its own Ingress). */
function servedOnDisk(files: FileMap, env: string, cluster: string): Set<string> {
  const hosts = new Set<string>();
  for (const o of objects(files, env, cluster)) {
    if (o.kind === 'Ingress') for (const r of (o.spec as { rules: { host: string }[] }).rules) hosts.add(r.host);
  }
  for (const [f, text] of files) {
    if (!f.startsWith(`clusters/${env}/${cluster}/`) || !f.endsWith('/values.yaml')) continue;
    const v = YAML.parse(text) as { expose?: { type?: string; ingress?: { hosts?: Record<string, string> } } };
    if (v?.expose?.type === 'ingress') for (const h of Object.values(v.expose.ingress?.hosts ?? {})) hosts.add(h);
  }
  return hosts;
}

/** The hosts of the README's endpoint table. */
function readmeEndpoints(readme: string): Set<string> {
  const section = readme.split('## Endpoints')[1].split('\n## ')[0];
  return new Set([...section.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => m[1]));
}

/** The settings cell of a component on a cluster. */
function settingsCell(readme: string, cluster: string, component: string): string {
  const section = readme.split(`## Components on \`${cluster}\``)[1].split('\n## ')[0];
  const row = section.split('\n').find((l) => l.startsWith(`| **${component}**:`));
  return row?.split(' | ')[3] ?? '';
}

describe("the shipped environments' READMEs", () => {
  for (const env of listEnvironments(repoRoot)) {
    const files = renderFromWorkspace(repoRoot, env);
    const readme = files.get(`clusters/${env}/README.md`)!;
    const config = loadEnvironment(repoRoot, env);
    const management = config.clusters.find((c) => c.role === 'management')!.name;

    it(`${env}: lists exactly the endpoints its rendered output serves`, () => {
      const platformHosts = new Set(Object.values(endpoints(config)));
      const served = [...servedOnDisk(files, env, management)].filter((h) => platformHosts.has(h));
      expect([...readmeEndpoints(readme)].sort()).toEqual(served.sort());
    });

    it(`${env}: carries Level 1, Level 2 and the five per-concern Level-3 diagrams`, () => {
      const headings = [...readme.matchAll(/^### (Level \d: .+)$/gm)].map((m) => m[1]);
      expect(headings).toEqual([
        'Level 1: system context',
        'Level 2: clusters and what flows between them',
        'Level 3: Authentication',
        'Level 3: Backup',
        'Level 3: Metrics and metric-based alerting',
        'Level 3: Logs and log-based alerting',
        'Level 3: Access control',
      ]);
      const blocks = mermaidBlocks(readme);
      expect(blocks).toHaveLength(7);
      for (const b of blocks) expect(b).toMatch(/-->|-\.->/);
    });

    it(`${env}: draws each workload cluster's identities and each cluster's buckets from the wiring`, () => {
      const [, , auth, backup, metrics, logs] = mermaidBlocks(readme);
      expect(auth).toContain(`https://${endpoints(config).dex}`);
      for (const c of config.clusters) {
        const store = s3Endpoint(c);
        expect(backup).toContain(`bucket ${bucketName(config, c, 'velero')}`);
        expect(backup).toContain(`object storage: ${store}`);
        if (c.role !== 'workload') continue;
        expect(metrics).toContain(`as ${metricsTarget(config, c.name).username}, tenant ${metricsTarget(config, c.name).tenant}`);
        expect(logs).toContain(`as ${logsTarget(config, c.name).username}`);
        expect(logs).toContain(`as ${alertsTarget(config, c.name).username}`);
      }
    });
  }

  it('example-prod: apps-b stores at another provider, and the diagrams say so', () => {
    const env = loadEnvironment(repoRoot, 'example-prod');
    const [a, b] = ['apps-a', 'apps-b'].map((n) => env.clusters.find((c) => c.name === n)!);
    expect(s3Endpoint(a)).not.toBe(s3Endpoint(b));
    const backup = mermaidBlocks(readFileSync(join(repoRoot, 'clusters/example-prod/README.md'), 'utf8'))[3];
    const groups = [...backup.matchAll(/subgraph (\S+)\["object storage: ([^"]+)"\]/g)].map((m) => m[2]);
    expect(groups).toEqual(expect.arrayContaining([s3Endpoint(a), s3Endpoint(b)]));
  });
});

describe('the README follows the settings', () => {
  const t = tempDir('ck8s-readme-');
  cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
  afterAll(() => t.cleanup());
  /** Renders a copy of an environment with settings set in its config.yaml (`path` dotted, as in the config). */
  /** Renders a copy of the environment with settings changed in `configFile` (a cluster's own file wins over config.yaml). */
  const renderWith = (env: string, settings: Record<string, unknown>, configFile = 'config.yaml') => {
    const dir = join(t.dir, `${env}-${Math.random().toString(36).slice(2)}`);
    cpSync(join(repoRoot, 'environments', env), join(dir, 'environments', env), { recursive: true });
    const file = join(dir, 'environments', env, configFile);
    const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
    for (const [path, value] of Object.entries(settings)) doc.setIn(path.split('.'), value);
    writeFileSync(file, doc.toString());
    const files = renderFromWorkspace(dir, env);
    return { files, readme: files.get(`clusters/${env}/README.md`)! };
  };

  it('lists the Thanos query endpoint only when its ingress is on, as the rendered Ingress does', () => {
    const host = `thanos.${loadEnvironment(repoRoot, 'example-prod').opsDomain}`;
    const off = renderWith('example-prod', {});
    expect(readmeEndpoints(off.readme).has(host)).toBe(false);
    expect(servedOnDisk(off.files, 'example-prod', 'management').has(host)).toBe(false);
    const on = renderWith('example-prod', { 'components.thanos.query.ingress': true });
    expect(readmeEndpoints(on.readme).has(host)).toBe(true);
    expect(servedOnDisk(on.files, 'example-prod', 'management').has(host)).toBe(true);
    expect(settingsCell(on.readme, 'management', 'thanos')).toContain('query exposed at thanos.<opsDomain>: on');
  });

  it('shows log retention, backup schedule and retention as rendered', () => {
    const { files, readme } = renderWith('example-prod', {
      'components.opensearch.retentionDays': 90,
      'components.velero.schedule': '15 3 * * *',
      'components.velero.retention': '1440h',
    });
    expect(settingsCell(readme, 'management', 'opensearch')).toContain('log retention: 90 days');
    const configurer = objects(files, 'example-prod', 'management').find(
      (o) => o.kind === 'ConfigMap' && String((o.metadata as { name: string }).name).startsWith('opensearch-configurer'),
    );
    expect(JSON.stringify(configurer)).toContain('\\"min_index_age\\": \\"90d\\"');
    for (const cluster of ['management', 'apps-a', 'apps-b']) {
      expect(settingsCell(readme, cluster, 'velero')).toContain('backup schedule (UTC): 15 3 * * *; backups kept: 1440h');
      const schedule = objects(files, 'example-prod', cluster).find((o) => o.kind === 'Schedule') as { spec: { schedule: string; template: { ttl: string } } };
      expect([schedule.spec.schedule, schedule.spec.template.ttl]).toEqual(['15 3 * * *', '1440h']);
    }
    expect(mermaidBlocks(readme)[3]).toContain('15 3 * * * UTC, kept 1440h');
  });

  it('shows the enforcement mode the constraints are rendered with', () => {
    for (const mode of ['warn', 'deny']) {
      const { files, readme } = renderWith('example-dev', { 'components.gatekeeperConstraints.defaultEnforcementAction': mode });
      expect(settingsCell(readme, 'workload', 'gatekeeper-constraints')).toBe(`default enforcement: ${mode}`);
      const actions = new Set(
        objects(files, 'example-dev', 'workload')
          .filter((o) => String(o.apiVersion).startsWith('constraints.gatekeeper.sh/'))
          .map((o) => (o.spec as { enforcementAction: string }).enforcementAction),
      );
      expect([...actions]).toEqual([mode]);
    }
  });

  it('lists a switched-off component as off, without its endpoint or its boxes', () => {
    const { files, readme } = renderWith('example-prod', { 'components.harbor.enabled': false });
    const host = endpoints(loadEnvironment(repoRoot, 'example-prod')).harbor;
    expect(readme).toMatch(/Switched off on `management`:[\s\S]*\| \*\*harbor\*\* \(off\): .* \| `components.harbor.enabled: false` \|/);
    expect(readmeEndpoints(readme).has(host)).toBe(false);
    expect(servedOnDisk(files, 'example-prod', 'management').has(host)).toBe(false);
    expect(mermaidBlocks(readme).join('\n')).not.toContain(host);
  });

  it('names the alert receivers and their channel', () => {
    const receivers = [{ name: 'oncall', type: 'slack', channel: '#oncall' }];
    const { readme } = renderWith('example-prod', { 'components.kubePrometheusStack.alertmanager.receivers': receivers }, 'management.yaml');
    expect(settingsCell(readme, 'management', 'kube-prometheus-stack')).toContain('alert receivers: oncall (slack #oncall)');
    expect(mermaidBlocks(readme)[4]).toContain('slack receiver oncall<br/>#35;oncall');
  });
});
