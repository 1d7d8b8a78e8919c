import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

/**
 * What Flux applies for every committed environment: each cluster root and each Flux Kustomization's
 * spec.path under clusters/<env>/<cluster>/flux/, built with kustomize. This mirrors the checks
 * package's validate (which depends on this package, so it cannot be imported from here).
 */

/** clusters/<env>/<cluster> folders that hold a flux/ folder, sorted (dot folders are interrupted renders, not environments). */
export function clusterRoots(repo: string): string[] {
  const base = join(repo, 'clusters');
  if (!existsSync(base)) return [];
  const roots: string[] = [];
  const folders = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  for (const env of folders(base)) {
    for (const cluster of folders(join(base, env.name))) {
      if (existsSync(join(base, env.name, cluster.name, 'flux'))) roots.push(`clusters/${env.name}/${cluster.name}`);
    }
  }
  return roots.sort();
}

/** The cluster root plus the spec.path of every kustomize.toolkit.fluxcd.io Kustomization in its flux/ folder. */
export function fluxPaths(repo: string, root: string): string[] {
  const paths = [root];
  const dir = join(repo, root, 'flux');
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(dir, name), 'utf8'))) {
      const o = doc.toJS() as { kind?: string; apiVersion?: string; spec?: { path?: string } } | null;
      if (o?.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/') && o.spec?.path) {
        paths.push(o.spec.path.replace(/^\.\//, ''));
      }
    }
  }
  return [...new Set(paths)].sort();
}

/** Every kustomization.yaml under a cluster root (validate checks those files too). */
export function kustomizationFiles(repo: string, root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(repo, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.name === 'kustomization.yaml') out.push(child);
    }
  };
  walk(root);
  return out.sort();
}

export interface Build {
  path: string;
  output: string;
}

function buildOne(kustomize: string, repo: string, path: string): Promise<Build> {
  return new Promise((resolve, reject) => {
    execFile(kustomize, ['build', join(repo, path)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kustomize build ${path} failed: ${(stderr || err.message).trim()}`));
      else resolve({ path, output: stdout });
    });
  });
}

/** Builds every path, `concurrency` processes at a time; results in the order of `paths`. */
export async function buildAll(kustomize: string, repo: string, paths: string[], concurrency: number): Promise<Build[]> {
  const results: Build[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      results[i] = await buildOne(kustomize, repo, paths[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, worker));
  return results;
}
