import { describe, expect, it } from 'vitest';
import { chartPin } from '../lib/charts';
import { expectKeysInChartValues, renderComponent, testEnvironment } from '../testing';
import { fluentBit } from '.';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pin = chartPin('fluent-bit');

const render = (env: ReturnType<typeof testEnvironment>, cluster: string) => renderComponent(fluentBit, env, cluster);
const values = (env: ReturnType<typeof testEnvironment>, cluster: string) => render(env, cluster).values as Any;
const secrets = (env: ReturnType<typeof testEnvironment>, cluster: string) => {
  const c = env.clusters.find((x) => x.name === cluster)!;
  const enabled = new Set(
    Object.entries(c.settings.components as Any)
      .filter(([, v]) => v?.enabled)
      .map(([k]) => k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)),
  );
  return fluentBit.secrets!({ env, cluster: c, settings: (c.settings.components as Any).fluentBit, isEnabled: (n) => enabled.has(n), enabledComponents: [] });
};

describe('fluent-bit', () => {
  const env = testEnvironment({ workloadClusters: ['apps-a', 'apps-b'] });

  describe('workload', () => {
    const v = values(env, 'apps-b');

    it('ships each stream to its own per-cluster index on the management cluster', () => {
      const out = v.config.outputs as string;
      expect(out).toContain('Host opensearch.ops.test.example.com');
      expect(out).toContain('Port 443');
      expect(out).toContain('tls.verify On');
      expect(out).toMatch(/Match kube\.\*\n(.*\n)*?\s+Index kubernetes-apps-b/);
      expect(out).toMatch(/Match kubeaudit\.\*\n(.*\n)*?\s+Index kubeaudit-apps-b/);
      expect(out).toMatch(/Match authlog\.\*\n(.*\n)*?\s+Index authlog-apps-b/);
      expect(out).toContain('HTTP_Passwd ${OPENSEARCH_PASSWORD}');
    });

    it('reads credentials from Secrets: the write-only user and the object storage keys', () => {
      expect(v.env).toContainEqual({ name: 'OPENSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'opensearch-writer', key: 'password' } } });
      expect(v.env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'object-storage', key: 'secret-access-key' } } });
      const reqs = secrets(env, 'apps-b');
      expect(reqs.map((r) => [r.name, r.namespace])).toEqual([
        ['opensearch-writer', 'fluent-bit'],
        ['object-storage', 'fluent-bit'],
      ]);
      expect(reqs[0].generate!.password).toEqual({ type: 'random', shareAs: 'opensearch-writer-apps-b' });
      expect(reqs[1].keys).toEqual(['access-key-id', 'secret-access-key']);
    });

    it('tails container, audit (configurable path) and auth logs', () => {
      expect(v.config.inputs).toContain('Path /var/log/containers/*.log');
      expect(v.config.inputs).toContain('Path /var/log/kubernetes/audit/*.log');
      expect(v.config.inputs).toContain('Path /var/log/auth.log,/var/log/secure');
      const custom = testEnvironment({ config: { components: { fluentBit: { auditLogPath: '/var/log/kube-audit/audit.log' } } } });
      expect(values(custom, 'workload').config.inputs).toContain('Path /var/log/kube-audit/audit.log');
    });

    it('archives audit logs to the <prefix>-audit bucket under the cluster name', () => {
      const out = v.config.outputs as string;
      expect(out).toContain('Name s3');
      expect(out).toContain('bucket test-env-audit');
      expect(out).toContain('endpoint https://sos-ch-gva-2.exo.io');
      expect(out).toContain('s3_key_format /apps-b/');
      const prefixed = testEnvironment({ config: { storage: { objectStorage: { type: 's3', bucketPrefix: 'acme' } } } });
      expect(values(prefixed, 'workload').config.outputs).toContain('bucket acme-audit');
    });

    it('uses Azure Blob with its own credentials on azure, and no archive without object storage', () => {
      const azure = testEnvironment({ provider: 'azure' });
      const a = values(azure, 'workload');
      expect(a.config.outputs).toContain('Name azure_blob');
      expect(a.config.outputs).toContain('container_name test-env-audit');
      expect(a.env).toContainEqual({ name: 'AZURE_STORAGE_KEY', valueFrom: { secretKeyRef: { name: 'object-storage', key: 'storage-key' } } });
      const none = testEnvironment({ provider: 'none' });
      expect(values(none, 'workload').config.outputs).not.toContain('archive-kubeaudit');
      expect(secrets(none, 'workload').map((r) => r.name)).toEqual(['opensearch-writer']);
    });

    it('allows egress to the log targets and the API server only', () => {
      const names = render(env, 'apps-b').objects!.map((o) => o.metadata.name);
      expect(names).toEqual(expect.arrayContaining(['allow-apiserver', 'allow-log-targets']));
      expect(names).not.toContain('allow-local-opensearch');
    });
  });

  describe('management', () => {
    it('writes its own logs to the in-cluster OpenSearch only when OpenSearch is enabled', () => {
      const noOs = testEnvironment({ config: { components: { opensearch: { enabled: false }, opensearchExporter: { enabled: false } } } });
      const off = values(noOs, 'management');
      expect(off.config.outputs).not.toContain('Name opensearch');
      expect(off.config.outputs).toContain('Name s3');
      expect(secrets(noOs, 'management').map((r) => r.name)).toEqual(['object-storage']);
      const withOs = testEnvironment({ config: { components: { opensearch: { enabled: true } } } });
      const on = values(withOs, 'management');
      expect(on.config.outputs).toContain('Host opensearch-cluster-master.opensearch.svc');
      expect(on.config.outputs).toContain('Port 9200');
      // HTTPS to the in-cluster OpenSearch, verified against the platform CA mounted from its bundle Secret.
      expect(on.config.outputs).toContain('tls On');
      expect(on.config.outputs).toContain('tls.verify On');
      expect(on.config.outputs).toContain('tls.ca_file /fluent-bit/opensearch-ca/ca.crt');
      expect(on.daemonSetVolumes).toContainEqual({
        name: 'opensearch-ca',
        secret: { secretName: 'opensearch-ca-bundle', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
      expect(render(withOs, 'management').objects!.find((o) => o.kind === 'Certificate')).toMatchObject({
        metadata: { name: 'opensearch-ca-bundle', namespace: 'fluent-bit' },
        spec: { secretName: 'opensearch-ca-bundle', issuerRef: { kind: 'ClusterIssuer', name: 'opensearch-ca' } },
      });
      // Plain HTTP only together with OpenSearch; a mismatch is a config error, not lost logs.
      const plain = testEnvironment({
        config: { components: { opensearch: { enabled: true, httpTls: false }, fluentBit: { localOpensearch: { tls: false } } } },
      });
      expect(values(plain, 'management').config.outputs).toContain('tls Off');
      expect(values(plain, 'management').config.outputs).not.toContain('tls.ca_file');
      expect(() => testEnvironment({ config: { components: { opensearch: { enabled: true, httpTls: false } } } })).toThrow(
        /components\.fluentBit\.localOpensearch\.tls: the in-cluster OpenSearch serves plain HTTP \(opensearch\.httpTls\); set localOpensearch\.tls to false/,
      );
      expect(on.config.outputs).toContain('Index kubeaudit-management');
      expect(secrets(withOs, 'management')[0].generate!.password).toEqual({ type: 'random', shareAs: 'opensearch-writer-management' });
      expect(render(withOs, 'management').objects!.map((o) => o.metadata.name)).toContain('allow-local-opensearch');
    });
  });

  it('dev and prod differ only in buffer size; prod refuses to switch audit logs off', () => {
    expect(values(env, 'apps-a').config.outputs).toContain('storage.total_limit_size 1G');
    expect(values(testEnvironment({ flavor: 'prod' }), 'workload').config.outputs).toContain('storage.total_limit_size 5G');
    expect(() => testEnvironment({ flavor: 'prod', config: { components: { fluentBit: { enabled: false } } } })).toThrow(/audit logs must be collected/);
    expect(() => testEnvironment({ flavor: 'prod', config: { components: { fluentBit: { auditToObjectStorage: false } } } })).toThrow(
      /archived to object storage/,
    );
    expect(() => testEnvironment({ flavor: 'dev', config: { components: { fluentBit: { enabled: false } } } })).not.toThrow();
  });

  it("reads host logs as root without root's other powers, from a read-only image", () => {
    const sc = values(env, 'apps-a').securityContext;
    expect(sc).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(sc.capabilities).toEqual({ drop: ['ALL'], add: ['DAC_READ_SEARCH'] });
    expect(sc.privileged ?? false).toBe(false);
    // Everything it writes goes to the host state directory, which is mounted writable.
    const state = values(env, 'apps-a').daemonSetVolumeMounts.find((m: Any) => m.name === 'state');
    expect(values(env, 'apps-a').config.service).toContain(`storage.path ${state.mountPath}/`);
    expect(state.readOnly ?? false).toBe(false);
  });

  it('monitoring wiring follows kube-prometheus-stack', () => {
    expect(values(env, 'apps-a').serviceMonitor.enabled).toBe(true);
    const off = testEnvironment({ config: { components: { kubePrometheusStack: { enabled: false } } } });
    expect(values(off, 'workload').serviceMonitor.enabled).toBe(false);
    expect(render(off, 'workload').objects!.map((o) => o.metadata.name)).not.toContain('allow-metrics');
  });

  it('sets only keys the chart declares and no secret values', () => {
    for (const cluster of ['management', 'apps-a']) {
      const v = values(env, cluster);
      expectKeysInChartValues(v, pin.chart, pin.version);
      expect(JSON.stringify(v)).not.toMatch(/"value":/);
    }
  });

  describe('log archive', () => {
    const archiveSections = (e: ReturnType<typeof testEnvironment>, cluster = 'workload') =>
      (values(e, cluster).config.outputs as string).split('[OUTPUT]').filter((x) => x.includes('Alias archive-'));

    it('archives node auth logs next to the audit logs, each stream in its own folder and buffer', () => {
      const [audit, auth] = archiveSections(testEnvironment());
      expect(audit).toMatch(/Match kubeaudit\.\*/);
      expect(audit).toContain('s3_key_format /workload/%Y/%m/%d/%H%M%S-$UUID.json.gz');
      expect(audit).toMatch(/store_dir \S+\/s3\n/);
      expect(auth).toMatch(/Alias archive-authlog\n/);
      expect(auth).toMatch(/Match authlog\.\*/);
      expect(auth).toContain('bucket test-env-audit');
      expect(auth).toContain('s3_key_format /workload/authlog/%Y/%m/%d/%H%M%S-$UUID.log.gz');
      expect(auth).toMatch(/store_dir \S+\/s3-authlog\n/);
      expect(archiveSections(testEnvironment({ provider: 'azure' }))[1]).toMatch(/path workload\/authlog\n/);
      expect(archiveSections(testEnvironment({ config: { components: { fluentBit: { archive: { authLogs: false } } } } }))).toHaveLength(1);
    });

    it('sends Content-MD5 when the bucket has Object Lock, which such buckets require', () => {
      expect(archiveSections(testEnvironment()).join('')).not.toContain('send_content_md5');
      const locked = archiveSections(testEnvironment({ config: { components: { fluentBit: { archive: { objectLock: 'compliance' } } } } }));
      for (const section of locked) expect(section).toContain('send_content_md5 true');
    });

    it('keeps archived logs a year in prod and refuses less (the prod invariant); dev may keep them briefly', () => {
      const prod = testEnvironment({ flavor: 'prod' });
      expect((prod.clusters[1].settings.components as Any).fluentBit.archive.retentionDays).toBe(365);
      expect(() => testEnvironment({ flavor: 'prod', config: { components: { fluentBit: { archive: { retentionDays: 30 } } } } })).toThrow(
        /components\.fluentBit\.archive\.retentionDays: the log archive keeps logs 30 days, below the prod minimum of 365 days/,
      );
      expect(() => testEnvironment({ flavor: 'dev', config: { components: { fluentBit: { archive: { retentionDays: 7 } } } } })).not.toThrow();
    });
  });
});
