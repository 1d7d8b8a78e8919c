import type { ClusterConfig, EnvironmentConfig, Role } from '@ck8s/config';
import { alertsTarget, CATALOG, senderSecret, type Component, type GeneratedValue, type SecretRequirement } from '@ck8s/components';
import { managementOffers, planCluster, type ClusterPlan } from './plan';

/**
 * The one answer to "which Secrets does this environment need": rendering copies their files,
 * `validate` checks them, and every generator creates or extends them from this list. Nothing else
 * assembles it, so the three can never disagree.
 */

/** Who reads a Secret on a cluster: an enabled component, or the Flux wiring itself (flux-system). */
export type SecretReader = { kind: 'component'; name: string } | { kind: 'flux' };

/** One Secret one cluster reads. */
export interface RequiredSecret {
  cluster: string;
  role: Role;
  name: string;
  namespace: string;
  /** Union of the keys every reader needs. */
  keys: string[];
  description: string;
  readers: SecretReader[];
  /** The readers as people read them (`component dex`, `Flux notifications`), in reader order. */
  by: string[];
  /** Per key, how the generators fill it (the first reader that gives a hint for a key wins). */
  generate: Record<string, GeneratedValue>;
  /** Why only secrets/<cluster>/ may provide it (a reader said so); a top-level file does not serve it. */
  clusterScoped?: string;
}

export const describeReader = (r: SecretReader): string => (r.kind === 'component' ? `component ${r.name}` : 'Flux notifications');

export function readsSecret(req: RequiredSecret, reader: SecretReader): boolean {
  return req.readers.some((r) => r.kind === reader.kind && (r.kind === 'flux' || r.name === (reader as { name: string }).name));
}

/**
 * Secrets the Flux wiring reads in flux-system: webhook addresses, and on workload clusters the
 * credentials their Flux events use to push into the management cluster's Alertmanager.
 */
function fluxSecrets(env: EnvironmentConfig, cluster: ClusterConfig, catalog: readonly Component[]): SecretRequirement[] {
  const n = cluster.settings.notifications;
  const out: SecretRequirement[] = n.webhooks.map((w) => ({
    name: w.secretName,
    namespace: 'flux-system',
    keys: ['address'],
    description: `Address of the ${w.type} webhook "${w.name}" for Flux notifications`,
    generate: { address: { type: 'user', hint: `the ${w.type} incoming-webhook URL` } },
  }));
  if (n.alertmanager && cluster.role === 'workload' && managementOffers(env, 'alertmanager', catalog)) {
    out.push(senderSecret(alertsTarget(env, cluster.name), 'flux-system', "Basic-auth identity of this cluster's Flux events at the management Alertmanager"));
  }
  return out;
}

/**
 * Every Secret one planned cluster reads: each enabled component's `secrets()` and the Flux
 * wiring's own. Two readers of one Secret make one entry with the union of their keys.
 */
export function clusterSecrets(env: EnvironmentConfig, plan: ClusterPlan, catalog: readonly Component[] = CATALOG): RequiredSecret[] {
  const { cluster } = plan;
  const out = new Map<string, RequiredSecret>();
  const add = (s: SecretRequirement, reader: SecretReader) => {
    const id = `${s.namespace}\u0000${s.name}`;
    const prev = out.get(id);
    if (!prev) {
      const generate = { ...(s.generate ?? {}) };
      const entry: RequiredSecret = {
        cluster: cluster.name,
        role: cluster.role,
        name: s.name,
        namespace: s.namespace,
        keys: [...new Set(s.keys)],
        description: s.description,
        readers: [reader],
        by: [describeReader(reader)],
        generate,
      };
      if (s.clusterScoped) entry.clusterScoped = s.clusterScoped;
      out.set(id, entry);
      return;
    }
    prev.clusterScoped ??= s.clusterScoped;
    prev.keys = [...new Set([...prev.keys, ...s.keys])];
    if (!readsSecret(prev, reader)) {
      prev.readers.push(reader);
      prev.by.push(describeReader(reader));
    }
    for (const [k, v] of Object.entries(s.generate ?? {})) prev.generate[k] ??= v;
  };
  for (const p of plan.components) for (const s of p.secrets) add(s, { kind: 'component', name: p.component.name });
  for (const s of fluxSecrets(env, cluster, catalog)) add(s, { kind: 'flux' });
  return [...out.values()];
}

/** Every Secret the environment needs, cluster by cluster (in config order). */
export function requiredSecrets(env: EnvironmentConfig, catalog: readonly Component[] = CATALOG): RequiredSecret[] {
  return env.clusters.flatMap((cluster) => clusterSecrets(env, planCluster(env, cluster, catalog), catalog));
}

/**
 * The file that provides Secret `namespace/name` on a cluster: one under secrets/<cluster>/ first,
 * else one directly under secrets/ (never for a `clusterScoped` requirement). Rendering, `validate`
 * and the generators all look files up this way.
 */
export function secretFileFor<S extends { relPath: string; name?: string; namespace?: string }>(
  files: readonly S[],
  cluster: string,
  name: string,
  namespace: string,
  clusterScoped = false,
): S | undefined {
  const matches = files.filter((s) => s.name === name && s.namespace === namespace);
  return matches.find((s) => s.relPath.startsWith(`${cluster}/`)) ?? (clusterScoped ? undefined : matches.find((s) => !s.relPath.includes('/')));
}
