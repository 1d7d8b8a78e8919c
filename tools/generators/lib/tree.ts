import type { Tree } from '@nx/devkit';
import { formatConfigErrors, resolveEnvironment, type EnvironmentConfig } from '@ck8s/config';
import { CATALOG, configExtensions, type Component } from '@ck8s/components';
import { secretFileFor } from '@ck8s/render';
import { inspectSopsFile } from '@ck8s/secrets';
import { checkDnsLabel } from './options';

/** Paths inside the workspace, always with forward slashes (what the Nx Tree uses). */
export const envDir = (name: string) => `environments/${name}`;
export const secretsDir = (name: string) => `environments/${name}/secrets`;
export const clustersDir = (name: string) => `clusters/${name}`;

/** Every file below `dir` in the tree (relative to `dir`, sorted). */
export function walkTree(tree: Tree, dir: string): string[] {
  if (!tree.exists(dir)) return [];
  const out: string[] = [];
  for (const child of tree.children(dir).sort()) {
    const full = `${dir}/${child}`;
    if (tree.isFile(full)) out.push(child);
    else for (const f of walkTree(tree, full)) out.push(`${child}/${f}`);
  }
  return out;
}

/**
 * The top-level YAML files of environments/<name>/ as the config loader reads them from disk
 * (config.yaml and <cluster>.yaml; dot files such as .sops.yaml and the secrets/ folder are not config).
 */
export function readEnvironmentFilesFromTree(tree: Tree, name: string): Record<string, string> {
  const dir = envDir(name);
  const files: Record<string, string> = {};
  if (!tree.exists(dir)) return files;
  for (const entry of tree.children(dir).sort()) {
    const full = `${dir}/${entry}`;
    if (/\.ya?ml$/.test(entry) && !entry.startsWith('.') && tree.isFile(full)) files[entry] = tree.read(full, 'utf-8') ?? '';
  }
  return files;
}

/** The config loader rejected the files (every error in the message); other exceptions are bugs and pass through. */
export class EnvironmentLoadError extends Error {
  override name = 'EnvironmentLoadError';
}

/** Loads an environment from in-memory files through the real loader; throws EnvironmentLoadError with every config error. */
export function loadEnvironmentFiles(name: string, files: Record<string, string>, catalog: readonly Component[] = CATALOG): EnvironmentConfig {
  const result = resolveEnvironment(name, files, configExtensions(catalog));
  if (!result.environment) throw new EnvironmentLoadError(`environments/${name}: ${formatConfigErrors(result.errors)}`);
  return result.environment;
}

/** `--<option>` names an existing environment (a DNS label with environments/<name>/config.yaml); the problems otherwise. */
export function checkExistingEnvironment(tree: Tree, option: string, name: unknown): string[] {
  const problems = checkDnsLabel(option, name, 'environment name');
  if (!problems.length && !tree.exists(`${envDir(name as string)}/config.yaml`)) {
    problems.push(
      `--${option}: no environment "${name}" (environments/${name}/config.yaml does not exist); create one with \`npx nx g @ck8s/tools:new-environment\``,
    );
  }
  return problems;
}

/** An existing SOPS file under environments/<env>/secrets/, with the metadata sops leaves readable. */
export interface ExistingSecretFile {
  /** Relative to environments/<env>/secrets/ (a `<cluster>/` prefix scopes it to that cluster). */
  relPath: string;
  /** Cluster the file is scoped to, undefined for a top-level (every-cluster) file. */
  cluster?: string;
  name?: string;
  namespace?: string;
  keys: string[];
  text: string;
}

export function readExistingSecrets(tree: Tree, env: string): ExistingSecretFile[] {
  const dir = secretsDir(env);
  return walkTree(tree, dir)
    .filter((f) => f.endsWith('.sops.yaml'))
    .map((relPath) => {
      const text = tree.read(`${dir}/${relPath}`, 'utf-8') ?? '';
      const inspection = inspectSopsFile(text, `${dir}/${relPath}`);
      const parts = relPath.split('/');
      return { relPath, cluster: parts.length > 1 ? parts[0] : undefined, name: inspection.name, namespace: inspection.namespace, keys: inspection.keys, text };
    });
}

/** The file a cluster uses for a Secret, by the renderer's own rule (packages/render `secretFileFor`). */
export function locateSecret(
  files: ExistingSecretFile[],
  cluster: string,
  namespace: string,
  name: string,
  clusterScoped = false,
): ExistingSecretFile | undefined {
  return secretFileFor(files, cluster, name, namespace, clusterScoped);
}
