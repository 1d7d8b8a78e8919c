#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { complianceChanges, complianceChangesMarkdown } from '@ck8s/compliance';
import { readRenderedEnvironment } from '@ck8s/render';
import { diffMarkdown, diffRendered, refExists, treeAtRef } from './diff';
import { environmentsAtRef, listEnvironments, unknownEnvironments, unrenderedAtRef, unrenderedInWorkingTree } from './diff/inputs';
import type { Tree } from './tree';

const HELP = `Usage: ck8s-diff --base REF [--head REF] [--env NAME ...] [--root DIR]

Object-level diff of the rendered output between two git refs, as Markdown for a pull request:
a summary per environment / cluster / component, identical changes once with the places they happen,
then every added, removed or changed object (changed ones with the settings that changed and a YAML
diff). Without --head, the working tree is compared with --base.

  --base REF   the ref the pull request merges into (e.g. origin/main)
  --head REF   the pull request's ref (default: the working tree)
  --env NAME   limit to environments (repeatable)

Fails with one line (exit 1) when a ref does not exist, an environment is unknown, or an environment's
config was changed without re-rendering clusters/ (the diff compares rendered output only).
`;

/** Thrown for a bad input: the message is the one line the command prints. */
class InputError extends Error {}

function workingTree(root: string, envs: readonly string[]): Tree {
  const tree: Tree = new Map();
  for (const env of envs) for (const [k, v] of readRenderedEnvironment(root, env)) tree.set(k, v);
  return tree;
}

function check(problem: string | undefined): void {
  if (problem) throw new InputError(problem);
}

function run(root: string, baseRef: string, headRef: string | undefined, requested: readonly string[] | undefined): string {
  for (const [flag, ref] of [
    ['--base', baseRef],
    ['--head', headRef],
  ] as const) {
    if (ref !== undefined && !refExists(root, ref)) throw new InputError(`${flag} ${ref}: no such git ref (commit, branch or tag) in ${root}; fetch it first`);
  }
  const headEnvs = headRef ? environmentsAtRef(root, headRef) : listEnvironments(root);
  const known = [...new Set([...environmentsAtRef(root, baseRef), ...headEnvs])].sort();
  if (requested) check(unknownEnvironments(requested, known));
  const envs = requested ?? known;
  const base = treeAtRef(root, baseRef, envs);
  let head: Tree;
  if (headRef) {
    head = treeAtRef(root, headRef, envs);
    for (const env of envs.filter((e) => headEnvs.includes(e))) {
      const prefix = `clusters/${env}/`;
      check(unrenderedAtRef(root, headRef, env, new Map([...head].filter(([f]) => f.startsWith(prefix)))));
    }
  } else {
    const present = envs.filter((e) => headEnvs.includes(e));
    for (const env of present) check(unrenderedInWorkingTree(root, env));
    head = workingTree(root, present);
  }
  const objects = diffMarkdown(diffRendered(base, head), `Rendered changes (${baseRef} → ${headRef ?? 'working tree'})`);
  // Controls whose status moves, read from each side's clusters/<env>/compliance.json.
  const controls = complianceChangesMarkdown(complianceChanges(base, head));
  return controls ? `${objects}\n${controls}` : objects;
}

export function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        env: { type: 'string', multiple: true },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    err(`ck8s-diff: ${(e as Error).message.split('\n')[0]} (see --help)\n`);
    return 2;
  }
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (!values.base) {
    err('ck8s-diff: --base REF is required (the ref the pull request merges into, e.g. origin/main); see --help\n');
    return 2;
  }
  try {
    out(run(resolve(values.root ?? process.cwd()), values.base, values.head, values.env?.length ? values.env : undefined));
    return 0;
  } catch (e) {
    err(`ck8s-diff: ${e instanceof InputError ? e.message : `failed: ${(e as Error).message.split('\n')[0]}`}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
