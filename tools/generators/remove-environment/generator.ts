import type { GeneratorCallback, Tree } from '@nx/devkit';
import { checkDnsLabel, OptionErrors } from '../lib/options';
import { formatNextSteps, logOf, type GeneratorDeps } from '../lib/secret-files';
import { clustersDir, envDir, walkTree } from '../lib/tree';
import type { RemoveEnvironmentSchema } from './schema';

export interface RemoveEnvironmentResult {
  name: string;
  /** Workspace-relative paths of every deleted file. */
  deleted: string[];
}

function existingEnvironments(tree: Tree): string[] {
  return tree.exists('environments')
    ? tree
        .children('environments')
        .filter((e) => !e.startsWith('.') && !tree.isFile(`environments/${e}`))
        .sort()
    : [];
}

export function removeEnvironment(tree: Tree, schema: RemoveEnvironmentSchema, deps: GeneratorDeps = {}): RemoveEnvironmentResult {
  const name = typeof schema.name === 'string' ? schema.name.trim() : schema.name;
  // A DNS label can never be a path, so nothing outside environments/<name>/ and clusters/<name>/ is touched.
  const problems = checkDnsLabel('name', name, 'environment name');
  if (!problems.length && !tree.exists(envDir(name))) {
    const known = existingEnvironments(tree);
    problems.push(`--name: no environment "${name}" (environments/${name}/ does not exist; known: ${known.join(', ') || 'none'})`);
  }
  if (problems.length) throw new OptionErrors('remove-environment', problems);

  const deleted: string[] = [];
  for (const dir of [envDir(name), clustersDir(name)]) {
    // File by file, so `--dry-run` lists every file it would delete; emptied folders go with them.
    const files = walkTree(tree, dir).map((f) => `${dir}/${f}`);
    for (const f of files) tree.delete(f);
    if (tree.exists(dir)) tree.delete(dir);
    deleted.push(...files);
  }
  const log = logOf(deps);
  log(`Removing environment ${name}: ${deleted.length} files under environments/${name}/ and clusters/${name}/.`);
  return { name, deleted };
}

export function nextSteps(name: string): string {
  return formatNextSteps([
    `Make sure the clusters of ${name} are decommissioned (or Flux is uninstalled there): after this is merged their Flux\n` +
      `     cannot find clusters/${name}/<cluster>/ any more, stops reconciling and reports errors; it deletes nothing that runs.`,
    'Check the rest still renders and validates: npx nx run-many -t render validate drift',
    `Commit the deletion of environments/${name}/ and clusters/${name}/ and open a pull request.`,
    'Revoke what only this environment used: its age key (sops-age Secret), Git deploy key, DNS records, buckets.',
  ]);
}

export default async function removeEnvironmentGenerator(tree: Tree, schema: RemoveEnvironmentSchema): Promise<GeneratorCallback> {
  const result = removeEnvironment(tree, schema);
  return () => logOf({})(nextSteps(result.name));
}
