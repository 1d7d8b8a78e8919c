import { readFileSync } from 'node:fs';
import { validateEnvironment } from '@ck8s/checks';
import { listEnvironments, renderFromWorkspace, writeEnvironment } from '@ck8s/render';

export interface WorkerResult {
  envs: number;
  files: number;
  ms: number;
  renderMs: number;
  peakMiB: number | null;
}

/**
 * One measured scenario in a fresh process, so peak memory (VmHWM) belongs to it alone.
 *   worker.ts <root> write [env]     render (and write) every environment, or one
 *   worker.ts <root> render [env]    render only
 *   worker.ts <root> validate <env>  validate one environment's committed output
 */
async function main() {
  const [root, mode, only] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const envs = only ? [only] : listEnvironments(root);
  let files = 0;
  let renderNs = 0n;
  for (const env of envs) {
    if (mode === 'validate') {
      const report = await validateEnvironment(root, env);
      if (!report.ok) throw new Error(`${env} does not validate: ${report.findings.map((f) => f.message).join('; ')}`);
      files += report.clusters.reduce((n, c) => n + c.documents, 0);
      continue;
    }
    const t = process.hrtime.bigint();
    const out = renderFromWorkspace(root, env);
    renderNs += process.hrtime.bigint() - t;
    files += out.size;
    if (mode === 'write') await writeEnvironment(root, env, out);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const renderMs = Number(renderNs) / 1e6;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const result: WorkerResult = { envs: envs.length, files, ms, renderMs, peakMiB: hwm ? Number(hwm) / 1024 : null };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
