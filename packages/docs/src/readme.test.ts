import { describe, expect, it } from 'vitest';
import { environmentReadme } from './readme';
import type { DocsModel } from './model';

const model: DocsModel = {
  environment: 'acme-prod',
  flavor: 'prod',
  provider: 'elastx',
  domain: 'acme.example.com',
  opsDomain: 'ops.acme.example.com',
  gitUrl: 'ssh://git@example.com/p.git',
  branch: 'main',
  endpoints: [{ name: 'Grafana', host: 'grafana.acme.example.com', audience: 'application developers' }],
  clusters: [
    { name: 'mgmt', role: 'management', provider: 'elastx', components: [{ name: 'cert-manager', description: 'TLS', namespace: 'cert-manager', chart: 'cert-manager', version: 'v1.18.3', controls: ['Encryption in transit'], configKey: 'certManager' }] },
    { name: 'apps-1', role: 'workload', provider: 'elastx', components: [] },
    { name: 'apps-2', role: 'workload', provider: 'aws', components: [] },
  ],
  policies: { exemptions: [{ cluster: 'apps-1', object: 'DaemonSet logging/shipper', constraint: 'disallow-host-path', reason: 'Reads the node\'s logs.' }] },
};

describe('environment README', () => {
  const text = environmentReadme(model);

  it('lists clusters, endpoints and components with chart versions and controls', () => {
    expect(text).toContain('| `apps-2` | workload | aws | `clusters/acme-prod/apps-2` |');
    expect(text).toContain('| Grafana | `grafana.acme.example.com` | application developers |');
    expect(text).toContain('| **cert-manager**: TLS | `cert-manager` | `cert-manager` v1.18.3 | Encryption in transit | `components.certManager` |');
  });

  it('draws C4 levels 1-3 as Mermaid, with a flow from every workload cluster to the management cluster', () => {
    expect(text.match(/```mermaid\nC4Context/g)).toHaveLength(1);
    expect(text.match(/```mermaid\nC4Container/g)).toHaveLength(1);
    expect(text.match(/```mermaid\nC4Component/g)).toHaveLength(3);
    expect(text).toContain('Rel(apps_1, mgmt, "metrics (remote write), logs, alerts")');
    expect(text).toContain('Rel(apps_2, mgmt, "metrics (remote write), logs, alerts")');
  });

  it('lists policy exemptions as a table with cluster, object, constraint and reason', () => {
    expect(text).toContain('## Policy exemptions');
    expect(text).toContain('| cluster | object | constraint | reason |\n| --- | --- | --- | --- |\n| `apps-1` | `DaemonSet logging/shipper` | `disallow-host-path` | Reads the node\'s logs. |\n');
    expect(text).not.toContain('None: every object');
  });
});
