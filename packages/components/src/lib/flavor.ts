import type { EnvironmentConfig } from '@ck8s/config';

/** HA (several replicas, PodDisruptionBudgets) and the production invariants: everywhere but dev. */
export function isProd(env: Pick<EnvironmentConfig, 'flavor'>): boolean {
  return env.flavor !== 'dev';
}
