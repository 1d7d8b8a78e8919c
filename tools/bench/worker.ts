import { readFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { listEnvironments, renderFromWorkspace, writeEnvironment } from '@ck8s/render';

/** One measured scenario in a fresh process, so peak memory (VmHWM) belongs to it alone. */
const [root, mode, only] = process.argv.slice(2);
const start = process.hrtime.bigint();
const envs = only ? [only] : listEnvironments(root);
let files = 0;
for (const env of envs) {
  const out = renderFromWorkspace(root, env);
  files += out.size;
  if (mode === 'write') writeEnvironment(root, env, out);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
process.stdout.write(JSON.stringify({ envs: envs.length, files, ms, peakMiB: hwm ? Number(hwm) / 1024 : null }) + '\n');
if (process.env.BENCH_APPEND) appendFileSync(join(root, 'bench.log'), `${mode} ${ms}\n`);
