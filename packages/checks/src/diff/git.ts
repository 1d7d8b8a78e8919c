import { execFileSync } from 'node:child_process';
import type { Tree } from '../tree';

/** Whether `ref` names a commit in the repository at `root`. */
export function refExists(root: string, ref: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The files under the given prefixes at a git ref, byte for byte. */
export function filesAtRef(root: string, ref: string, prefixes: readonly string[]): Tree {
  const tree: Tree = new Map();
  let files: string[];
  try {
    files = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', ref, '--', ...prefixes], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
      .split('\0')
      .filter(Boolean);
  } catch (e) {
    throw new Error(`cannot read ${prefixes.join(', ')} at git ref "${ref}": ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  if (!files.length) return tree;
  // One `git cat-file --batch` for every blob: a process per file is slow at fleet scale.
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd: root, input: files.map((f) => `${ref}:${f}\n`).join(''), maxBuffer: 4 * 1024 * 1024 * 1024 });
  let pos = 0;
  for (const file of files) {
    const eol = out.indexOf(0x0a, pos);
    const [, type, size] = out.toString('utf8', pos, eol).split(' ');
    if (type !== 'blob') throw new Error(`cannot read ${file} at git ref "${ref}": ${out.toString('utf8', pos, eol)}`);
    tree.set(file, out.toString('utf8', eol + 1, eol + 1 + Number(size)));
    pos = eol + 1 + Number(size) + 1;
  }
  return tree;
}

/** The rendered files under `clusters/` at a git ref: of the given environments, or of every one. */
export function treeAtRef(root: string, ref: string, envs?: readonly string[]): Tree {
  return filesAtRef(root, ref, envs?.length ? envs.map((e) => `clusters/${e}/`) : ['clusters/']);
}
