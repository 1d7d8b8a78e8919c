#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { driftCommand, renderCommand } from './commands';
import { listEnvironments, pruneOrphanEnvironments } from './workspace';

const HELP = `Usage: ck8s-render <render|drift> [--env NAME ...] [--all] [--root DIR]

  render   Render environments/<env>/ into clusters/<env>/ (atomic: on any config error nothing is written).
           Rendering every environment also removes clusters/<env>/ folders whose environment no longer exists.
  drift    Render in memory and compare with the committed clusters/<env>/; prints a unified diff
           and exits 1 on any changed, missing or orphan file.

  --env NAME   environment to process (repeatable)
  --all        every environment under environments/ (the default without --env)
  --root DIR   workspace root (default: current directory)
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { env: { type: 'string', multiple: true }, all: { type: 'boolean' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help || !command || !['render', 'drift'].includes(command)) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const root = resolve(values.root ?? process.cwd());
  const all = values.all || !values.env?.length;
  const envs = all ? listEnvironments(root) : (values.env as string[]);
  let failed = false;
  for (const env of envs) {
    const result = command === 'render' ? await renderCommand(root, env) : driftCommand(root, env);
    (result.ok ? process.stdout : process.stderr).write(result.output);
    failed ||= !result.ok;
  }
  if (command === 'render' && all && !failed) {
    for (const orphan of pruneOrphanEnvironments(root)) process.stdout.write(`removed clusters/${orphan}/ (no environments/${orphan}/)\n`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
