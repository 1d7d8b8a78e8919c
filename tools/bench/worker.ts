import { readFileSync } from 'node:fs';
import { listEnvironments, renderFromWorkspace, writeEnvironment } from '@ck8s/render';

/** One measured scenario in a fresh process, so peak memory (VmHWM) belongs to it alone. */
async function main() {
  const [root, mode, only] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const envs = only ? [only] : listEnvironments(root);
  let files = 0;
  let renderNs = 0n;
  for (const env of envs) {
    const t = process.hrtime.bigint();
    const out = renderFromWorkspace(root, env);
    renderNs += process.hrtime.bigint() - t;
    files += out.size;
    if (mode === 'write') await writeEnvironment(root, env, out);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const renderMs = Number(renderNs) / 1e6;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  process.stdout.write(JSON.stringify({ envs: envs.length, files, ms, renderMs, peakMiB: hwm ? Number(hwm) / 1024 : null }) + '\n');
}

void main();
