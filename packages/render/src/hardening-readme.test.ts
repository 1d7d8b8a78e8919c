import { describe, expect, it } from 'vitest';
import { CATALOG } from '@ck8s/components';
import { repoRoot } from '@ck8s/testing';
import { hardeningSection } from './hardening-readme';
import { planCluster } from './plan';
import { loadEnvironment } from './workspace';

describe('the Hardening section of the environment README (example-prod)', () => {
  const env = loadEnvironment(repoRoot, 'example-prod');
  const text = hardeningSection(
    env,
    env.clusters.map((c) => planCluster(env, c, CATALOG)),
  );
  const section = (title: string) => text.split(`### ${title}\n`)[1].split('\n### ')[0];

  it("lists each backup path with its schedule and retention, Velero's from its Schedule", () => {
    const backups = section('Backups');
    expect(backups).toContain(
      '| management | opensearch | log indices | opensearch-snapshots | 0 1 * * * | 30 days | [runbook](../../docs/restore/opensearch.md) |',
    );
    expect(backups).toContain("| management | user-grafana | Grafana's database: users' own dashboards, folders and preferences | velero | 0 2 * * * | 720h |");
    expect(backups).toContain("| apps-b | velero | users' namespaces: objects and volume contents | velero | 0 2 * * * | 720h |");
  });

  it('states the archive retention per cluster, which cluster has credentials of its own, and the pinned Falco rules', () => {
    expect(section('Log archive')).toContain('| apps-a | example-prod-audit | audit, auth | 365 | none |');
    expect(section('Object storage credentials')).toMatch(
      /\| apps-b \| cluster apps-b stores objects in s3 at https:\/\/sos-ch-gva-2\.exo\.io, .* \| secrets\/apps-b\/ \|/,
    );
    expect(section('Object storage credentials')).not.toContain('apps-a');
    expect(section('Falco rules')).toContain('| management | 4.0.0 | yes | none | no |');
    expect(section('Harbor housekeeping')).toContain('| management | 0 3 * * 6, untagged too | after 168h | 15 4 * * *, older than 7d |');
  });

  it('lists every egress rule with its destinations and the key that allows an outside address', () => {
    const egress = section('Egress');
    expect(egress).toContain('| apps-a | velero | velero/allow-object-storage | 0.0.0.0/0 | 443 | network.egress.objectStorage |');
    expect(egress).toContain('| apps-b | kube-prometheus-stack | monitoring/allow-management-push | 0.0.0.0/0 | 443 | network.egress.managementEndpoints |');
    expect(egress).toContain('| management | cert-manager | cert-manager/allow-apiserver | 0.0.0.0/0 | 443, 6443 | network.apiServerCidrs |');
    // Every row that leaves the cluster names its key.
    const rows = egress.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| cluster') && !l.startsWith('| ---'));
    for (const r of rows.filter((l) => /\d+\.\d+\.\d+\.\d+\/0/.test(l))) expect(r).toMatch(/\| network\.(egress\.[a-zA-Z]+|apiServerCidrs) \|$/);
  });
});
