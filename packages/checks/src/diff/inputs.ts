import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigErrors } from '@ck8s/config';
import { compareRendered, listEnvironments, readRenderedEnvironment, renderFromWorkspace, type FileMap } from '@ck8s/render';
import { filesAtRef } from './git';

/** Environments (folders of environments/ with a config.yaml) at a git ref. */
export function environmentsAtRef(root: string, ref: string): string[] {
  const files = filesAtRef(root, ref, ['environments/']);
  return [...new Set([...files.keys()].map((f) => /^environments\/([^/]+)\/config\.yaml$/.exec(f)?.[1]).filter((e): e is string => !!e))].sort();
}

/** A problem with the diff's inputs, as the one line the command prints. */
export function unknownEnvironments(requested: readonly string[], known: readonly string[]): string | undefined {
  const unknown = requested.filter((e) => !known.includes(e));
  if (!unknown.length) return undefined;
  return `unknown environment${unknown.length > 1 ? 's' : ''} ${unknown.map((e) => `"${e}"`).join(', ')} (known: ${known.join(', ') || 'none'})`;
}

function firstLine(e: unknown): string {
  if (e instanceof ConfigErrors)
    return `${e.errors.length} configuration error(s), first: ${e.errors[0].file}:${e.errors[0].line}: ${e.errors[0].keyPath}: ${e.errors[0].message}`;
  return (e as Error).message.split('\n')[0];
}

/**
 * Whether the rendered output of `env` in a workspace is what its config renders to. A config change
 * not rendered yet would otherwise show as "no changes": the diff compares rendered output only.
 */
export function unrendered(root: string, env: string, rendered: FileMap): string | undefined {
  let fresh: FileMap;
  try {
    fresh = renderFromWorkspace(root, env);
  } catch (e) {
    return `environments/${env}/ does not render (${firstLine(e)}): fix it, then run \`npx nx run ${env}:render\``;
  }
  const drift = compareRendered(fresh, rendered);
  if (!drift.length) return undefined;
  const files = `${drift.length} file${drift.length > 1 ? 's' : ''} differ, e.g. ${drift[0].path}`;
  return `environments/${env}/ changed but clusters/${env}/ was not re-rendered (${files}): run \`npx nx run ${env}:render\` and commit the result first`;
}

/** The same check for the working tree. */
export function unrenderedInWorkingTree(root: string, env: string): string | undefined {
  return unrendered(root, env, readRenderedEnvironment(root, env));
}

/** The same check at a git ref: its environments/<env>/ rendered (by this checkout's code) against its clusters/<env>/. */
export function unrenderedAtRef(root: string, ref: string, env: string, rendered: FileMap): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-diff-ref-'));
  try {
    for (const [file, text] of filesAtRef(root, ref, [`environments/${env}/`])) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const problem = unrendered(dir, env, rendered);
    return problem && `at ${ref}: ${problem}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { listEnvironments };
