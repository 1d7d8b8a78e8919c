import { isPlainObject } from '@ck8s/config';
import type { RequiredSecret } from '@ck8s/render';
import { CONNECTOR_SECRET_KEYS, CONNECTOR_TYPES, type ConnectorType } from '@ck8s/components/src/dex/connectors';
import { getPath, formatKeyPath } from '../source/effective';
import { matches, type Outcome } from '../mapping';
import type { Ck8sSecretsFile } from './read';
import { SECRET_RULES, type SecretRule } from './mapping';

/** `namespace/name/key` of one of our Secrets. */
export const secretKeyId = (secret: string, key: string) => `${secret}/${key}`;

/** Values imported per cluster, by secretKeyId; nothing here is ever logged or written in plain text. */
export type ImportedValues = Map<string, Map<string, string>>;

export interface SecretLeafResult {
  /** The secrets.yaml the key is in. */
  file: string;
  key: string;
  outcome: Outcome;
  note: string;
  /** Our Secrets and keys it went to (`namespace/name key`). */
  destinations: string[];
}

/** A credential of ours that would have come from ck8s but could not be read. */
export interface ManualSecret {
  secret: string;
  key: string;
  clusters: string[];
  from: string;
  action: 'copy' | 'rotate';
  why: string;
}

/** A cluster and the secrets.yaml of its config path. */
export interface ClusterSecrets {
  cluster: string;
  file?: Ck8sSecretsFile;
}

export const secretRuleFor = (path: readonly string[]): SecretRule | undefined => SECRET_RULES.find((r) => matches(r.source, path));

const UNKNOWN: SecretRule = { source: '**', outcome: 'none', note: 'not a secrets.yaml key the importer knows: not imported' };

/** Dex connectors from ck8s (`dex.connectors`) → our connector settings and their Secrets' values. */
export function importConnectors(
  plain: Record<string, unknown>,
  domain: string,
): { connectors: Record<string, unknown>[]; values: Map<string, string>; dropped: string[] } {
  const list = getPath(plain, ['dex', 'connectors']);
  const out = { connectors: [] as Record<string, unknown>[], values: new Map<string, string>(), dropped: [] as string[] };
  if (!Array.isArray(list)) return out;
  for (const c of list) {
    if (!isPlainObject(c)) continue;
    const { type, id, name } = c as { type?: unknown; id?: unknown; name?: unknown };
    if (!CONNECTOR_TYPES.includes(type as ConnectorType)) {
      out.dropped.push(`${String(id)} (type ${String(type)}: we support ${CONNECTOR_TYPES.join(', ')})`);
      continue;
    }
    if (typeof id !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(id)) {
      out.dropped.push(`${String(id)} (the id must be a lower-case identifier: rename it, and users' ids change with it)`);
      continue;
    }
    const config = { ...(isPlainObject(c.config) ? c.config : {}) };
    for (const key of CONNECTOR_SECRET_KEYS[type as ConnectorType]) {
      if (typeof config[key] === 'string') out.values.set(secretKeyId(`dex/dex-connector-${id}`, key), config[key] as string);
      delete config[key];
    }
    // Our default callback is the same URL: leave it out so the config follows the domain.
    if (config.redirectURI === `https://dex.${domain}/callback`) delete config.redirectURI;
    out.connectors.push({ type, id, name: typeof name === 'string' && name ? name : id, config });
  }
  return out;
}

/**
 * What each cluster's Secrets get from its config path's secrets.yaml, every secrets.yaml key's
 * outcome, and the credentials that must be copied or rotated by hand.
 */
export function importSecretValues(
  reqs: RequiredSecret[],
  sources: ClusterSecrets[],
  extra: ImportedValues = new Map(),
): { values: ImportedValues; leaves: SecretLeafResult[]; manual: ManualSecret[] } {
  const values: ImportedValues = new Map([...extra].map(([c, m]) => [c, new Map(m)]));
  const leaves = new Map<string, SecretLeafResult>();
  const manual = new Map<string, ManualSecret>();
  const reqOf = (cluster: string, secret: string, key: string) =>
    reqs.find((r) => r.cluster === cluster && `${r.namespace}/${r.name}` === secret && r.keys.includes(key));
  const needManual = (dest: string, m: Omit<ManualSecret, 'clusters'>, cluster: string) => {
    const entry = manual.get(dest) ?? { ...m, clusters: [] };
    if (!entry.clusters.includes(cluster)) entry.clusters.push(cluster);
    manual.set(dest, entry);
  };
  for (const { cluster, file } of sources) {
    const got = values.get(cluster) ?? new Map<string, string>();
    values.set(cluster, got);
    // No secrets.yaml at all: every credential ck8s would have held is still listed, to copy or rotate.
    if (!file) {
      for (const rule of SECRET_RULES.filter((r) => r.to && r.withoutValue)) {
        for (const d of rule.to!) {
          if (reqOf(cluster, d.secret, d.key))
            needManual(
              `${d.secret} ${d.key}`,
              { secret: d.secret, key: d.key, from: rule.source, action: rule.withoutValue!, why: 'no secrets.yaml in the config path' },
              cluster,
            );
        }
      }
    }
    for (const path of file?.leaves ?? []) {
      const rule = secretRuleFor(path) ?? UNKNOWN;
      const id = `${file!.path}\u0000${path.join('\u0000')}`;
      const row = leaves.get(id) ?? { file: file!.path, key: formatKeyPath(path), outcome: rule.outcome, note: rule.note, destinations: [] };
      leaves.set(id, row);
      for (const d of rule.to ?? []) {
        const req = reqOf(cluster, d.secret, d.key);
        if (!req) continue;
        const value = file!.plain ? (d.derive ? d.derive(file!.plain, req) : getPath(file!.plain, path)) : undefined;
        const dest = `${d.secret} ${d.key}`;
        if (!row.destinations.includes(dest)) row.destinations.push(dest);
        if (typeof value === 'string' && value !== '') {
          got.set(secretKeyId(d.secret, d.key), value);
        } else if (rule.withoutValue) {
          const m = manual.get(dest) ?? {
            secret: d.secret,
            key: d.key,
            clusters: [],
            from: formatKeyPath(path),
            action: rule.withoutValue,
            why: file!.reason ?? `${formatKeyPath(path)} has no usable value`,
          };
          if (!m.clusters.includes(cluster)) m.clusters.push(cluster);
          manual.set(dest, m);
        }
      }
    }
  }
  // Keys read for another cluster do not need a manual step when this cluster got the value anyway.
  for (const [dest, m] of manual) {
    const [secret, key] = dest.split(' ');
    m.clusters = m.clusters.filter((c) => !values.get(c)?.has(secretKeyId(secret, key)));
    if (!m.clusters.length) manual.delete(dest);
  }
  for (const row of leaves.values()) {
    if (row.outcome === 'mapped' && !row.destinations.length)
      row.note = `${row.note}; not needed by this environment (the component that reads it is not enabled)`;
  }
  return { values, leaves: [...leaves.values()], manual: [...manual.values()] };
}
