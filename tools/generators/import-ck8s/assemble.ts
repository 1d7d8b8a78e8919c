import YAML from 'yaml';
import { isPlainObject, resolveEnvironment, type ConfigError, type EnvironmentConfig, type Flavor, type Provider, type Role } from '@ck8s/config';
import { CATALOG, configExtensions, settingsKey, type Component } from '@ck8s/components';
import type { Write, LeafResult } from './classify';
import { getPath } from './source/effective';

/**
 * Turns the values the mapping produced into our environment files. A value equal to what the
 * cluster would get anyway (built-in default ◀ flavor ◀ provider) is dropped; a value every cluster
 * that runs the component agrees on goes to config.yaml; the rest to the cluster's own file. The
 * result goes through the real loader: a value it refuses (a prod invariant, a bound) is taken out
 * again and reported as "different meaning", so the import never writes a config that does not load.
 */

export interface ClusterPlan {
  name: string;
  role: Role;
  provider: Provider;
}

export interface AssembleInput {
  envName: string;
  flavor: Flavor;
  provider: Provider;
  domain: string;
  /** Omitted when it is our default (ops.<domain>). */
  opsDomain?: string;
  git: { url: string; branch: string };
  recipients: string[];
  clusters: ClusterPlan[];
  /** Values for settings keys (not the environment keys flavor, provider, domain, opsDomain). */
  writes: Write[];
  /** Comment lines at the top of config.yaml. */
  header: string[];
  catalog?: readonly Component[];
}

/** One value in one file. */
export interface Placed {
  /** `config.yaml` or `<cluster>.yaml`. */
  file: string;
  target: string;
  value: unknown;
  leaves: LeafResult[];
}

export interface Assembled {
  files: Record<string, string>;
  env: EnvironmentConfig;
  placed: Placed[];
}

export class ImportRejected extends Error {
  override name = 'ImportRejected';
  constructor(
    readonly errors: ConfigError[],
    placed: Placed[] = [],
  ) {
    // Our file names mean little to someone who has not seen them yet: name the ck8s keys the refused values came from.
    const involved = placed.filter((p) => errors.some((e) => under(e.keyPath, p.target) || e.message.includes(p.target)));
    const from = involved.map((p) => {
      const keys = [...new Set(p.leaves.map((l) => `${l.key} (${l.origin}, cluster ${l.cluster})`))].join(', ');
      return `  ${p.target} = ${JSON.stringify(p.value)} comes from ck8s ${keys}`;
    });
    super(
      [
        ...errors.map((e) => `  ${e.file}:${e.line}:${e.column}: ${e.keyPath ? `${e.keyPath}: ` : ''}${e.message}`),
        ...(from.length ? ['The values involved:', ...from] : []),
      ].join('\n'),
    );
  }
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (isPlainObject(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
const under = (key: string, prefix: string) => key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);

function setIn(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const seg of path.slice(0, -1)) cur = (cur[seg] = isPlainObject(cur[seg]) ? cur[seg] : {}) as Record<string, unknown>;
  cur[path[path.length - 1]] = value;
}

/** The files of the environment: environment keys and shared settings in config.yaml, the rest per cluster. */
function render(input: AssembleInput, placed: Placed[], extra: Record<string, Record<string, unknown>> = {}): Record<string, string> {
  const env: Record<string, unknown> = {
    version: 1,
    flavor: input.flavor,
    provider: input.provider,
    domain: input.domain,
    ...(input.opsDomain ? { opsDomain: input.opsDomain } : {}),
    git: { url: input.git.url, branch: input.git.branch },
    sops: { ageRecipients: input.recipients },
    clusters: input.clusters.map((c) => ({ name: c.name, role: c.role })),
  };
  const perFile: Record<string, Record<string, unknown>> = { 'config.yaml': env };
  for (const c of input.clusters) if (c.provider !== input.provider) perFile[`${c.name}.yaml`] = { provider: c.provider };
  for (const [file, values] of Object.entries(extra)) for (const [k, v] of Object.entries(values)) setIn((perFile[file] ??= {}), k.split('.'), v);
  for (const p of [...placed].sort((a, b) => (a.target < b.target ? -1 : 1))) setIn((perFile[p.file] ??= {}), p.target.split('.'), p.value);
  const out: Record<string, string> = {};
  for (const [file, value] of Object.entries(perFile)) {
    const doc = new YAML.Document(value);
    for (const p of placed.filter((x) => x.file === file)) {
      const path = p.target.split('.');
      const comment = ` ck8s: ${[...new Set(p.leaves.map((l) => l.key))].join(', ')}`;
      const node = doc.getIn(path, true) as YAML.Node | undefined;
      if (YAML.isScalar(node)) node.comment = comment;
      else {
        // A list or map value: the comment goes on its own line above the key.
        const parent = doc.getIn(path.slice(0, -1), true);
        const pair = YAML.isMap(parent) ? parent.items.find((i) => YAML.isScalar(i.key) && i.key.value === path[path.length - 1]) : undefined;
        if (pair && YAML.isScalar(pair.key)) pair.key.commentBefore = comment;
      }
    }
    const header =
      file === 'config.yaml'
        ? ['yaml-language-server: $schema=../../packages/config/schema/environment.schema.json', ...input.header]
        : [`Overrides of cluster ${file.replace(/\.yaml$/, '')}, imported with config.yaml (see IMPORT.md).`];
    doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
    out[file] = doc.toString({ lineWidth: 0 });
  }
  return out;
}

const load = (input: AssembleInput, files: Record<string, string>) => resolveEnvironment(input.envName, files, configExtensions(input.catalog ?? CATALOG));

/**
 * Our defaults per cluster: the environment with no imported settings. Settings the loader needs
 * before it accepts anything (the ACME e-mail, a Swift provider's object storage) are taken from
 * the writes and are then always written.
 */
function defaultsOf(input: AssembleInput): { env: EnvironmentConfig; forced: Set<string> } {
  const forced = new Set<string>(['certificates.email']);
  for (let attempt = 0; attempt < 8; attempt++) {
    const extra: Record<string, Record<string, unknown>> = {};
    for (const w of input.writes.filter((x) => [...forced].some((f) => under(x.target, f)))) {
      const c = input.clusters.find((x) => x.name === w.cluster)!;
      const file = c.role === 'management' ? 'config.yaml' : `${c.name}.yaml`;
      (extra[file] ??= {})[w.target] = w.value;
    }
    const result = load(input, render(input, [], extra));
    if (result.environment) return { env: result.environment, forced };
    let grew = false;
    for (const e of result.errors) {
      const parts = e.keyPath.split('.');
      for (let n = parts.length; n > 0; n--) {
        const prefix = parts.slice(0, n).join('.');
        if (input.writes.some((w) => under(w.target, prefix)) && !forced.has(prefix)) {
          forced.add(prefix);
          grew = true;
          break;
        }
      }
    }
    if (!grew) throw new ImportRejected(result.errors);
  }
  throw new Error('import-ck8s: could not find a loadable base configuration');
}

/** Components by settings key, for "does this component run on that cluster". */
function rolesOf(catalog: readonly Component[], target: string): readonly Role[] | undefined {
  const [head, key] = target.split('.');
  if (head !== 'components') return undefined;
  return catalog.find((c) => settingsKey(c.name) === key)?.roles;
}

function place(input: AssembleInput, defaults: EnvironmentConfig, forced: Set<string>): Placed[] {
  const catalog = input.catalog ?? CATALOG;
  const byTarget = new Map<string, Map<string, Write[]>>();
  for (const w of input.writes) {
    const m = byTarget.get(w.target) ?? new Map<string, Write[]>();
    m.set(w.cluster, [...(m.get(w.cluster) ?? []), w]);
    byTarget.set(w.target, m);
  }
  const placed: Placed[] = [];
  for (const [target, perCluster] of byTarget) {
    const roles = rolesOf(catalog, target);
    const relevant = input.clusters.filter((c) => !roles || roles.includes(c.role));
    const kept = new Map<string, { value: unknown; leaves: LeafResult[] }>();
    for (const [cluster, writes] of perCluster) {
      const c = input.clusters.find((x) => x.name === cluster)!;
      const [first, ...rest] = writes;
      // Two keys of one cluster for one setting: the first wins, a disagreeing one is reported.
      for (const w of rest.filter((x) => stable(x.value) !== stable(first.value))) {
        w.leaf.outcome = 'different';
        w.leaf.note = `${target} is already ${JSON.stringify(first.value)} from ${first.leaf.key}; this key's ${JSON.stringify(w.value)} cannot also apply`;
      }
      const leaves = writes.filter((x) => stable(x.value) === stable(first.value)).map((x) => x.leaf);
      if (!relevant.includes(c)) {
        for (const l of leaves) [l.outcome, l.note] = ['different', `${target.split('.')[1]} does not run on ${c.role} clusters: not used here`];
        continue;
      }
      const ours = getPath(defaults.clusters.find((x) => x.name === cluster)?.settings, target.split('.'));
      const isForced = [...forced].some((f) => under(target, f));
      if (!isForced && stable(ours) === stable(first.value)) {
        for (const l of leaves) if (l.outcome !== 'different') [l.outcome, l.note] = ['default', `equal to our default${l.note ? `; ${l.note}` : ''}`];
        continue;
      }
      kept.set(cluster, { value: first.value, leaves });
    }
    if (!kept.size) continue;
    const values = new Set([...kept.values()].map((k) => stable(k.value)));
    if (values.size === 1 && relevant.every((c) => kept.has(c.name))) {
      placed.push({ file: 'config.yaml', target, value: [...kept.values()][0].value, leaves: [...kept.values()].flatMap((k) => k.leaves) });
    } else {
      for (const [cluster, k] of kept) {
        const c = input.clusters.find((x) => x.name === cluster)!;
        // The management cluster's values are the environment's where nothing else needs them.
        const file = c.role === 'management' && relevant.length === 1 ? 'config.yaml' : `${cluster}.yaml`;
        placed.push({ file, target, value: k.value, leaves: k.leaves });
      }
    }
  }
  return placed;
}

export function assemble(input: AssembleInput): Assembled {
  const { env: defaults, forced } = defaultsOf(input);
  let placed = place(input, defaults, forced);
  for (let attempt = 0; attempt < 12; attempt++) {
    const files = render(input, placed);
    const result = load(input, files);
    if (result.environment) return { files, env: result.environment, placed };
    const reverted = new Set<Placed>();
    for (const e of result.errors) {
      const file = e.file.split('/').pop()!;
      const inFile = placed.filter((p) => p.file === file);
      let hit = inFile.filter((p) => under(e.keyPath, p.target) || under(p.target, e.keyPath));
      // A rule between settings (replicationFactor ≤ replicas) may blame a key we did not write: take the component's values back.
      if (!hit.length && /^components\.[A-Za-z]+/.test(e.keyPath)) {
        const component = e.keyPath.split('.').slice(0, 2).join('.');
        hit = placed.filter((p) => under(p.target, component));
      }
      for (const p of hit) {
        reverted.add(p);
        for (const l of p.leaves) {
          l.outcome = 'different';
          l.note = `our config refuses ${JSON.stringify(p.value)} for ${p.target} (${e.message}); our default applies`;
        }
      }
    }
    if (!reverted.size) throw new ImportRejected(result.errors, placed);
    placed = placed.filter((p) => !reverted.has(p));
  }
  throw new Error('import-ck8s: the imported values kept being refused by the config loader');
}
