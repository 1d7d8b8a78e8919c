import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFleet } from './fleet';

/**
 * Fleet benchmark: 100 environments × 3 clusters in a temporary workspace. Prints wall time and
 * peak memory for (1) a cold render of the whole fleet in one process, (2) a re-render after one
 * environment changed, and (3) the path users run: `nx run-many -t render`, cold and after a change
 * (served from Nx's cache except the changed environment).
 */
const repo = resolve(__dirname, '..', '..');
const count = Number(process.env.FLEET_SIZE ?? 100);
const skipNx = process.argv.includes('--no-nx');
// The fleet lives next to the checkout (tmp/ is git-ignored) unless BENCH_DIR says otherwise: on these
// machines the system temp folder is several times slower for many small files than the work disk,
// and users render inside their checkout.
const parent = process.env.BENCH_DIR ?? join(repo, 'tmp');
mkdirSync(parent, { recursive: true });
const ws = mkdtempSync(join(parent, 'fleet-'));
const tsx = join(repo, 'node_modules/.bin/tsx');

function worker(...args: string[]) {
  const r = spawnSync(tsx, [join(__dirname, 'worker.ts'), ws, ...args], { encoding: 'utf8', cwd: repo });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { envs: number; files: number; ms: number; renderMs: number; peakMiB: number };
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const start = Date.now();
  const r = spawnSync(cmd, args, { cwd: ws, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return (Date.now() - start) / 1000;
}

try {
  writeFleet(ws, count);
  const fmt = (r: { envs: number; files: number; ms: number; renderMs: number; peakMiB: number }) =>
    `${(r.ms / 1000).toFixed(2)} s (render ${(r.renderMs / 1000).toFixed(2)} s, write ${((r.ms - r.renderMs) / 1000).toFixed(2)} s), peak RSS ${r.peakMiB.toFixed(0)} MiB (${r.envs} environments, ${r.files} files)`;
  console.log(`fleet: ${count} environments × 3 clusters in ${ws}`);
  console.log(`in-process cold render + write : ${fmt(worker('write'))}`);
  // The same number of files written with nothing else going on: what this disk costs by itself.
  const baseline = join(ws, 'disk-baseline');
  const started = Date.now();
  for (let i = 0; i < 36_700; i++) {
    if (i % 100 === 0) mkdirSync(join(baseline, String(i / 100)), { recursive: true });
    writeFileSync(join(baseline, String(Math.floor(i / 100)), `${i}.yaml`), 'key: value\n'.repeat(60));
  }
  console.log(`disk baseline: 36,700 plain writeFileSync calls : ${((Date.now() - started) / 1000).toFixed(2)} s`);
  rmSync(baseline, { recursive: true, force: true });
  const changed = 'fleet-042';
  const cfg = join(ws, 'environments', changed, 'config.yaml');
  appendFileSync(cfg, 'components:\n  ingress:\n    replicas: 3\n');
  console.log(`in-process re-render of the changed environment : ${fmt(worker('write', changed))}`);

  if (!skipNx) {
    // The user path: an Nx workspace over the same fleet, sharing this checkout's packages.
    // Nx does not follow symlinked project folders: copy the (small) sources, link the dependencies.
    for (const entry of ['packages', 'tools']) cpSync(join(repo, entry), join(ws, entry), { recursive: true, filter: (src) => !src.includes('node_modules') });
    for (const entry of ['node_modules', 'tsconfig.base.json', 'tsconfig.json', 'package.json', 'package-lock.json']) symlinkSync(join(repo, entry), join(ws, entry));
    writeFileSync(join(ws, 'nx.json'), readFileSync(join(repo, 'nx.json'), 'utf8'));
    spawnSync('git', ['init', '-q'], { cwd: ws });
    const nx = join(repo, 'node_modules/.bin/nx');
    const batch = { NX_BATCH_MODE: 'true' };
    const cold = timed(nx, ['run-many', '-t', 'render', '--skip-nx-cache'], batch);
    console.log(`nx run-many -t render, batch mode (npm run render), cold, no cache : ${cold.toFixed(2)} s`);
    const forked = timed(nx, ['run-many', '-t', 'render', '--skip-nx-cache'], { NX_BATCH_MODE: 'false' });
    console.log(`nx run-many -t render, one process per task, cold, no cache : ${forked.toFixed(2)} s`);
    timed(nx, ['run-many', '-t', 'render'], batch);
    appendFileSync(cfg, '# touched\n');
    const warm = timed(nx, ['run-many', '-t', 'render'], batch);
    console.log(`nx run-many -t render after one environment changed (${count - 1} cache hits) : ${warm.toFixed(2)} s`);
  }
} finally {
  rmSync(ws, { recursive: true, force: true });
}
