import { describe, expect, it } from 'vitest';
import { flowchart, mermaidText } from './mermaid';
import type { ConcernView, DocsModel } from './model';
import { environmentReadme, mermaidBlocks } from './readme';

const view = (id: string, level: 1 | 2 | 3): ConcernView => ({
  id,
  level,
  title: `view ${id}`,
  intro: `About ${id}.`,
  direction: 'LR',
  groups: [{ id: 'mgmt', label: 'mgmt (management)' }],
  nodes: [
    { id: 'a-1', label: ['Thing "one"', 'https://x.example.com/#frag'], group: 'mgmt' },
    { id: 'b', label: ['bucket <b>'], shape: 'store' },
  ],
  edges: [{ from: 'a-1', to: 'b', label: ['0 2 * * * UTC', 'a|b'] }],
});

const model: DocsModel = {
  environment: 'acme-prod',
  flavor: 'prod',
  provider: 'elastx',
  domain: 'acme.example.com',
  opsDomain: 'ops.acme.example.com',
  gitUrl: 'ssh://git@example.com/p.git',
  branch: 'main',
  endpoints: [{ name: 'Grafana', host: 'grafana.acme.example.com', audience: 'application developers', component: 'user-grafana' }],
  clusters: [
    {
      name: 'mgmt',
      role: 'management',
      provider: 'elastx',
      components: [
        {
          name: 'cert-manager',
          description: 'TLS',
          namespace: 'cert-manager',
          chart: 'cert-manager',
          version: 'v1.18.3',
          controls: ['Encryption in transit'],
          configKey: 'certManager',
          settings: [
            { label: 'replicas', value: '2' },
            { label: 'a|b', value: 'x' },
          ],
        },
      ],
      disabled: [{ name: 'kured', description: 'Reboots nodes', configKey: 'kured' }],
      fluxEvents: ['management Alertmanager', 'ops-slack (slack #ops)'],
      alerts: [],
    },
    { name: 'apps-1', role: 'workload', provider: 'elastx', components: [], disabled: [], fluxEvents: [], alerts: [] },
  ],
  policies: { exemptions: [{ cluster: 'apps-1', object: 'DaemonSet logging/shipper', constraint: 'disallow-host-path', reason: "Reads the node's logs." }] },
  views: [view('context', 1), view('clusters', 2), view('backup', 3)],
};

describe('environment README', () => {
  const text = environmentReadme(model);

  it('lists clusters with their Flux event targets, endpoints and components with chart versions, settings and controls', () => {
    expect(text).toContain('| `mgmt` | management | elastx | `clusters/acme-prod/mgmt` | management Alertmanager; ops-slack (slack #ops) |');
    expect(text).toContain('| `apps-1` | workload | elastx | `clusters/acme-prod/apps-1` | — |');
    expect(text).toContain('| Grafana | `grafana.acme.example.com` | application developers |');
    expect(text).toContain(
      '| **cert-manager**: TLS | `cert-manager` | `cert-manager` v1.18.3 | replicas: 2; a\\|b: x | Encryption in transit | `components.certManager` |',
    );
  });

  it('lists components switched off as off, and says so when there is nothing to list', () => {
    expect(text).toContain('Switched off on `mgmt`:');
    expect(text).toContain('| **kured** (off): Reboots nodes | `components.kured.enabled: false` |');
    expect(text).not.toContain('Switched off on `apps-1`');
    expect(environmentReadme({ ...model, endpoints: [] })).toContain('| none | | |');
  });

  it('draws every view as a Mermaid flowchart under its level, labels escaped', () => {
    const blocks = mermaidBlocks(text);
    expect(blocks).toHaveLength(3);
    expect(text).toMatch(/### Level 1: view context\n\nAbout context\.\n\n```mermaid\nflowchart LR/);
    expect(text).toContain('### Level 3: view backup');
    const fc = flowchart(view('x', 3));
    expect(fc).toContain('a_1["Thing #34;one#34;<br/>https://x.example.com/#35;frag"]:::box');
    expect(fc).toContain('b[("bucket #60;b#62;")]:::store');
    expect(fc).toContain('a_1 -->|"0 2 * * * UTC<br/>a#124;b"| b');
    expect(fc).toMatch(/subgraph mgmt\["mgmt \(management\)"\]\n {4}a_1/);
    expect(mermaidText('#"<>&|')).toBe('#35;#34;#60;#62;#38;#124;');
  });

  it('lists policy exemptions as a table with cluster, object, constraint and reason', () => {
    expect(text).toContain('## Policy exemptions');
    expect(text).toContain(
      '| cluster | object | constraint | reason |\n| --- | --- | --- | --- |\n' +
        "| `apps-1` | `DaemonSet logging/shipper` | `disallow-host-path` | Reads the node's logs. |\n",
    );
    expect(text).not.toContain('None: every object');
  });
});

describe('environment README alerts', () => {
  it("lists each cluster's alerts per component, linked to their runbook sections", () => {
    const alerts = [{ component: 'velero', alerts: [{ name: 'VeleroBackupFailed', severity: 'warning', runbook: 'https://r/velero.md#velerobackupfailed' }] }];
    const text = environmentReadme({ ...model, clusters: [{ ...model.clusters[0], alerts }, ...model.clusters.slice(1)] });
    expect(text).toContain('Alerts evaluated on `' + model.clusters[0].name + '`');
    expect(text).toContain('| velero | [VeleroBackupFailed](https://r/velero.md#velerobackupfailed) (warning) |');
    expect(environmentReadme(model)).not.toContain('Alerts evaluated on');
  });
});
