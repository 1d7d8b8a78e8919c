import { DnsLabel, DomainName, RESERVED_CLUSTER_NAMES, type Flavor, type Provider, type Role } from '@ck8s/config';
import { Ck8sInputError, hasKind, readConfigPath, type Ck8sConfigPath, type ClusterKind } from './source/config-path';
import { containsSetMe, effectiveConfig, getPath, originOf, type EffectiveConfig } from './source/effective';
import { PROVIDER_OF } from './mapping';

/**
 * The clusters an import reads, and the checks that refuse bad input before anything is mapped: a
 * folder that is not a config path, a release we do not understand, clusters that cannot be one
 * environment (conflicting flavor or domains, clashing names). Every problem names file and key.
 */

/** The ck8s releases whose config layout the mapping table was written against. */
export const SUPPORTED_VERSION = /^v0\.50\.[0-9]+$/;
export const SUPPORTED_VERSIONS_TEXT = 'v0.50.x';

export interface SourceCluster {
  cfg: EffectiveConfig;
  kind: ClusterKind;
  role: Role;
  /** Our cluster name: ck8s's global.clusterName. */
  name: string;
  provider: Provider;
  /** The option the config path came from (for messages). */
  option: string;
}

export interface Sources {
  paths: Ck8sConfigPath[];
  clusters: SourceCluster[];
  flavor: Flavor;
  provider: Provider;
  domain: string;
  opsDomain: string;
  version: string;
}

export class ImportErrors extends Error {
  override name = 'ImportErrors';
  constructor(readonly problems: string[]) {
    super(
      `import-ck8s: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the input; nothing was ` +
        `written:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

const show = (v: unknown) => JSON.stringify(v);
const at = (cfg: EffectiveConfig, key: string) => `${originOf(cfg, key.split('.'))}: ${key}`;
const value = (cfg: EffectiveConfig, key: string) => getPath(cfg.value, key.split('.'));

function readPaths(from: string, others: string[], problems: string[]): { path: Ck8sConfigPath; kinds: ClusterKind[]; option: string }[] {
  const out: { path: Ck8sConfigPath; kinds: ClusterKind[]; option: string }[] = [];
  const read = (dir: string, kinds: { required: ClusterKind[]; optional?: ClusterKind[] }, option: string) => {
    try {
      const p = readConfigPath(dir, kinds, option);
      const dupe = out.find((o) => o.path.dir === p.dir);
      if (dupe) problems.push(`--${option}: ${p.dir} is given twice (already by --${dupe.option}); each workload cluster needs a config path of its own`);
      else out.push({ path: p, kinds: [...kinds.required, ...(kinds.optional ?? []).filter((k) => hasKind(p, k))], option });
    } catch (e) {
      if (!(e instanceof Ck8sInputError)) throw e;
      problems.push(e.message);
    }
  };
  read(from, { required: ['sc'], optional: ['wc'] }, 'from');
  for (const dir of others) read(dir, { required: ['wc'] }, 'workloadConfigPaths');
  return out;
}

/** Reads and checks every config path; throws ImportErrors with all problems at once. */
export function readSources(from: string, others: string[]): Sources {
  const problems: string[] = [];
  const read = readPaths(from, others, problems);
  if (problems.length) throw new ImportErrors(problems);
  const clusters: SourceCluster[] = [];
  for (const r of read)
    for (const kind of r.kinds)
      clusters.push({
        cfg: effectiveConfig(r.path, kind),
        kind,
        role: kind === 'sc' ? 'management' : 'workload',
        name: '',
        provider: 'none',
        option: r.option,
      });
  const sc = clusters.find((c) => c.kind === 'sc')!;
  if (!clusters.some((c) => c.kind === 'wc')) {
    problems.push(
      `--from: ${sc.cfg.source.dir} has no workload cluster config (wc-config.yaml and defaults/wc-config.yaml) and no --workloadConfigPaths were ` +
        `given; an environment needs at least one workload cluster`,
    );
  }

  // Version, names, flavor and provider of each cluster.
  const version = value(sc.cfg, 'global.ck8sVersion');
  for (const c of clusters) {
    const v = value(c.cfg, 'global.ck8sVersion');
    if (typeof v !== 'string' || !SUPPORTED_VERSION.test(v)) {
      problems.push(
        `${at(c.cfg, 'global.ck8sVersion')}: ${show(v)} is not a compliantkubernetes-apps version this importer understands ` +
          `(${SUPPORTED_VERSIONS_TEXT}); upgrade the environment with ck8s to v0.50 first`,
      );
    }
    const name = value(c.cfg, 'global.clusterName');
    if (typeof name !== 'string' || containsSetMe(name) || !DnsLabel.safeParse(name).success) {
      problems.push(
        `${at(c.cfg, 'global.clusterName')}: ${show(name)} cannot be a cluster name of ours: it must be a lower-case DNS label of at most 40 ` +
          `characters (rename the cluster in the ck8s config first)`,
      );
    } else if (RESERVED_CLUSTER_NAMES.includes(name)) {
      problems.push(`${at(c.cfg, 'global.clusterName')}: ${show(name)} is reserved (${RESERVED_CLUSTER_NAMES.join(', ')} are folders of the rendered output)`);
    } else c.name = name;
    const p = value(c.cfg, 'global.ck8sCloudProvider');
    if (typeof p === 'string' && PROVIDER_OF[p]) c.provider = PROVIDER_OF[p];
    else problems.push(`${at(c.cfg, 'global.ck8sCloudProvider')}: ${show(p)} is not a provider we know (${Object.keys(PROVIDER_OF).join(', ')})`);
  }
  const flavor = value(sc.cfg, 'global.ck8sFlavor');
  if (flavor !== 'dev' && flavor !== 'prod' && flavor !== 'air-gapped')
    problems.push(`${at(sc.cfg, 'global.ck8sFlavor')}: ${show(flavor)} is not a flavor we know (dev, prod, air-gapped)`);

  // One environment: the same flavor and version, distinct names, the service cluster's domains.
  const names = new Map<string, SourceCluster>();
  for (const c of clusters.filter((x) => x.name)) {
    const other = names.get(c.name);
    if (other)
      problems.push(
        `${at(c.cfg, 'global.clusterName')}: cluster name ${show(c.name)} is also the name of the ${other.kind} cluster of ${other.cfg.source.dir}: ` +
          `conflicting cluster configs (every cluster needs a name of its own)`,
      );
    else names.set(c.name, c);
  }
  const domain = value(sc.cfg, 'global.baseDomain');
  const opsDomain = value(sc.cfg, 'global.opsDomain');
  for (const [key, v] of [
    ['global.baseDomain', domain],
    ['global.opsDomain', opsDomain],
  ] as const) {
    if (containsSetMe(v)) problems.push(`${at(sc.cfg, key)}: still ${show(v)}: set it (a required key)`);
    else if (!DomainName.safeParse(v).success) problems.push(`${at(sc.cfg, key)}: ${show(v)} is not a lower-case DNS name with at least two labels`);
  }
  for (const c of clusters.filter((x) => x !== sc)) {
    const f = value(c.cfg, 'global.ck8sFlavor');
    if (f !== flavor)
      problems.push(
        `${at(c.cfg, 'global.ck8sFlavor')}: ${show(f)} differs from the service cluster's ${show(flavor)} ` +
          `(${originOf(sc.cfg, ['global', 'ck8sFlavor'])}): conflicting cluster configs (one environment has one flavor)`,
      );
    const v = value(c.cfg, 'global.ck8sVersion');
    if (v !== version && typeof v === 'string' && SUPPORTED_VERSION.test(v))
      problems.push(
        `${at(c.cfg, 'global.ck8sVersion')}: ${show(v)} differs from the service cluster's ${show(version)}: conflicting cluster configs (upgrade ` +
          `every cluster to the same release first)`,
      );
    for (const [own, fallback, expected] of [
      ['global.scDomain', 'global.baseDomain', domain],
      ['global.scOpsDomain', 'global.opsDomain', opsDomain],
    ] as const) {
      if (c.kind !== 'wc' || containsSetMe(expected)) continue;
      const set = value(c.cfg, own);
      const key = typeof set === 'string' && set !== '' ? own : fallback;
      const got = value(c.cfg, key);
      if (got !== expected) {
        problems.push(
          `${at(c.cfg, key)}: ${show(got)} is not the service cluster's ${fallback.split('.')[1]} ${show(expected)} ` +
            `(${originOf(sc.cfg, fallback.split('.'))}): conflicting cluster configs (this workload cluster reports to another service cluster)`,
        );
      }
    }
  }
  if (problems.length) throw new ImportErrors(problems);
  return {
    paths: read.map((r) => r.path),
    clusters,
    flavor: flavor as Flavor,
    provider: sc.provider,
    domain: domain as string,
    opsDomain: opsDomain as string,
    version: String(version),
  };
}
