import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import YAML from 'yaml';
import { ConfigErrors, readEnvironmentFiles, resolveEnvironment, type EnvironmentConfig } from '@ck8s/config';
import { CATALOG, configExtensions, type Component } from '@ck8s/components';
import { renderEnvironment, type FileMap, type SecretFile } from './layout';

const WRITE_CONCURRENCY = 32;

/** Runs `run` over `items`, several at a time; on a failure starts nothing new, waits for what runs, then throws. */
async function inParallel<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = await Promise.allSettled(
    Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, async () => {
      while (!failed && next < items.length) {
        try {
          await run(items[next++]);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    }),
  );
  const rejected = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** Environments are the folders of environments/ that hold a config.yaml. */
export function listEnvironments(root: string): string[] {
  const dir = join(root, 'environments');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((e) => !e.startsWith('.') && statSync(join(dir, e)).isDirectory() && existsSync(join(dir, e, 'config.yaml')))
    .sort();
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) out.push(...walk(full, base));
    else out.push(relative(base, full).split('\\').join('/'));
  }
  return out;
}

/** One SOPS file of secrets/ (`relPath` relative to it): SOPS keeps metadata readable, so name/namespace are known without decrypting. */
export function secretFile(relPath: string, text: string): SecretFile {
  let meta: { name?: string; namespace?: string } = {};
  try {
    meta = (YAML.parse(text)?.metadata ?? {}) as typeof meta;
  } catch {
    // An unparsable file is reported by validate's secret checks; rendering just skips it.
  }
  return { relPath, text, name: meta.name, namespace: meta.namespace };
}

export function readSecretFiles(envDir: string): SecretFile[] {
  const dir = join(envDir, 'secrets');
  return walk(dir)
    .filter((f) => f.endsWith('.sops.yaml'))
    .map((relPath) => secretFile(relPath, readFileSync(join(dir, relPath), 'utf8')));
}

export function loadEnvironment(root: string, name: string, catalog: readonly Component[] = CATALOG): EnvironmentConfig {
  const dir = join(root, 'environments', name);
  if (!existsSync(join(dir, 'config.yaml'))) {
    throw new ConfigErrors([
      {
        file: `environments/${name}/config.yaml`,
        line: 1,
        column: 1,
        keyPath: '',
        message: `no environment "${name}" (known: ${listEnvironments(root).join(', ') || 'none'})`,
      },
    ]);
  }
  const result = resolveEnvironment(name, readEnvironmentFiles(dir), configExtensions(catalog));
  if (!result.environment) throw new ConfigErrors(result.errors);
  return result.environment;
}

/** Loads and renders one environment from the workspace; throws ConfigErrors on bad input. */
export function renderFromWorkspace(root: string, name: string, catalog: readonly Component[] = CATALOG): FileMap {
  const env = loadEnvironment(root, name, catalog);
  return renderEnvironment({ env, secrets: readSecretFiles(join(root, 'environments', name)) }, catalog);
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `.<env>.tmp-<pid>` and `.<env>.old-<pid>` folders left behind by a render that was killed. */
function removeStaleWork(clusters: string, name: string): void {
  if (!existsSync(clusters)) return;
  for (const entry of readdirSync(clusters)) {
    const m = /^\.(.+)\.(?:tmp|old)-(\d+)$/.exec(entry);
    if (m && m[1] === name && !processRuns(Number(m[2]))) rmSync(join(clusters, entry), { recursive: true, force: true });
  }
}

/** True when `dir` holds exactly `files` (same paths, same bytes): a render that changes nothing writes nothing. */
function holdsExactly(dir: string, prefix: string, files: FileMap): boolean {
  const onDisk = walk(dir);
  if (onDisk.length !== files.size) return false;
  return onDisk.every((f) => files.get(prefix + f) === readFileSync(join(dir, f), 'utf8'));
}

/**
 * Replaces clusters/<env>/ with exactly `files`: written to a sibling temporary folder first, then
 * swapped in with renames, so files of removed clusters or components disappear, and a run that
 * fails leaves clusters/<env>/ as it was and no temporary folder behind. When the folder already holds
 * exactly `files`, nothing is written (its files keep their timestamps) and the result says `unchanged`.
 */
export async function writeEnvironment(root: string, name: string, files: FileMap): Promise<'written' | 'unchanged'> {
  const clusters = join(root, 'clusters');
  const target = join(clusters, name);
  const tmp = join(clusters, `.${name}.tmp-${process.pid}`);
  const old = join(clusters, `.${name}.old-${process.pid}`);
  const prefix = `clusters/${name}/`;
  if (holdsExactly(target, prefix, files)) return 'unchanged';
  const dirs = new Set<string>([tmp]);
  const writes: [string, string][] = [];
  for (const [path, content] of files) {
    if (!path.startsWith(prefix)) throw new Error(`refusing to write ${path} outside ${prefix}`);
    const full = join(tmp, path.slice(prefix.length));
    dirs.add(dirname(full));
    writes.push([full, content]);
  }
  removeStaleWork(clusters, name);
  rmSync(tmp, { recursive: true, force: true });
  try {
    // Small-file creation is latency-bound on virtual disks: keep several operations in flight.
    await inParallel([...dirs], (dir) => mkdir(dir, { recursive: true }));
    await inParallel(writes, ([full, content]) => writeFile(full, content));
    const hadTarget = existsSync(target);
    if (hadTarget) renameSync(target, old);
    try {
      renameSync(tmp, target);
    } catch (e) {
      if (hadTarget) renameSync(old, target);
      throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return 'written';
}

/** Removes rendered environments whose config folder no longer exists. Returns their names. */
export function pruneOrphanEnvironments(root: string): string[] {
  const dir = join(root, 'clusters');
  if (!existsSync(dir)) return [];
  const known = new Set(listEnvironments(root));
  const orphans = readdirSync(dir).filter((e) => !e.startsWith('.') && statSync(join(dir, e)).isDirectory() && !known.has(e));
  for (const o of orphans) rmSync(join(dir, o), { recursive: true, force: true });
  return orphans;
}

/** The committed files of clusters/<env>/, keyed like a FileMap. */
export function readRenderedEnvironment(root: string, name: string): FileMap {
  const dir = join(root, 'clusters', name);
  return new Map(walk(dir).map((f) => [`clusters/${name}/${f}`, readFileSync(join(dir, f), 'utf8')]));
}
