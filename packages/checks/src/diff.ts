import { execFileSync } from 'node:child_process';
import { createTwoFilesPatch } from 'diff';
import { objectRef, toYaml, type K8sObject } from '@ck8s/manifest';
import { parseObjects, type Tree } from './tree';

/** One rendered object, placed where a reviewer thinks about it: environment, cluster, component. */
interface Located {
  env: string;
  cluster: string;
  component: string;
  ref: string;
  yaml: string;
}

export interface ObjectChange {
  env: string;
  cluster: string;
  component: string;
  ref: string;
  change: 'added' | 'removed' | 'changed';
  diff?: string;
}

/** `clusters/<env>/<cluster>/components/<component>/…` → its parts; bases belong to every cluster (`bases`). */
function place(file: string): { env: string; cluster: string; component: string } | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'clusters' || parts.length < 4) return undefined;
  const [, env, cluster] = parts;
  if (cluster === 'bases') return { env, cluster: '(shared bases)', component: parts[3] };
  if (parts[3] === 'components') return { env, cluster, component: parts[4] };
  return { env, cluster, component: parts[3] === 'flux' ? 'flux wiring' : parts[3] === 'flux-system' ? 'flux-system' : '(cluster root)' };
}

function index(tree: Tree): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const [file, text] of tree) {
    const where = place(file);
    if (!where) continue;
    if (!file.endsWith('.yaml')) continue;
    // values.yaml is not an object, but it is what reviewers read most: treat it as one.
    const objects = file.endsWith('/values.yaml') ? [{ object: { apiVersion: 'helm', kind: 'Values', metadata: { name: where.component } } as never, text }] : parseObjects(file, text).map((p) => ({ object: p.object, text: toYaml(redactSops(p.object)) }));
    for (const { object, text: yaml } of objects) {
      const ref = object.metadata?.name ? objectRef(object) : `${object.kind} ${file.split('/').slice(-2).join('/')}`;
      out.set(`${where.env}\u0000${where.cluster}\u0000${where.component}\u0000${ref}\u0000${file.endsWith('kustomization.yaml') ? file : ''}`, { ...where, ref, yaml });
    }
  }
  return out;
}

/**
 * SOPS ciphertext changes on every re-encryption and says nothing to a reviewer: compare the
 * readable structure (which keys exist) instead, and leave the metadata block out.
 */
function redactSops(o: K8sObject): K8sObject {
  if (!('sops' in o)) return o;
  const hide = (v: unknown): unknown =>
    typeof v === 'string' && v.startsWith('ENC[') ? '<encrypted>' : Array.isArray(v) ? v.map(hide) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hide(x)])) : v;
  const { sops: _sops, ...rest } = o as K8sObject & { sops: unknown };
  return hide(rest) as K8sObject;
}

/** Object-level changes between two renders, sorted by environment, cluster, component, object. */
export function diffRendered(base: Tree, head: Tree): ObjectChange[] {
  const a = index(base);
  const b = index(head);
  const out: ObjectChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(key);
    const after = b.get(key);
    const o = (after ?? before) as Located;
    if (before && after && before.yaml === after.yaml) continue;
    const change = !before ? 'added' : !after ? 'removed' : 'changed';
    const diff = change === 'changed' ? createTwoFilesPatch(o.ref, o.ref, before!.yaml, after!.yaml, '', '', { context: 2 }).split('\n').slice(4).join('\n').trimEnd() : undefined;
    out.push({ env: o.env, cluster: o.cluster, component: o.component, ref: o.ref, change, diff });
  }
  return out;
}

/** Markdown for a pull request: a summary table, then per environment/cluster/component the changes. */
export function diffMarkdown(changes: ObjectChange[], title = 'Rendered changes'): string {
  if (!changes.length) return `### ${title}\n\nNo rendered object changes.\n`;
  const lines = [`### ${title}`, '', '| environment | cluster | component | added | changed | removed |', '| --- | --- | --- | --- | --- | --- |'];
  const groups = new Map<string, ObjectChange[]>();
  for (const c of changes) {
    const k = `${c.env}\u0000${c.cluster}\u0000${c.component}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  for (const [k, list] of groups) {
    const [env, cluster, component] = k.split('\u0000');
    const n = (t: ObjectChange['change']) => list.filter((c) => c.change === t).length;
    lines.push(`| ${env} | ${cluster} | ${component} | ${n('added')} | ${n('changed')} | ${n('removed')} |`);
  }
  for (const [k, list] of groups) {
    const [env, cluster, component] = k.split('\u0000');
    lines.push('', `#### ${env} / ${cluster} / ${component}`, '');
    for (const c of list) {
      lines.push(`- **${c.change}** \`${c.ref}\``);
      if (c.diff) lines.push('', '  ```diff', ...c.diff.split('\n').map((l) => `  ${l}`), '  ```');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The rendered files under `clusters/` at a git ref: of the given environments, or of every one. */
export function treeAtRef(root: string, ref: string, envs?: readonly string[]): Tree {
  const prefixes = envs?.length ? envs.map((e) => `clusters/${e}/`) : ['clusters/'];
  const tree: Tree = new Map();
  let files: string[];
  try {
    files = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', ref, '--', ...prefixes], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\0').filter(Boolean);
  } catch (e) {
    throw new Error(`cannot read ${prefixes.join(', ')} at git ref "${ref}": ${(e as Error).message.split('\n')[0]}`);
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
