import type { GeneratorCallback, Tree } from '@nx/devkit';
import YAML, { isMap, isSeq, type YAMLSeq } from 'yaml';
import { PROVIDERS, type EnvironmentConfig } from '@ck8s/config';
import { checkClusterName, checkDnsLabel, checkEnum, OptionErrors } from '../lib/options';
import { formatReconcileReport, reconcileSecrets, type PendingPlaceholder, type ReconcileResult } from '../lib/reconcile-secrets';
import { bootstrapStep } from '../lib/bootstrap-steps';
import { fillPlaceholdersStep, formatNextSteps, logOf, warnOf, type GeneratorDeps, type SecretsReport } from '../lib/secret-files';
import { loadAgeIdentities, type IdentitySources } from '../lib/sops-access';
import { checkExistingEnvironment, envDir, EnvironmentLoadError, loadEnvironmentFiles, readEnvironmentFilesFromTree, readExistingSecrets } from '../lib/tree';
import type { AddWorkloadClusterSchema } from './schema';

/**
 * Adds a workload cluster: one more entry in config.yaml (comments and layout kept), an overrides file
 * when its provider differs, then the secrets reconciliation sync-secrets runs (lib/reconcile-secrets),
 * told what the config was before so the management side's files gain what the new cluster needs
 * (its line in an htpasswd file, its password in a user list) while every existing value stays.
 */

/** The age key for existing secrets: given identities, else --ageKeyFile, $SOPS_AGE_KEY_FILE, $SOPS_AGE_KEY. */
export interface AddWorkloadClusterDeps extends GeneratorDeps, IdentitySources {}

export interface AddWorkloadClusterResult {
  environment: string;
  cluster: string;
  /** Workspace-relative paths of every file written. */
  files: string[];
  secrets: SecretsReport;
  /** The secrets reconciliation: created and rewritten files, unfilled placeholders, orphans. */
  sync: ReconcileResult;
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
    throw new Error(`${G}: the environment does not load as it is; fix it first (nothing was written).\n${e.message}`, { cause: e });
  }
  if (oldEnv.clusters.some((c) => c.name === name)) {
    throw new OptionErrors(G, [
      `--name: environment "${envName}" already has a cluster "${name}" (clusters: ${oldEnv.clusters.map((c) => c.name).join(', ')})`,
    ]);
  }
  if (files[`${name}.yml`] !== undefined || files[`${name}.yaml`] !== undefined) {
    throw new OptionErrors(G, [`--name: environments/${envName}/${name}.yaml already exists; remove it or choose another name`]);
  }

  const out = new Map<string, string>();
  const newConfig = appendCluster(files['config.yaml'], name);
  out.set(`${dir}/config.yaml`, newConfig);
  const newFiles: Record<string, string> = { ...files, 'config.yaml': newConfig };
  if (schema.provider !== undefined && schema.provider !== oldEnv.provider) {
    const overrides = [
      '# yaml-language-server: $schema=../../packages/config/schema/cluster.schema.json',
      `# ${name}: per-cluster overrides (the settings keys of config.yaml, plus provider). It runs on ${schema.provider}.`,
      `provider: ${schema.provider}`,
      '',
    ].join('\n');
    newFiles[`${name}.yaml`] = overrides;
    out.set(`${dir}/${name}.yaml`, overrides);
  }
  let newEnv: EnvironmentConfig;
  try {
    newEnv = loadEnvironmentFiles(envName, newFiles, deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(`${G}: the environment with cluster "${name}" does not load; nothing was written.\n${e.message}`, { cause: e });
  }

  // Everything below decides from the files as they are; nothing is written until every file is made.
  const key = loadAgeIdentities(G, schema.ageKeyFile, deps);
  const { result: sync, out: secrets } = await reconcileSecrets(
    tree,
    { generator: G, envName, env: newEnv, previous: oldEnv, key, purpose: `cluster "${name}"` },
    deps,
  );
  if (readExistingSecrets(tree, envName).some((f) => f.cluster === name)) {
    sync.secrets.warnings.unshift(
      `environments/${envName}/secrets/${name}/ already holds files; ` +
        'those matching a required Secret by name and namespace are used (and extended where they lack keys)',
    );
  }
  for (const [path, text] of secrets) out.set(path, text);

  for (const [path, text] of out) tree.write(path, text);
  const log = logOf(deps);
  const where = schema.provider && schema.provider !== oldEnv.provider ? ` on ${schema.provider} (${dir}/${name}.yaml)` : '';
  log(`Environment ${envName}: added workload cluster ${name}${where} to ${dir}/config.yaml`);
  for (const line of formatReconcileReport(sync)) log(line);
  for (const w of sync.secrets.warnings) warnOf(deps)(w);
  return { environment: envName, cluster: name, files: [...out.keys()], secrets: sync.secrets, sync };
}

export function nextSteps(env: string, cluster: string, report: SecretsReport, pending: PendingPlaceholder[] = []): string {
  return formatNextSteps([
    fillPlaceholdersStep([...report.placeholders, ...pending]),
    `Render:    npx nx run ${env}:render   (adds clusters/${env}/${cluster}/)`,
    `Validate:  npx nx run ${env}:validate   (and npx nx run ${env}:drift)`,
    `Commit environments/${env}/ and clusters/${env}/ together and open a pull request.`,
    bootstrapStep(env, [cluster]),
  ]);
}

export default async function addWorkloadClusterGenerator(tree: Tree, schema: AddWorkloadClusterSchema): Promise<GeneratorCallback> {
  const result = await addWorkloadCluster(tree, schema);
  return () => logOf({})(nextSteps(result.environment, result.cluster, result.secrets, result.sync.pendingPlaceholders));
}
