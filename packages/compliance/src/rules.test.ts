import { describe, expect, it } from 'vitest';
import * as R from './rules';
import { environment, evidenceInput } from './test-support';
import type { EvidenceInput, EvidenceRule, Gap } from './types';

const compliant = evidenceInput(environment());
const inputs = new Map<string, EvidenceInput>();
/** Inputs are rendered once per distinct variant. */
function variant(config: Record<string, unknown>, clusterOverrides?: Record<string, Record<string, unknown>>): EvidenceInput {
  const k = JSON.stringify([config, clusterOverrides]);
  if (!inputs.has(k)) inputs.set(k, evidenceInput(environment(config, { clusterOverrides })));
  return inputs.get(k)!;
}

interface Case {
  rule: EvidenceRule;
  config?: Record<string, unknown>;
  clusters?: Record<string, Record<string, unknown>>;
  /** The gap the variant must report: its key, its value now, and where. */
  key: string;
  actual: string;
  on: string[];
}

const c = (components: Record<string, unknown>) => ({ components });
const CASES: Case[] = [
  {
    rule: R.logsCollected,
    clusters: { workload: c({ fluentBit: { enabled: false } }) },
    key: 'components.fluentBit.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.logsCollected,
    config: c({ opensearch: { enabled: false }, opensearchExporter: { enabled: false } }),
    key: 'components.opensearch.enabled',
    actual: 'false',
    on: ['management'],
  },
  {
    rule: R.auditLogsArchived,
    config: c({ fluentBit: { auditToObjectStorage: false } }),
    key: 'components.fluentBit.auditToObjectStorage',
    actual: 'false',
    on: ['management', 'workload'],
  },
  { rule: R.logRetention, config: c({ opensearch: { retentionDays: 7 } }), key: 'components.opensearch.retentionDays', actual: '7', on: ['management'] },
  {
    rule: R.logReview,
    config: c({ opensearchDashboards: { enabled: false } }),
    key: 'components.opensearchDashboards.enabled',
    actual: 'false',
    on: ['management'],
  },
  { rule: R.oidcOnEveryUi, config: c({ dex: { enabled: false } }), key: 'components.dex.enabled', actual: 'false', on: ['management'] },
  { rule: R.identityProvider, config: c({ dex: { connectors: [] } }), key: 'components.dex.connectors', actual: '[]', on: ['management'] },
  { rule: R.identityProvider, config: c({ dex: { staticPasswords: true } }), key: 'components.dex.staticPasswords', actual: 'true', on: ['management'] },
  { rule: R.userRbac, config: c({ userRbac: { enabled: false } }), key: 'components.userRbac.enabled', actual: 'false', on: ['workload'] },
  {
    rule: R.adminRbac,
    clusters: { workload: c({ clusterAdminRbac: { enabled: false } }) },
    key: 'components.clusterAdminRbac.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.tlsOnEveryEndpoint,
    config: { certificates: { issuer: 'letsencrypt-staging' } },
    key: 'certificates.issuer',
    actual: 'letsencrypt-staging',
    on: ['management'],
  },
  {
    rule: R.defaultDenyNetworkPolicies,
    clusters: { workload: c({ namespaces: { enabled: false } }) },
    key: 'components.namespaces.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.trustedRegistries,
    config: c({ gatekeeperConstraints: { allowedRegistries: { enforcementAction: 'warn' } } }),
    key: 'components.gatekeeperConstraints.allowedRegistries.enforcementAction',
    actual: 'warn',
    on: ['workload'],
  },
  {
    rule: R.trustedRegistries,
    config: c({ harbor: { enabled: false } }),
    key: 'components.gatekeeperConstraints.allowedRegistries.registries',
    actual: '[]',
    on: ['workload'],
  },
  {
    rule: R.pinnedImages,
    config: c({ gatekeeperConstraints: { defaultEnforcementAction: 'warn' } }),
    key: 'components.gatekeeperConstraints.defaultEnforcementAction',
    actual: 'warn',
    on: ['workload'],
  },
  {
    rule: R.networkPolicyRequired,
    config: c({ gatekeeperConstraints: { requireNetworkPolicy: { enabled: false } } }),
    key: 'components.gatekeeperConstraints.requireNetworkPolicy.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.resourceRequestsRequired,
    config: c({ gatekeeperConstraints: { requireResourceRequests: { enforcementAction: 'dryrun' } } }),
    key: 'components.gatekeeperConstraints.requireResourceRequests.enforcementAction',
    actual: 'dryrun',
    on: ['workload'],
  },
  {
    rule: R.noPrivilegedPods,
    clusters: { workload: c({ gatekeeper: { enabled: false } }) },
    key: 'components.gatekeeper.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.noHostAccess,
    clusters: { workload: c({ gatekeeperConstraints: { enabled: false } }) },
    key: 'components.gatekeeperConstraints.enabled',
    actual: 'false',
    on: ['workload'],
  },
  { rule: R.gitopsDriftCorrected, clusters: { workload: { flux: { driftDetection: 'warn' } } }, key: 'flux.driftDetection', actual: 'warn', on: ['workload'] },
  { rule: R.tenantIsolation, config: c({ capsule: { enabled: false } }), key: 'components.capsule.enabled', actual: 'false', on: ['workload'] },
  { rule: R.backupsScheduled, clusters: { workload: c({ velero: { enabled: false } }) }, key: 'components.velero.enabled', actual: 'false', on: ['workload'] },
  { rule: R.backupsScheduled, config: c({ velero: { retention: '48h' } }), key: 'components.velero.retention', actual: '48h', on: ['management', 'workload'] },
  {
    rule: R.logSnapshots,
    config: c({ opensearch: { snapshots: { enabled: false } } }),
    key: 'components.opensearch.snapshots.enabled',
    actual: 'false',
    on: ['management'],
  },
  {
    rule: R.registryBackup,
    config: c({ harbor: { backup: { enabled: false } } }),
    key: 'components.harbor.backup.enabled',
    actual: 'false',
    on: ['management'],
  },
  { rule: R.offsiteCopies, config: c({ rcloneSync: { enabled: false } }), key: 'components.rcloneSync.enabled', actual: 'false', on: ['management'] },
  {
    rule: R.alertingRouted,
    config: c({ kubePrometheusStack: { alertmanager: { receivers: [] } } }),
    key: 'components.kubePrometheusStack.alertmanager.receivers',
    actual: '[]',
    on: ['management'],
  },
  {
    rule: R.alertingRouted,
    clusters: { workload: c({ kubePrometheusStack: { enabled: false } }) },
    key: 'components.kubePrometheusStack.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.deadMansSwitch,
    config: c({ kubePrometheusStack: { alertmanager: { heartbeat: { enabled: false } } } }),
    key: 'components.kubePrometheusStack.alertmanager.heartbeat.enabled',
    actual: 'false',
    on: ['management'],
  },
  {
    rule: R.capacityMonitored,
    clusters: { workload: c({ metricsServer: { enabled: false } }) },
    key: 'components.metricsServer.enabled',
    actual: 'false',
    on: ['workload'],
  },
  {
    rule: R.metricsRetained,
    config: c({ thanos: { retention: { rawDays: 7 } } }),
    key: 'components.thanos.retention.rawDays',
    actual: '7',
    on: ['management'],
  },
  { rule: R.intrusionDetection, clusters: { workload: c({ falco: { enabled: false } }) }, key: 'components.falco.enabled', actual: 'false', on: ['workload'] },
  {
    rule: R.vulnerabilityScanning,
    config: c({ trivyOperator: { vulnerabilityScanner: false } }),
    key: 'components.trivyOperator.vulnerabilityScanner',
    actual: 'false',
    on: ['management', 'workload'],
  },
  { rule: R.patchesApplied, config: c({ kured: { enabled: false } }), key: 'components.kured.enabled', actual: 'false', on: ['management', 'workload'] },
  {
    rule: R.endpointsProbed,
    config: c({ prometheusBlackboxExporter: { enabled: false } }),
    key: 'components.prometheusBlackboxExporter.enabled',
    actual: 'false',
    on: ['management'],
  },
];

const ALL_RULES = Object.values(R).filter((v): v is EvidenceRule => typeof v === 'object' && v !== null && 'check' in v);

describe('evidence rules', () => {
  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s holds on the compliant environment, with evidence', (_id, rule) => {
    const o = rule.check(compliant);
    expect(o.gaps).toEqual([]);
    expect(o.evidence.length).toBeGreaterThan(0);
  });

  it.each(CASES.map((x) => [x.rule.id, x.key, x] as const))('%s fails when %s changes, naming the key, its value and the clusters', (_id, _key, x) => {
    const o = x.rule.check(variant(x.config ?? {}, x.clusters));
    const gap = o.gaps.find((g: Gap) => g.key === x.key);
    expect(gap, JSON.stringify(o.gaps)).toBeDefined();
    expect(gap!.actual).toBe(x.actual);
    expect(gap!.clusters.sort()).toEqual(x.on);
  });

  it('every rule has a failing case', () => {
    expect(ALL_RULES.filter((r) => r.id !== R.separateManagementCluster.id && !CASES.some((x) => x.rule === r)).map((r) => r.id)).toEqual([]);
  });

  it('separate-management-cluster fails without a management cluster among the plans', () => {
    const withoutManagement = { ...compliant, clusters: compliant.clusters.filter((c) => c.cluster.role !== 'management') };
    expect(R.separateManagementCluster.check(withoutManagement).gaps.map((g) => g.key)).toEqual(['clusters']);
  });

  it('links evidence only to rendered files that exist', () => {
    const files = ALL_RULES.flatMap((r) => r.check(compliant).evidence.flatMap((e) => e.files));
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !compliant.files.has(f))).toEqual([]);
  });

  it('reports a component defect without a config key when an Ingress serves a host without TLS', () => {
    const tampered: EvidenceInput = {
      ...compliant,
      clusters: compliant.clusters.map((c) => ({
        ...c,
        components: c.components.map((p) =>
          p.component.name !== 'dex'
            ? p
            : {
                ...p,
                output: {
                  ...p.output,
                  objects: p.output.objects!.map((o) => (o.kind === 'Ingress' ? { ...o, spec: { ...(o as unknown as { spec: object }).spec, tls: [] } } : o)),
                },
              },
        ),
      })),
    };
    const gaps = R.tlsOnEveryEndpoint.check(tampered).gaps;
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ key: '', clusters: ['management'] });
    expect(gaps[0].what).toContain('dex');
  });
});
