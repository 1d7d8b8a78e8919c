import type { GeneratorCallback, Tree } from '@nx/devkit';
import YAML, { isMap, isSeq, type YAMLSeq } from 'yaml';
import { PROVIDERS, type EnvironmentConfig } from '@ck8s/config';
import { checkClusterName, checkDnsLabel, checkEnum, OptionErrors } from '../lib/options';
import { encryptionRecipients, fileDecrypter, loadAgeIdentities, plainValue, type IdentitySources } from '../lib/sops-access';
import {
  buildSecretFile,
  defaultEncrypt,
  emptyReport,
  fillPlaceholdersStep,
  formatNextSteps,
  formatSecretsReport,
  logOf,
  warnOf,
  type GeneratorDeps,
  type KeepValues,
  type SecretsReport,
} from '../lib/secret-files';
import {
  assignPaths,
  collectRequirements,
  recipesOf,
  secretSignature,
  shareLengths,
  sharesOf,
  ValueSource,
  type PlannedSecret,
  type Recipe,
  type Requirement,
} from '../lib/secret-plan';
import {
  checkExistingEnvironment,
  envDir,
  EnvironmentLoadError,
  loadEnvironmentFiles,
  locateSecret,
  readEnvironmentFilesFromTree,
  readExistingSecrets,
  secretsDir,
  type ExistingSecretFile,
} from '../lib/tree';
import type { AddWorkloadClusterSchema } from './schema';

/** The age key for existing secrets: given identities, else --ageKeyFile, $SOPS_AGE_KEY_FILE, $SOPS_AGE_KEY. */
export interface AddWorkloadClusterDeps extends GeneratorDeps, IdentitySources {}

export interface AddWorkloadClusterResult {
  environment: string;
  cluster: string;
  /** Workspace-relative paths of every file written. */
  files: string[];
  secrets: SecretsReport;
}

/** config.yaml with one more cluster entry, edited as a YAML document so comments and layout stay. */
export function appendCluster(configText: string, name: string): string {
  const doc = YAML.parseDocument(configText);
  if (doc.errors.length) throw new Error(`config.yaml does not parse: ${doc.errors[0].message}`);
  const clusters = doc.get('clusters', true);
  if (!isSeq(clusters)) throw new Error('config.yaml has no `clusters:` list to add the cluster to');
  const seq = clusters as YAMLSeq;
  const node = doc.createNode({ name, role: 'workload' });
  const last = seq.items[seq.items.length - 1];
  if (isMap(last) && last.flow) node.flow = true;
  seq.add(node);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: flowPadding(doc, configText) });
}

/** Whether the file writes flow collections as `{ a: 1 }` (yaml's default) or `{a: 1}`: keep its habit. */
function flowPadding(doc: YAML.Document, text: string): boolean {
  let padded = 0;
  let tight = 0;
  YAML.visit(doc, {
    Map: (_, n) => void (n.flow && n.range && n.items.length && (text[n.range[0] + 1] === ' ' ? padded++ : tight++)),
    Seq: (_, n) => void (n.flow && n.range && n.items.length && (text[n.range[0] + 1] === ' ' ? padded++ : tight++)),
  });
  return tight === 0 || padded >= tight;
}

type Indexed = { req: Requirement; recipes: Record<string, Recipe>; sig: string };
const reqKey = (cluster: string, namespace: string, name: string) => `${cluster}\u0000${namespace}\u0000${name}`;

function index(reqs: Requirement[], warnings: string[]): Map<string, Indexed> {
  const out = new Map<string, Indexed>();
  for (const req of reqs) {
    const recipes = recipesOf(req, warnings);
    out.set(reqKey(req.cluster, req.namespace, req.name), { req, recipes, sig: secretSignature(req, recipes) });
  }
  return out;
}

/** A planned write: a new file, or an existing file rewritten with some values kept. */
interface Write {
  planned: PlannedSecret;
  action: 'create' | 'update';
  /** The existing file whose decrypted content is the base (update in place, or a cluster's own copy of it). */
  from?: ExistingSecretFile;
  /** The recipes the existing file was made with (to decide which values to keep). */
  oldRecipes?: Record<string, Recipe>;
}

/** Which values of an existing Secret stay: unchanged recipes keep their value, htpasswd files keep unchanged users' lines. */
function keepValues(obj: Record<string, unknown>, recipes: Record<string, Recipe>, oldRecipes: Record<string, Recipe>): KeepValues {
  const keep: KeepValues = {};
  for (const [key, r] of Object.entries(recipes)) {
    const old = oldRecipes[key];
    const value = plainValue(obj, key);
    if (!old || value === undefined) continue;
    if (r.kind === 'user' && old.kind === 'user') keep[key] = { value };
    else if (r.kind === 'random' && old.kind === 'random' && r.length === old.length) keep[key] = { value };
    else if (r.kind === 'share' && old.kind === 'share' && r.share === old.share) keep[key] = { value };
    else if (r.kind === 'htpasswd' && old.kind === 'htpasswd') {
      const lines = new Map<string, string>();
      const oldShare = new Map(old.lines.map((l) => [l.user, l.share]));
      for (const line of value.split('\n').filter(Boolean)) {
        const user = line.slice(0, line.indexOf(':'));
        if (r.lines.some((l) => l.user === user && oldShare.get(user) === l.share)) lines.set(user, line);
      }
      keep[key] = { htpasswdLines: lines };
    }
  }
  return keep;
}

/** Shares whose value a write must produce (not kept from the file it rewrites): those must exist or be new. */
function sharesToMake(w: Write): string[] {
  const out: string[] = [];
  for (const [key, r] of Object.entries(w.planned.recipes)) {
    const old = w.from ? w.oldRecipes?.[key] : undefined;
    if (r.kind === 'share' && !(old?.kind === 'share' && old.share === r.share)) out.push(r.share);
    if (r.kind === 'htpasswd') {
      for (const l of r.lines) if (!(old?.kind === 'htpasswd' && old.lines.some((o) => o.user === l.user && o.share === l.share))) out.push(l.share);
    }
  }
  return out;
}

export async function addWorkloadCluster(tree: Tree, schema: AddWorkloadClusterSchema, deps: AddWorkloadClusterDeps = {}): Promise<AddWorkloadClusterResult> {
  const G = 'add-workload-cluster';
  const problems: string[] = [];
  const envName = typeof schema.environment === 'string' ? schema.environment.trim() : schema.environment;
  const name = typeof schema.name === 'string' ? schema.name.trim() : schema.name;
  problems.push(...checkExistingEnvironment(tree, 'environment', envName));
  problems.push(...(typeof name === 'string' ? checkClusterName('name', name) : checkDnsLabel('name', name, 'cluster name')));
  if (schema.provider !== undefined) problems.push(...checkEnum('provider', schema.provider, PROVIDERS));
  if (problems.length) throw new OptionErrors(G, problems);

  const dir = envDir(envName);
  const files = readEnvironmentFilesFromTree(tree, envName);
  let oldEnv: EnvironmentConfig;
  try {
    oldEnv = loadEnvironmentFiles(envName, files, deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(`${G}: the environment does not load as it is; fix it first (nothing was written).\n${e.message}`);
  }
  if (oldEnv.clusters.some((c) => c.name === name)) {
    throw new OptionErrors(G, [`--name: environment "${envName}" already has a cluster "${name}" (clusters: ${oldEnv.clusters.map((c) => c.name).join(', ')})`]);
  }
  if (files[`${name}.yml`] !== undefined || files[`${name}.yaml`] !== undefined) {
    throw new OptionErrors(G, [`--name: environments/${envName}/${name}.yaml already exists; remove it or choose another name`]);
  }

  const report = emptyReport();
  const out = new Map<string, string>();
  const newConfig = appendCluster(files['config.yaml'], name);
  out.set(`${dir}/config.yaml`, newConfig);
  const newFiles: Record<string, string> = { ...files, 'config.yaml': newConfig };
  if (schema.provider !== undefined && schema.provider !== oldEnv.provider) {
    const overrides = `# yaml-language-server: $schema=../../packages/config/schema/cluster.schema.json\n# ${name}: per-cluster overrides (the settings keys of config.yaml, plus provider). It runs on ${schema.provider}.\nprovider: ${schema.provider}\n`;
    newFiles[`${name}.yaml`] = overrides;
    out.set(`${dir}/${name}.yaml`, overrides);
  }
  let newEnv: EnvironmentConfig;
  try {
    newEnv = loadEnvironmentFiles(envName, newFiles, deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(`${G}: the environment with cluster "${name}" does not load; nothing was written.\n${e.message}`);
  }

  const recipients = encryptionRecipients(G, envName, oldEnv.sops.ageRecipients, tree.read(`${dir}/.sops.yaml`, 'utf-8'));

  // What the secrets need before and after the cluster is added, and which files exist.
  const existing = readExistingSecrets(tree, envName);
  const oldReqs = collectRequirements(oldEnv, deps.catalog);
  const newReqs = collectRequirements(newEnv, deps.catalog);
  const oldIx = index(oldReqs, []);
  const newIx = index(newReqs, report.warnings);
  const oldClusters = oldEnv.clusters.map((c) => c.name);
  if (existing.some((f) => f.cluster === name)) {
    report.warnings.push(`environments/${envName}/secrets/${name}/ already holds files; those matching a required Secret by name and namespace are used as they are`);
  }

  const writes: Write[] = [];
  /** New files, named together at the end so name clashes resolve as new-environment resolves them. */
  const pending: (Omit<Write, 'planned'> & { item: Omit<PlannedSecret, 'relPath'> })[] = [];
  // 1. Existing files whose users (existing clusters) now need other content (e.g. an htpasswd file with a line per workload cluster).
  const resultingSigs = new Map<ExistingSecretFile, Set<string>>();
  for (const f of existing) {
    if (!f.name || !f.namespace) continue;
    const users = oldClusters.filter((c) => oldIx.has(reqKey(c, f.namespace!, f.name!)) && locateSecret(existing, c, f.namespace!, f.name!) === f);
    const sigs = new Set<string>();
    const changed: string[] = [];
    for (const c of users) {
      const before = oldIx.get(reqKey(c, f.namespace, f.name))!;
      const after = newIx.get(reqKey(c, f.namespace, f.name));
      if (!after) continue;
      if (after.sig !== before.sig) changed.push(c);
      sigs.add(after.sig);
    }
    resultingSigs.set(f, sigs);
    if (!changed.length) continue;
    const first = newIx.get(reqKey(changed[0], f.namespace, f.name))!;
    const oldRecipes = oldIx.get(reqKey(changed[0], f.namespace, f.name))!.recipes;
    const stillUsing = users.filter((c) => newIx.has(reqKey(c, f.namespace!, f.name!)));
    const base = { name: f.name, namespace: f.namespace, keys: Object.keys(first.recipes), recipes: first.recipes, description: first.req.description, by: first.req.by };
    if (sigs.size === 1) {
      // Every user needs the same new content: rewrite the file in place.
      writes.push({ planned: { ...base, relPath: f.relPath, scope: f.cluster, clusters: stillUsing }, action: 'update', from: f, oldRecipes });
    } else {
      // Users disagree now: each changed cluster gets its own copy under secrets/<cluster>/.
      for (const c of changed) {
        const ix = newIx.get(reqKey(c, f.namespace, f.name))!;
        pending.push({ item: { ...base, keys: Object.keys(ix.recipes), recipes: ix.recipes, scope: c, clusters: [c] }, action: 'create', from: f, oldRecipes });
      }
      resultingSigs.set(f, new Set([...users.filter((c) => !changed.includes(c)).map((c) => oldIx.get(reqKey(c, f.namespace!, f.name!))!.sig)]));
    }
  }

  // 2. Requirements no file serves: the new cluster's, and any an existing cluster gains with it.
  for (const [key, ix] of newIx) {
    const { req } = ix;
    const old = oldIx.get(key);
    if (req.cluster !== name && old && old.sig === ix.sig) continue;
    const planned = [...writes.map((w) => w.planned), ...pending.map((p) => p.item)];
    if (planned.some((p) => p.namespace === req.namespace && p.name === req.name && p.clusters.includes(req.cluster))) continue;
    const f = locateSecret(existing, req.cluster, req.namespace, req.name);
    if (f) {
      const sigs = resultingSigs.get(f);
      const servesIt = f.cluster === req.cluster || (sigs && sigs.size ? sigs.has(ix.sig) : req.keys.every((k) => f.keys.includes(k)));
      if (servesIt) continue;
    } else if (req.cluster !== name && old) {
      report.warnings.push(`secrets for ${req.namespace}/${req.name} on cluster ${req.cluster} are missing (not caused by this change; validate reports it)`);
      continue;
    }
    pending.push({ item: { scope: req.cluster, name: req.name, namespace: req.namespace, clusters: [req.cluster], keys: Object.keys(ix.recipes), recipes: ix.recipes, description: req.description, by: req.by }, action: 'create' });
  }
  const named = assignPaths(
    pending.map((p) => p.item),
    [...existing.map((e) => e.relPath), ...writes.map((w) => w.planned.relPath)],
  );
  pending.forEach(({ item: _, ...w }, i) => writes.push({ ...w, planned: named[i] }));

  // 3. Decryption is needed to keep values of rewritten files and to reuse shares that already exist.
  const oldShares = sharesOf([...oldIx.values()].flatMap((i) => Object.values(i.recipes)));
  const needShares = [...new Set(writes.flatMap((w) => sharesToMake(w)))].filter((s) => oldShares.has(s)).sort();
  const needsKey = writes.filter((w) => w.from).map((w) => `${secretsDir(envName)}/${w.from!.relPath} (${w.action === 'update' ? 'gains content for the new cluster' : `copied for cluster ${w.planned.clusters.join(', ')}`})`);
  const shareSources = new Map<string, { file: ExistingSecretFile; key: string }>();
  for (const share of needShares) {
    for (const [, i] of oldIx) {
      const key = Object.keys(i.recipes).find((k) => i.recipes[k].kind === 'share' && (i.recipes[k] as { share: string }).share === share);
      const f = key && locateSecret(existing, i.req.cluster, i.req.namespace, i.req.name);
      if (key && f) {
        shareSources.set(share, { file: f, key });
        break;
      }
    }
  }
  const unrecoverable = needShares.filter((s) => !shareSources.has(s));
  if (unrecoverable.length) {
    throw new Error(`${G}: the value of shared secret(s) ${unrecoverable.join(', ')} is needed for cluster "${name}" but no existing file holds it in a readable key (only hashes or no file); nothing was written. Create the missing Secrets first, or rotate the share in every Secret that uses it.`);
  }
  needsKey.push(...needShares.map((s) => `${secretsDir(envName)}/${shareSources.get(s)!.file.relPath} (holds the shared value "${s}")`));

  let key: { identities: string[]; source: string } | undefined;
  if (needsKey.length) {
    key = loadAgeIdentities(G, schema.ageKeyFile, deps);
    if (!key) {
      throw new Error(
        [
          `${G}: cluster "${name}" needs values that live in existing encrypted files; nothing was written.`,
          'Pass the age private key with --ageKeyFile <file> (or set SOPS_AGE_KEY_FILE) so the generator can decrypt:',
          ...[...new Set(needsKey)].map((n) => `  ${n}`),
        ].join('\n'),
      );
    }
  }
  const decrypt = fileDecrypter(G, key, (f) => `${secretsDir(envName)}/${f.relPath}`);

  const values = new ValueSource({
    random: deps.random,
    bcryptCost: deps.bcryptCost,
    lengths: shareLengths(newReqs),
    onValue: deps.onGeneratedValue,
    existingShare: async (share) => {
      const src = shareSources.get(share);
      if (!src) {
        if (oldShares.has(share)) throw new Error(`${G}: the shared value "${share}" already exists in the environment but could not be read back; nothing was written`);
        return undefined;
      }
      const value = plainValue(await decrypt(src.file), src.key);
      if (value === undefined) throw new Error(`${G}: ${secretsDir(envName)}/${src.file.relPath} has no key ${src.key} with the shared value "${share}"`);
      return value;
    },
  });
  const encrypt = deps.encrypt ?? defaultEncrypt;
  for (const w of writes) {
    const path = `${secretsDir(envName)}/${w.planned.relPath}`;
    const options = w.from
      ? await (async () => {
          const obj = await decrypt(w.from!);
          return { action: w.action, base: obj, keep: keepValues(obj, w.planned.recipes, w.oldRecipes ?? {}) };
        })()
      : { action: w.action };
    out.set(path, await buildSecretFile({ ...w.planned, path }, values, recipients, encrypt, report, options));
  }

  for (const [path, text] of out) tree.write(path, text);
  const log = logOf(deps);
  log(`Environment ${envName}: added workload cluster ${name}${schema.provider && schema.provider !== oldEnv.provider ? ` on ${schema.provider} (${dir}/${name}.yaml)` : ''} to ${dir}/config.yaml`);
  for (const line of formatSecretsReport(envName, report, recipients)) log(line);
  for (const w of report.warnings) warnOf(deps)(w);
  return { environment: envName, cluster: name, files: [...out.keys()], secrets: report };
}

export function nextSteps(env: string, cluster: string, report: SecretsReport): string {
  return formatNextSteps([
    fillPlaceholdersStep(report.placeholders),
    `Render:    npx nx run ${env}:render   (adds clusters/${env}/${cluster}/)`,
    `Validate:  npx nx run ${env}:validate   (and npx nx run ${env}:drift)`,
    `Commit environments/${env}/ and clusters/${env}/ together and open a pull request.`,
    `Bootstrap ${cluster}: Flux, the flux-system Git credentials and the sops-age key Secret (tools/generators/README.md), then flux bootstrap --path clusters/${env}/${cluster}.`,
  ]);
}

export default async function addWorkloadClusterGenerator(tree: Tree, schema: AddWorkloadClusterSchema): Promise<GeneratorCallback> {
  const result = await addWorkloadCluster(tree, schema);
  return () => logOf({})(nextSteps(result.environment, result.cluster, result.secrets));
}
