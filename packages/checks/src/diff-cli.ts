#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { listEnvironments, readRenderedEnvironment } from '@ck8s/render';
import { diffMarkdown, diffRendered, treeAtRef } from './diff';
import type { Tree } from './tree';

const HELP = `Usage: ck8s-diff --base REF [--head REF] [--env NAME ...] [--root DIR]

Object-level diff of the rendered output between two git refs, as Markdown for a pull request:
a summary per environment / cluster / component, then every added, removed or changed object
(changed ones with a YAML diff). Without --head, the working tree is compared with --base.

  --base REF   the ref the pull request merges into (e.g. origin/main)
  --head REF   the pull request's ref (default: the working tree)
  --env NAME   limit to environments (repeatable)
`;

function workingTree(root: string, envs: string[]): Tree {
  const tree: Tree = new Map();
  for (const env of envs) for (const [k, v] of readRenderedEnvironment(root, env)) tree.set(k, v);
  return tree;
}

export function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { base: { type: 'string' }, head: { type: 'string' }, env: { type: 'string', multiple: true }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || !values.base) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const root = resolve(values.root ?? process.cwd());
  const envs = values.env?.length ? values.env : undefined;
  const base = treeAtRef(root, values.base, envs);
  const head = values.head ? treeAtRef(root, values.head, envs) : workingTree(root, envs ?? listEnvironments(root));
  process.stdout.write(diffMarkdown(diffRendered(base, head), `Rendered changes (${values.base} → ${values.head ?? 'working tree'})`));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
