import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ComplianceFramework } from './compliance';
import { DnsLabel, Flavor, FLAVORS, Provider, type Role } from './enums';
import { type ConfigError, keyPathOf, nearest } from './errors';
import { FLAVOR_DEFAULTS, PROVIDER_DEFAULTS } from './layers';
import { deepMerge, type Plain } from './merge';
import { migrate } from './migrate';
import { environmentSchema, ObjectStorage, settingsShape } from './schema';
import { hasPath, locate, parseSource, type SourceFile } from './source';
import { knownKeysAt } from './zod-walk';

/** What the component catalog contributes: the schema of `components.*` and its flavor defaults. */
export interface ConfigExtensions<C extends z.ZodRawShape = z.ZodRawShape> {
  components: z.ZodObject<C>;
  componentFlavorDefaults?: Partial<Record<Flavor, Plain>>;
  /**
   * Semantic rules contributed by the catalog (prod invariants and the like), run on the merged
   * config of each cluster. `path` is a key path in the config; the loader finds its file and line.
   */
  semanticChecks?: (env: EnvironmentConfig<C>, cluster: ClusterConfig<C>) => SemanticProblem[];
}

export interface SemanticProblem {
  path: PropertyKey[];
  message: string;
}

export type Settings<C extends z.ZodRawShape = z.ZodRawShape> = z.output<z.ZodObject<ReturnType<typeof settingsShape<C>>>>;

export interface ClusterConfig<C extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  role: Role;
  provider: Provider;
  settings: Settings<C>;
}

export interface EnvironmentConfig<C extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  flavor: Flavor;
  provider: Provider;
  domain: string;
  opsDomain: string;
  git: { url: string; branch: string; secretName: string };
  sops: { ageRecipients: string[] };
  /** Chart and image mirrors (empty strings: none). */
  mirrors: { charts: string; images: string };
  /**
   * The object storage config.yaml alone describes (defaults ◀ flavor ◀ provider ◀ config.yaml): the
   * store the environment-level credentials under secrets/ are for. A cluster whose own object storage
   * differs needs credentials of its own. Undefined where config.yaml describes no valid one.
   */
  objectStorage?: z.output<typeof ObjectStorage>;
  clusters: ClusterConfig<C>[];
  /** Frameworks validate holds the environment to (empty: reported, not enforced). */
  compliance: { frameworks: ComplianceFramework[] };
}

export interface LoadResult<C extends z.ZodRawShape> {
  environment?: EnvironmentConfig<C>;
  errors: ConfigError[];
}

const ENV_ONLY_KEYS = ['version', 'flavor', 'provider', 'domain', 'opsDomain', 'git', 'sops', 'clusters', 'compliance', 'mirrors'];
/** Folder names the rendered layout or the environment folder already uses. */
export const RESERVED_CLUSTER_NAMES: readonly string[] = ['bases', 'flux-system', 'config', 'secrets'];

/**
 * The flavor and provider layers. A layer whose name is invalid cannot apply: that name is reported
 * on its own, and `unapplied` lists what such a layer would have supplied, so the keys it would have
 * filled are not reported again one by one as missing.
 */
function layersFor(ext: Pick<ConfigExtensions, 'componentFlavorDefaults'>, flavor: unknown, provider: unknown): { layers: Plain[]; unapplied: Plain[] } {
  const f = Flavor.safeParse(flavor);
  const p = Provider.safeParse(provider);
  const flavorLayers = (x: Flavor): Plain[] => [FLAVOR_DEFAULTS[x], { components: ext.componentFlavorDefaults?.[x] ?? {} }];
  return {
    layers: [...(f.success ? flavorLayers(f.data) : []), ...(p.success ? [PROVIDER_DEFAULTS[p.data]] : [])],
    unapplied: [...(f.success ? [] : FLAVORS.flatMap(flavorLayers)), ...(p.success ? [] : Object.values(PROVIDER_DEFAULTS))],
  };
}

/** What a wrong-typed value is, in the words of a YAML author: a list, a map, null, or its type and value. */
function describeInput(input: unknown): string {
  if (typeof input !== 'object') return `${typeof input} ${JSON.stringify(input)}`;
  return Array.isArray(input) ? 'a list' : input === null ? 'null' : 'a map';
}

function describeIssue(issue: z.core.$ZodIssue, present: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      return present ? `expected ${issue.expected}, got ${describeInput(issue.input)}` : `missing required key (expected ${issue.expected}); add it`;
    case 'invalid_value': {
      const expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return present ? `expected ${expected}, got ${JSON.stringify(issue.input)}` : `missing required key (expected ${expected}); add it`;
    }
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? issue.message : `a valid ${issue.format}`}, got ${JSON.stringify(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return `${issue.message}, got ${JSON.stringify(issue.input)}`;
    default:
      return issue.message;
  }
}

/**
 * The file to blame for `path` (`sources`: most specific first): the most specific file that holds
 * the value; when none does, the one holding its deepest ancestor, ties going to the least specific
 * file (the environment), where a key nobody set belongs.
 */
function blame(sources: SourceFile[], path: readonly PropertyKey[]): { src: SourceFile; line: number; column: number } {
  const located = sources.map((src) => ({ src, ...locate(src, path) }));
  return located.find((l) => l.depth === path.length) ?? located.reduce((best, l) => (l.depth >= best.depth ? l : best));
}

/**
 * Maps zod issues onto the files a value came from (`sources`: most specific file first). With
 * `only`, just the issues about values that file sets.
 */
function issuesToErrors(issues: z.core.$ZodIssue[], sources: SourceFile[], schema: z.ZodType, unapplied: Plain[], only?: SourceFile): ConfigError[] {
  const out: ConfigError[] = [];
  const at = (path: PropertyKey[], message: string) => {
    if (only && !hasPath(only.value, path)) return;
    const { src, line, column } = blame(sources, path);
    out.push({ file: src.file, line, column, keyPath: keyPathOf(path), message });
  };
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const guess = nearest(key, known);
        at([...path, key], guess ? `unknown key (did you mean "${guess}"?)` : `unknown key; expected one of: ${known.join(', ')}`);
      }
    } else {
      const present = sources.some((s) => hasPath(s.value, path));
      if (!present && unapplied.some((layer) => hasPath(layer, path))) continue; // a consequence of an invalid flavor or provider
      at(path, describeIssue(issue, present));
    }
  }
  return out;
}

function builtInChecks(env: z.output<ReturnType<typeof environmentSchema>>, src: SourceFile): ConfigError[] {
  const errors: ConfigError[] = [];
  const err = (path: PropertyKey[], message: string) => {
    const loc = locate(src, path);
    errors.push({ file: src.file, line: loc.line, column: loc.column, keyPath: keyPathOf(path), message });
  };
  const seen = new Map<string, number>();
  env.clusters.forEach((c, i) => {
    if (seen.has(c.name))
      err(['clusters', i, 'name'], `duplicate cluster name "${c.name}" (also clusters[${seen.get(c.name)}]); cluster names must be unique in an environment`);
    else seen.set(c.name, i);
    if (RESERVED_CLUSTER_NAMES.includes(c.name))
      err(['clusters', i, 'name'], `"${c.name}" is reserved (${RESERVED_CLUSTER_NAMES.join(', ')}); choose another cluster name`);
  });
  const managers = env.clusters.filter((c) => c.role === 'management');
  if (managers.length !== 1) err(['clusters'], `expected exactly one cluster with role "management", found ${managers.length}`);
  if (!env.clusters.some((c) => c.role === 'workload')) err(['clusters'], 'expected at least one cluster with role "workload"');
  if (env.flavor === 'air-gapped') {
    // Without internet access nothing may be fetched from its origin at run time.
    if (!env.mirrors.charts) err(['mirrors', 'charts'], 'the air-gapped flavor pulls every chart from a mirror; set mirrors.charts (oci://... or https://...)');
    if (!env.mirrors.images) err(['mirrors', 'images'], 'the air-gapped flavor pulls every image from a mirror; set mirrors.images (a registry host)');
  }
  if (env.certificates.issuer === 'letsencrypt-staging' && env.flavor !== 'dev') {
    err(
      ['certificates', 'issuer'],
      `Let's Encrypt staging certificates are not trusted by browsers; flavor "${env.flavor}" needs "letsencrypt-prod" or "custom-ca"`,
    );
  }
  return errors;
}

/** Rules on one cluster's merged settings that need no component knowledge. */
function clusterChecks(cluster: ClusterConfig): SemanticProblem[] {
  const os = cluster.settings.storage.objectStorage;
  if (os.type === 'swift' && !os.s3Endpoint) {
    return [
      {
        path: ['storage', 'objectStorage', 's3Endpoint'],
        message:
          `cluster ${cluster.name} stores objects in Swift, which backups, the audit-log archive and snapshots reach through its S3-compatible API; ` +
          'set the S3 endpoint of your Swift (s3api) here',
      },
    ];
  }
  return [];
}

/**
 * Loads one environment from its files (name → text, names relative to the environment folder).
 * Pure: no file system access, so tests and the generators can feed it a virtual tree.
 */
export function resolveEnvironment<C extends z.ZodRawShape>(
  name: string,
  files: Record<string, string>,
  ext: ConfigExtensions<C>,
  displayDir = `environments/${name}`,
): LoadResult<C> {
  const errors: ConfigError[] = [];
  const configFile = `${displayDir}/config.yaml`;
  if (!DnsLabel.safeParse(name).success) {
    errors.push({
      file: displayDir,
      line: 1,
      column: 1,
      keyPath: '',
      message: 'environment folder name must be a lower-case DNS label (letters, digits, "-"; at most 40 characters); rename the folder',
    });
  }
  if (files['config.yaml'] === undefined) {
    errors.push({
      file: configFile,
      line: 1,
      column: 1,
      keyPath: '',
      message: 'file is missing; every environment needs a config.yaml (create one with `npx nx g @ck8s/tools:new-environment`)',
    });
    return { errors };
  }
  const parsed = parseSource(configFile, files['config.yaml']);
  errors.push(...parsed.errors);
  if (!parsed.source) return { errors };
  const envSrc = parsed.source;
  const raw = envSrc.value as Plain;
  const migrated = migrate(raw);
  if (migrated.problem) {
    const loc = locate(envSrc, ['version']);
    errors.push({ file: configFile, line: loc.line, column: loc.column, keyPath: 'version', message: migrated.problem });
    return { errors };
  }

  const schema = environmentSchema(ext.components);
  const envLayers = layersFor(ext, raw.flavor, raw.provider);
  const envParsed = schema.safeParse(deepMerge(...envLayers.layers, migrated.config), { reportInput: true });
  if (!envParsed.success) errors.push(...issuesToErrors(envParsed.error.issues, [envSrc], schema, envLayers.unapplied));

  // Per-cluster files: only for clusters the config names; anything else is a typo worth reporting.
  const clusterNames = Array.isArray(raw.clusters) ? (raw.clusters as Plain[]).map((c) => String(c?.name ?? '')) : [];
  const clusterSources = new Map<string, SourceFile>();
  for (const file of Object.keys(files).sort()) {
    if (file === 'config.yaml' || !/\.ya?ml$/.test(file) || file.includes('/')) continue;
    const cluster = file.replace(/\.ya?ml$/, '');
    const display = `${displayDir}/${file}`;
    if (!clusterNames.includes(cluster)) {
      const guess = nearest(cluster, clusterNames);
      const hint = guess ? `did you mean ${guess}.yaml?` : 'rename the file or add the cluster';
      errors.push({
        file: display,
        line: 1,
        column: 1,
        keyPath: '',
        message: `no cluster named "${cluster}" in config.yaml (clusters: ${clusterNames.join(', ')}); ${hint}`,
      });
      continue;
    }
    const p = parseSource(display, files[file]);
    errors.push(...p.errors);
    if (!p.source) continue;
    const other = clusterSources.get(cluster);
    if (other)
      errors.push({
        file: display,
        line: 1,
        column: 1,
        keyPath: '',
        message: `${other.file} already holds the overrides of cluster "${cluster}"; merge the two files into one`,
      });
    else clusterSources.set(cluster, p.source);
  }

  // Each cluster's merged settings. When config.yaml itself is invalid, its errors are reported above
  // and only the values the cluster files set are checked, so every problem of a run is reported together.
  const env = envParsed.success ? envParsed.data : undefined;
  if (env) errors.push(...builtInChecks(env as never, envSrc));
  const flavor = env?.flavor ?? raw.flavor;
  const envSettings = Object.fromEntries(Object.entries(migrated.config).filter(([k]) => !ENV_ONLY_KEYS.includes(k)));
  const clusterSchema = z.strictObject({ provider: Provider, ...settingsShape(ext.components) });
  const clusters: ClusterConfig<C>[] = [];
  const entries = env?.clusters ?? [...clusterSources.keys()].map((n) => ({ name: n, role: undefined }));
  for (const entry of entries) {
    const src = clusterSources.get(entry.name);
    const override = (src?.value ?? {}) as Plain;
    const provider = override.provider ?? env?.provider ?? raw.provider;
    const { layers, unapplied } = layersFor(ext, flavor, provider);
    const result = clusterSchema.safeParse(deepMerge(...layers, { provider: env?.provider ?? raw.provider }, envSettings, override), { reportInput: true });
    if (!result.success) {
      errors.push(...issuesToErrors(result.error.issues, src ? [src, envSrc] : [envSrc], clusterSchema, unapplied, env ? undefined : src));
    } else if (env && entry.role) {
      const { provider: p, ...settings } = result.data;
      clusters.push({ name: entry.name, role: entry.role, provider: p, settings: settings as unknown as Settings<C> });
    }
  }
  if (!env || errors.length) return { errors: dedupe(errors) };

  const environment: EnvironmentConfig<C> = {
    name,
    flavor: env.flavor,
    provider: env.provider,
    domain: env.domain,
    opsDomain: env.opsDomain ?? `ops.${env.domain}`,
    git: env.git,
    sops: env.sops,
    mirrors: env.mirrors,
    objectStorage: environmentObjectStorage(ext, env.flavor, env.provider, envSettings),
    clusters,
    compliance: env.compliance,
  };
  for (const cluster of clusters) {
    const src = clusterSources.get(cluster.name);
    // A cluster's own rule belongs in its overrides file when it has one (that is where it differs).
    for (const p of clusterChecks(cluster)) {
      const { src: file, line, column } = blame(src ? [src] : [envSrc], p.path);
      errors.push({ file: file.file, line, column, keyPath: keyPathOf(p.path), message: p.message });
    }
    for (const p of ext.semanticChecks?.(environment, cluster) ?? []) {
      const { src: file, line, column } = blame(src ? [src, envSrc] : [envSrc], p.path);
      errors.push({ file: file.file, line, column, keyPath: keyPathOf(p.path), message: p.message });
    }
  }
  return errors.length ? { errors: dedupe(errors) } : { errors: [], environment };
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.file}:${e.line}:${e.column}:${e.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** The object storage of the environment's own layers, without any cluster's overrides. */
function environmentObjectStorage(
  ext: Pick<ConfigExtensions, 'componentFlavorDefaults'>,
  flavor: Flavor,
  provider: Provider,
  envSettings: Plain,
): z.output<typeof ObjectStorage> | undefined {
  const merged = deepMerge(...layersFor(ext, flavor, provider).layers, envSettings) as { storage?: { objectStorage?: unknown } };
  const parsed = ObjectStorage.safeParse(merged.storage?.objectStorage);
  return parsed.success ? parsed.data : undefined;
}

/** Reads the top-level YAML files of `environments/<name>/` (secrets are handled elsewhere). */
export function readEnvironmentFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (/\.ya?ml$/.test(entry) && !entry.startsWith('.') && statSync(full).isFile()) files[entry] = readFileSync(full, 'utf8');
  }
  return files;
}
