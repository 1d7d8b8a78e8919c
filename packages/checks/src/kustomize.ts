import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Finding } from './finding';

let kubectlPresent: boolean | undefined;

/** The real kustomize (through kubectl) is used where it exists; its absence is a warning, not a pass. */
export function hasKubectl(): boolean {
  kubectlPresent ??= spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  return kubectlPresent;
}

export interface BuildResult {
  path: string;
  output?: string;
  finding?: Finding;
}

export function kustomizeBuild(root: string, path: string, cluster: string): BuildResult {
  const r = spawnSync('kubectl', ['kustomize', join(root, path)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status === 0) return { path, output: r.stdout };
  return { path, finding: { check: 'kustomize', severity: 'error', cluster, file: `${path}/kustomization.yaml`, message: `kubectl kustomize failed: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}` } };
}
