import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFleet } from './fleet';
import type { WorkerResult } from './worker';

/**
 * Fleet benchmark: FLEET_SIZE (default 100) environments × 3 clusters in a temporary workspace. Prints wall
 * time and peak memory of the in-process render, the same through Nx (cold, and `nx affected` after one
 * environment changed), and validate against render of example-prod, each with its ratio to the
 * in-process figure of the same run and the goal it is held to.
 *
 *   --quick   small fleet, no disk baseline and no one-process-per-task run: the test command runs this so
 *             the benchmark breaks loudly when the config or the render API changes under it
 *   --no-nx   in-process figures only
 */
const repo = resolve(__dirname, '..', '..');
const quick = process.argv.includes('--quick');
const skipNx = process.argv.includes('--no-nx');
const count = Number(process.env.FLEET_SIZE ?? (quick ? 4 : 100));
// The fleet lives next to the checkout (tmp/ is git-ignored) unless BENCH_DIR says otherwise: on these
// machines the system temp folder is several times slower for many small files than the work disk,
// and users render inside their checkout.
const parent = process.env.BENCH_DIR ?? join(repo, 'tmp');
mkdirSync(parent, { recursive: true });
const ws = mkdtempSync(join(parent, 'fleet-'));
const tsx = join(repo, 'node_modules/.bin/tsx');

function worker(root: string, ...args: string[]): WorkerResult {
  const r = spawnSync(tsx, [join(__dirname, 'worker.ts'), root, ...args], { encoding: 'utf8', cwd: repo });
  if (r.status !== 0) throw new Error(`bench worker ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as WorkerResult;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = Date.now();
  const r = spawnSync(cmd, args, { cwd: ws, encoding: 'utf8', env: { ...process.env, NX_TUI: 'false', ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return (Date.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmt = (r: WorkerResult) =>
  `${seconds(r.ms)} (render ${seconds(r.renderMs)}, write ${seconds(r.ms - r.renderMs)}), ` +
  `peak RSS ${r.peakMiB?.toFixed(0) ?? '?'} MiB (${r.envs} environments, ${r.files} files)`;
const goals: string[] = [];
function ratio(label: string, value: number, base: number, goal: number): void {
  const x = value / base;
  const verdict = x <= goal ? 'goal met' : 'GOAL MISSED';
  console.log(`  ratio ${label}: ${x.toFixed(2)}× (goal ≤ ${goal}×, ${verdict})`);
  goals.push(`${label}: ${verdict}`);
}
function limit(label: string, value: number, goal: number): void {
  const verdict = value <= goal ? 'goal met' : 'GOAL MISSED';
  console.log(`  ${label}: ${value.toFixed(2)} s (goal ≤ ${goal} s, ${verdict})`);
  goals.push(`${label}: ${verdict}`);
}

try {
  writeFleet(ws, count);
  console.log(`fleet: ${count} environments × 3 clusters in ${ws}${quick ? ' (quick run)' : ''}`);
  const cold = worker(ws, 'write');
  console.log(`in-process cold render + write : ${fmt(cold)}`);
  if (!quick) {
    // The same number of files written with nothing else going on: what this disk costs by itself.
    const baseline = join(ws, 'disk-baseline');
    const started = Date.now();
    for (let i = 0; i < cold.files; i++) {
      if (i % 100 === 0) mkdirSync(join(baseline, String(i / 100)), { recursive: true });
      writeFileSync(join(baseline, String(Math.floor(i / 100)), `${i}.yaml`), 'key: value\n'.repeat(60));
    }
    console.log(`disk baseline: ${cold.files} plain writeFileSync calls : ${seconds(Date.now() - started)}`);
    rmSync(baseline, { recursive: true, force: true });
  }
  const changed = `fleet-${String(Math.floor(count / 2)).padStart(3, '0')}`;
  const cfg = join(ws, 'environments', changed, 'config.yaml');
  appendFileSync(cfg, 'components:\n  ingress:\n    replicas: 3\n');
  const one = worker(ws, 'write', changed);
  console.log(`in-process re-render of the changed environment : ${fmt(one)}`);

  // The pull-request loop on the shipped example: validate (kustomize builds + schemas + graph) of the
  // committed output against rendering it.
  const render = worker(repo, 'render', 'example-prod');
  const validate = worker(repo, 'validate', 'example-prod');
  console.log(`example-prod: in-process render ${seconds(render.ms)}, validate ${seconds(validate.ms)} (${validate.files} documents)`);
  ratio('validate / render of example-prod', validate.ms, render.ms, 1.5);

  if (!skipNx) {
    // The user path: an Nx workspace over the same fleet, sharing this checkout's packages.
    // Nx does not follow symlinked project folders: copy the (small) sources, link the dependencies.
    for (const entry of ['packages', 'tools']) cpSync(join(repo, entry), join(ws, entry), { recursive: true, filter: (src) => !src.includes('node_modules') });
    for (const entry of ['node_modules', 'tsconfig.settings.json', 'tsconfig.workspace.json', 'package.json', 'package-lock.json'])
      symlinkSync(join(repo, entry), join(ws, entry));
    for (const file of ['nx.json', '.env']) writeFileSync(join(ws, file), readFileSync(join(repo, file), 'utf8'));
    writeFileSync(join(ws, '.gitignore'), 'node_modules\n.nx\n');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: ws });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fleet');
    const nx = join(repo, 'node_modules/.bin/nx');
    const batch = { NX_BATCH_MODE: 'true', NX_DAEMON: 'false' };
    // Cold like the in-process figure: nothing rendered yet (replacing 38,000 existing files costs more than
    // writing them into an empty folder, whichever way the render is started).
    rmSync(join(ws, 'clusters'), { recursive: true, force: true });
    const nxCold = timed(nx, ['run-many', '-t', 'render', '--skip-nx-cache'], batch);
    console.log(`nx run-many -t render, batch mode (npm run render), cold, no cache : ${nxCold.toFixed(2)} s`);
    ratio('Nx cold / in-process cold render', nxCold * 1000, cold.ms, 2);
    if (!quick) {
      const forked = timed(nx, ['run-many', '-t', 'render', '--skip-nx-cache'], { NX_BATCH_MODE: 'false', NX_DAEMON: 'false' });
      console.log(`nx run-many -t render, one process per task, cold, no cache : ${forked.toFixed(2)} s`);
    }
    git('add', '-A');
    git('commit', '-qm', 'rendered');
    timed(nx, ['run-many', '-t', 'render'], batch);
    // What a contributor runs after editing one environment: only the affected project renders. A single
    // run of ~2 s varies by ±0.2 s on this kind of machine, so the full run reports the median of five edits.
    const samples = quick ? 1 : 5;
    const affectedAfterEdits = (env: NodeJS.ProcessEnv): number[] =>
      Array.from({ length: samples }, (_, i) => {
        appendFileSync(cfg, `# edit ${i}\n`);
        return timed(nx, ['affected', '-t', 'render', '--base=HEAD'], env);
      });
    const spread = (runs: number[]) =>
      runs.length > 1 ? ` (median of ${runs.length}, ${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)} s)` : '';
    const noDaemon = affectedAfterEdits(batch);
    console.log(`nx affected -t render after one environment changed, no daemon : ${median(noDaemon).toFixed(2)} s${spread(noDaemon)}`);
    if (!quick) {
      // With the Nx daemon (the default on a workstation) the project graph is kept between commands.
      timed(nx, ['daemon', '--start'], { NX_DAEMON: 'true' });
      try {
        timed(nx, ['show', 'projects'], { NX_DAEMON: 'true' });
        const daemon = affectedAfterEdits({ ...batch, NX_DAEMON: 'true' });
        limit(`nx affected -t render after one environment changed (daemon${spread(daemon)})`, median(daemon), 2);
      } finally {
        timed(nx, ['daemon', '--stop'], { NX_DAEMON: 'true' });
      }
    }
  }
  // At 4 environments Nx's fixed start-up outweighs the rendering, so only the full run judges the Nx goals.
  console.log(`goals${quick ? ' (quick run: indicative only, judged on the full run)' : ''}: ${goals.join('; ')}`);
} finally {
  rmSync(ws, { recursive: true, force: true });
}
