import type { EnvironmentConfig } from '@ck8s/config';
import { CATALOG } from '@ck8s/components';
import { testEnvironment, type TestEnvironmentOptions } from '@ck8s/components/src/testing';
import { planCluster, renderEnvironment } from '@ck8s/render';
import type { EvidenceInput } from './types';

/**
 * An environment in which every evidence rule holds: dev flavor (so the failing variants are not
 * stopped earlier by the prod invariants of the config loader), with each setting a rule asks for.
 */
export const COMPLIANT: Record<string, unknown> = {
  certificates: { email: 'ops@example.com', issuer: 'letsencrypt-prod' },
  flux: { driftDetection: 'enabled' },
  components: {
    dex: {
      staticPasswords: false,
      connectors: [{ type: 'oidc', id: 'corp', name: 'Corp', config: { issuer: 'https://login.example.com', clientID: 'platform' } }],
    },
    kubePrometheusStack: { alertmanager: { receivers: [{ name: 'ops', type: 'slack' }], heartbeat: { enabled: true } } },
    gatekeeperConstraints: { defaultEnforcementAction: 'deny' },
    opensearch: { retentionDays: 30 },
    thanos: { retention: { rawDays: 30 } },
    kured: { enabled: true },
    rcloneSync: { enabled: true },
  },
};

/** Deep merge of plain objects (lists replace), for config variants. */
export function merged(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      b && v && typeof b === 'object' && typeof v === 'object' && !Array.isArray(b) && !Array.isArray(v)
        ? merged(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** A test environment through the real loader: COMPLIANT with `config` merged over it. */
export function environment(config: Record<string, unknown> = {}, o: Omit<TestEnvironmentOptions, 'config'> = {}): EnvironmentConfig {
  return testEnvironment({ ...o, config: merged(COMPLIANT, config) });
}

/** What render hands the report: the plans and the rendered files of the environment. */
export function evidenceInput(env: EnvironmentConfig): EvidenceInput {
  return { env, clusters: env.clusters.map((c) => planCluster(env, c, CATALOG)), files: renderEnvironment({ env, secrets: [] }, CATALOG) };
}
