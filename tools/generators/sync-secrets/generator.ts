import type { GeneratorCallback, Tree } from '@nx/devkit';
import type { EnvironmentConfig } from '@ck8s/config';
import { OptionErrors } from '../lib/options';
import { formatReconcileReport, reconcileSecrets, type ReconcileResult } from '../lib/reconcile-secrets';
import { fillPlaceholdersStep, formatNextSteps, logOf, warnOf, type GeneratorDeps } from '../lib/secret-files';
import { loadAgeIdentities, type IdentitySources } from '../lib/sops-access';
import { checkExistingEnvironment, EnvironmentLoadError, loadEnvironmentFiles, readEnvironmentFilesFromTree } from '../lib/tree';
import type { SyncSecretsSchema } from './schema';

export type { OrphanReport, PendingPlaceholder } from '../lib/reconcile-secrets';

/**
 * Day 2: bring environments/<env>/secrets/ in line with what `validate` requires after the config
 * or the platform changed (a component enabled, a webhook added, an upgrade that reads a new key).
 * The work is lib/reconcile-secrets (shared with add-workload-cluster): missing Secrets are created
 * where new-environment would put them, files lacking keys gain them with every existing value kept,
 * shared values are read back from the files that hold them, and files no requirement reads are
 * reported, never deleted.
 */

const G = 'sync-secrets';

export interface SyncSecretsDeps extends GeneratorDeps, IdentitySources {}

export type SyncSecretsResult = ReconcileResult;

export async function syncSecrets(tree: Tree, schema: SyncSecretsSchema, deps: SyncSecretsDeps = {}): Promise<SyncSecretsResult> {
  const envName = typeof schema.environment === 'string' ? schema.environment.trim() : schema.environment;
  const problems = checkExistingEnvironment(tree, 'environment', envName);
  if (problems.length) throw new OptionErrors(G, problems);
  // A missing --ageKeyFile is an option error whether or not the run needs the key.
  const key = loadAgeIdentities(G, schema.ageKeyFile, deps);

  let env: EnvironmentConfig;
  try {
    env = loadEnvironmentFiles(envName, readEnvironmentFilesFromTree(tree, envName), deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(`${G}: the environment does not load as it is; fix it first (nothing was written).\n${e.message}`, { cause: e });
  }
  const { result, out } = await reconcileSecrets(tree, { generator: G, envName, env, key, purpose: `bringing environments/${envName}/secrets/ in line` }, deps);
  for (const [path, text] of out) tree.write(path, text);
  const log = logOf(deps);
  for (const line of formatReconcileReport(result)) log(line);
  for (const w of result.secrets.warnings) warnOf(deps)(w);
  return result;
}

export function nextSteps(r: SyncSecretsResult): string {
  const env = r.environment;
  const fill = [...r.secrets.placeholders, ...(r.pendingPlaceholders ?? [])];
  const changed = r.files.length > 0;
  return formatNextSteps([
    fillPlaceholdersStep(fill),
    r.orphans.length
      ? `Review the ${r.orphans.length} orphan file(s) listed above; remove those no longer needed with git rm (sync-secrets never deletes).`
      : undefined,
    changed || fill.length ? `Render:    npx nx run ${env}:render` : undefined,
    `Validate:  npx nx run ${env}:validate   (and npx nx run ${env}:drift)`,
    changed ? `Commit environments/${env}/ and clusters/${env}/ together and open a pull request.` : undefined,
  ]);
}

export default async function syncSecretsGenerator(tree: Tree, schema: SyncSecretsSchema): Promise<GeneratorCallback> {
  const result = await syncSecrets(tree, schema);
  return () => logOf({})(nextSteps(result));
}
