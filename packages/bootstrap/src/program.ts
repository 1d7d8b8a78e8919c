import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { bootstrapCluster, DEFAULT_CHART_VERSION, DEFAULT_FLUX_VERSION, type BootstrapResult, type FluxInstall, type GitCredentials } from './bootstrap';
import { BootstrapError } from './gotk-sync';

/** Config namespace of the entry program: `pulumi config set ck8s:<key> …`. */
export const CONFIG_NAMESPACE = 'ck8s';

/** Nearest directory at or above `from` that holds nx.json (the monorepo root). */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new BootstrapError(`No nx.json found at or above ${from}; set ck8s:workspaceRoot.`);
    dir = parent;
  }
}

/**
 * The `pulumi up` entry point: reads the stack's `ck8s:*` config and bootstraps that one cluster.
 *
 * Required: environment, cluster, ageKey (secret), and either gitIdentity (secret) + gitKnownHosts for
 * ssh:// repositories or gitUsername + gitPassword (secret) for https:// ones.
 * Optional: fluxVersion, installMode (helm|manifests), chartVersion, manifestsFile, kubeContext, workspaceRoot.
 */
export function bootstrapFromConfig(cwd = process.cwd()): BootstrapResult {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const environment = config.require('environment');
  const cluster = config.require('cluster');
  const workspaceRoot = config.get('workspaceRoot') ?? findWorkspaceRoot(cwd);

  const mode = config.get('installMode') ?? 'helm';
  let install: FluxInstall;
  if (mode === 'helm') install = { mode, chartVersion: config.get('chartVersion') ?? DEFAULT_CHART_VERSION };
  else if (mode === 'manifests') install = { mode, file: config.require('manifestsFile') };
  else throw new BootstrapError(`ck8s:installMode must be helm or manifests, got ${JSON.stringify(mode)}.`);

  let gitCredentials: GitCredentials;
  if (config.get('gitUsername') !== undefined) {
    gitCredentials = { username: config.require('gitUsername'), password: config.requireSecret('gitPassword') };
  } else {
    gitCredentials = { identity: config.requireSecret('gitIdentity'), knownHosts: config.require('gitKnownHosts') };
  }

  const kubeContext = config.get('kubeContext');
  // Pinning the context keeps a stale current-context from bootstrapping the wrong cluster.
  const provider = kubeContext ? new k8s.Provider(`${environment}-${cluster}`, { context: kubeContext }) : undefined;

  return bootstrapCluster({
    environment,
    cluster,
    workspaceRoot,
    fluxVersion: config.get('fluxVersion') ?? DEFAULT_FLUX_VERSION,
    install,
    gitCredentials,
    ageKey: config.requireSecret('ageKey'),
    provider,
  });
}
