import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { componentSecrets, expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { opensearch } from '../opensearch';
import { configurerFiles } from '../opensearch/configurer';
import { opensearchExporter, sizeBytes } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const rulesOf = (out: ReturnType<typeof renderComponent>) => (out.objects ?? []).filter((o) => o.kind === 'PrometheusRule') as Any[];

describe('opensearch-exporter', () => {
  const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b'] });

  it('reads OpenSearch in-cluster as the metrics user, with cluster settings and snapshots, and sets only keys the chart has', () => {
    const v = renderComponent(opensearchExporter, env, 'management').values as Any;
    expect(v.es).toMatchObject({ uri: 'https://opensearch-cluster-master:9200', cluster_settings: true, snapshots: true, indices_settings: true, ilm: false });
    // The platform CA verifies OpenSearch's certificate; verification is never skipped.
    expect(v.es.ssl).toEqual({ enabled: true, useExistingSecrets: true, ca: { path: '/ssl/ca.crt' }, client: { enabled: false } });
    expect(v.es.sslSkipVerify).toBeUndefined();
    expect(v.secretMounts).toEqual([{ name: 'opensearch-ca', secretName: 'opensearch-ca-bundle', path: '/ssl' }]);
    expect(v.env).toEqual({ ES_USERNAME: 'metrics' });
    expect(v.extraEnvSecrets).toEqual({ ES_PASSWORD: { secret: 'opensearch-metrics', key: 'password' } });
    const pin = chartPin('prometheus-elasticsearch-exporter');
    expectKeysInChartValues(v, pin.chart, pin.version);
  });

  it("renders the log store and log delivery alerts, following opensearch's retention and rollover size", () => {
    const prod = testEnvironment({ flavor: 'prod', workloadClusters: ['apps-a', 'apps-b'] });
    const [rule] = rulesOf(renderComponent(opensearchExporter, prod, 'management'));
    const groups = rule.spec.groups as Any[];
    expect(groups.map((g) => g.name)).toEqual(['opensearch', 'log-delivery']);
    const expr = (alert: string) => groups.flatMap((g) => g.rules).find((r: Any) => r.alert === alert).expr as string;
    // prod: 30 days retention (+2 days grace), 10gb rollover (alert at twice that).
    expect(expr('OpenSearchIndexNotDeleted')).toContain(`> ${32 * 86400}`);
    expect(expr('OpenSearchIndexNotRolledOver')).toContain(`> ${2e10}`);
    // Every shipping cluster (the workload clusters and management itself), kubernetes and kubeaudit streams.
    const missing = expr('LogsMissingFromCluster');
    for (const c of ['apps-a', 'apps-b', 'management'])
      for (const s of ['kubernetes', 'kubeaudit']) expect(missing).toContain(`index=~"${s}-${c}(-[0-9][0-9.]*)?"`);
    expect(missing).not.toContain('authlog');
  });

  it('leaves out the snapshot alerts without snapshots, and a stream list can add authlog', () => {
    const none = testEnvironment({ provider: 'none', config: { components: { opensearchExporter: { logStreams: ['authlog'] } } } });
    const alerts = rulesOf(renderComponent(opensearchExporter, none, 'management'))[0].spec.groups.flatMap((g: Any) => g.rules.map((r: Any) => r.alert));
    expect(alerts).not.toContain('OpenSearchSnapshotTooOld');
    expect(alerts).not.toContain('OpenSearchSnapshotFailed');
    expect(alerts).toContain('LogsMissingFromCluster');
    expect(renderComponent(opensearchExporter, none, 'management').values).toMatchObject({ es: { snapshots: false } });
  });

  it('makes opensearch create the metrics user with a role that reads no documents', () => {
    const [secret] = componentSecrets(opensearch, env, 'management').filter((r) => r.name === 'opensearch-metrics');
    expect(secret).toMatchObject({ namespace: 'opensearch', keys: ['password'] });
    const files = configurerFiles({ env, retentionDays: 7, rolloverSize: '1gb', indexReplicas: 0, metricsUser: true });
    expect(files['configure.sh']).toContain('put_user metrics "$OPENSEARCH_METRICS_PASSWORD"');
    const role = JSON.parse(files['role-metrics-reader.json']);
    expect(role.index_permissions[0].allowed_actions).not.toContain('read');
    expect(JSON.parse(files['rolesmapping-metrics-reader.json']).users).toEqual(['metrics']);
    expect(configurerFiles({ env, retentionDays: 7, rolloverSize: '1gb', indexReplicas: 0 })['role-metrics-reader.json']).toBeUndefined();
  });

  it('refuses to run without opensearch on its cluster', () => {
    expect(() => testEnvironment({ config: { components: { opensearch: { enabled: false } } } })).toThrow(
      /opensearchExporter.enabled: the exporter reads the OpenSearch/,
    );
    expect(() => testEnvironment({ config: { components: { opensearch: { enabled: false }, opensearchExporter: { enabled: false } } } })).not.toThrow();
  });

  it('reads rollover sizes', () => {
    expect(sizeBytes('1gb')).toBe(1e9);
    expect(sizeBytes('500mb')).toBe(5e8);
    expect(() => sizeBytes('1tb')).toThrow(/not a rollover size/);
  });
});
