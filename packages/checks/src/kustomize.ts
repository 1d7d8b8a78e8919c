import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { missingToolMessage, toolsRequired, type Kustomizer } from '@ck8s/toolchain';
import type { Finding } from './finding';

/**
 * What validate reports when no kustomize exists: an error with CI=true (CI must never pass without
 * building), a warning for a user without the tools (the raw files are schema-checked instead).
 */
export function missingKustomizeFinding(env: NodeJS.ProcessEnv = process.env): Finding {
  const message = `${missingToolMessage('kustomize', 'kustomize builds of every Flux path')}; kubectl is not on PATH either`;
  return toolsRequired(env)
    ? { check: 'kustomize', severity: 'error', message: `${message} (required with CI=true)` }
    : { check: 'kustomize', severity: 'warning', message: `${message}: builds were skipped and the raw files were schema-checked instead` };
}

export interface BuildResult {
  path: string;
  output?: string;
  finding?: Finding;
}

function buildOne(k: Kustomizer, root: string, path: string, cluster: string): Promise<BuildResult> {
  return new Promise((resolve) => {
    execFile(k.command, k.args(join(root, path)), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ path, output: stdout });
      const reason = (String(stderr) || err.message).trim().split('\n')[0];
      resolve({ path, finding: { check: 'kustomize', severity: 'error', cluster, file: `${path}/kustomization.yaml`, message: `${k.label} failed: ${reason}` } });
    });
  });
}

/**
 * Builds every path, up to one process per core at a time (each build is a separate process, so this is
 * where validate's wall time goes). Results come back in the order of `paths`.
 */
export async function kustomizeBuildAll(k: Kustomizer, root: string, paths: string[], cluster: string, concurrency = availableParallelism()): Promise<BuildResult[]> {
  const results: BuildResult[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      results[i] = await buildOne(k, root, paths[i], cluster);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, worker));
  return results;
}
