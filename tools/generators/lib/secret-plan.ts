import type { GeneratedValue } from '@ck8s/components';
import type { RequiredSecret } from '@ck8s/render';
import { htpasswdBcrypt, randomPassword, type RandomSource } from '@ck8s/secrets';

/**
 * Where the Secrets an environment needs go and how their values are made. *Which* Secrets it
 * needs is not decided here: that list is packages/render `requiredSecrets` (the one rendering
 * copies and `validate` checks), with each key's `GeneratedValue` hint.
 */

/**
 * How a key is filled: the components' `GeneratedValue`. `recipeFor` still treats an unknown hint
 * (one newer than this code) as a placeholder plus a warning instead of failing.
 */
export type ValueHint = GeneratedValue;

/** One Secret one cluster reads (packages/render `requiredSecrets`). */
export type Requirement = RequiredSecret;

/** A key's value source once hints are resolved. */
export type Recipe =
  /** A random value shared by every key that names the same share, in every Secret and cluster. */
  | { kind: 'share'; share: string }
  /** A random value of its own (unique per cluster, so such a Secret is never shared across clusters). */
  | { kind: 'random'; length: number }
  /** bcrypt htpasswd lines `user:$2y$...` of share values (one line, or a file of several). */
  | { kind: 'htpasswd'; lines: { user: string; share: string }[]; file: boolean }
  /** A person must provide it: written as an encrypted placeholder `REPLACE-ME: <hint>`. */
  | { kind: 'user'; hint: string }
  /** A fixed, non-secret value known at render time (a user name the receiving side expects); written as is. */
  | { kind: 'literal'; value: string };

export const DEFAULT_LENGTH = 32;
export const PLACEHOLDER_PREFIX = 'REPLACE-ME: ';

/** Keys named like PEM files (tls.crt, tls.key, ca.crt) cannot be random strings: a person provides them. */
const PEM_FILE_KEY = /\.(crt|key|pem)$/;

export function recipeFor(req: Requirement, key: string, warnings: string[] = []): Recipe {
  const hint = req.generate[key];
  if (!hint) {
    if (PEM_FILE_KEY.test(key)) {
      return { kind: 'user', hint: `PEM-encoded ${key.endsWith('.key') ? 'private key' : 'certificate'} "${key}" (${req.description})` };
    }
    return { kind: 'random', length: DEFAULT_LENGTH };
  }
  switch (hint.type) {
    case 'random':
      return hint.shareAs ? { kind: 'share', share: hint.shareAs } : { kind: 'random', length: hint.length ?? DEFAULT_LENGTH };
    case 'htpasswd':
      return { kind: 'htpasswd', lines: [{ user: hint.user, share: hint.of }], file: false };
    case 'htpasswd-file':
      return { kind: 'htpasswd', lines: hint.entries.map((e) => ({ user: e.user, share: e.of })), file: true };
    case 'user':
      return { kind: 'user', hint: hint.hint };
    case 'literal':
      return { kind: 'literal', value: String(hint.value) };
    default: {
      const text = JSON.stringify(hint);
      warnings.push(`${req.namespace}/${req.name} key ${key}: unsupported generate hint ${text} (from ${req.by.join(', ')}); wrote a placeholder instead`);
      return { kind: 'user', hint: `value for ${key} (the generator does not support ${text})` };
    }
  }
}

/**
 * What makes two clusters' copies of a Secret interchangeable. User-provided values compare equal
 * whatever their hints say; a random value of its own is unique to its cluster.
 */
export function recipeSignature(r: Recipe, owner: string): string {
  switch (r.kind) {
    case 'share':
      return `share(${r.share})`;
    case 'random':
      return `random(${owner},${r.length})`;
    case 'htpasswd':
      return `htpasswd(${r.file ? 'file' : 'line'}:${r.lines.map((l) => `${l.user}=${l.share}`).join(',')})`;
    case 'user':
      return 'user';
    case 'literal':
      return `literal(${JSON.stringify(r.value)})`;
  }
}

export function recipesOf(req: Requirement, warnings: string[] = []): Record<string, Recipe> {
  return Object.fromEntries([...req.keys].sort().map((k) => [k, recipeFor(req, k, warnings)]));
}

export function secretSignature(req: Requirement, recipes: Record<string, Recipe> = recipesOf(req)): string {
  const owner = `${req.cluster}/${req.namespace}/${req.name}`;
  return Object.entries(recipes)
    .map(([k, r]) => `${k}=${recipeSignature(r, `${owner}/${k}`)}`)
    .join(';');
}

/** One SOPS file to write. */
export interface PlannedSecret {
  /** Relative to environments/<env>/secrets/; `<cluster>/…` when it applies to one cluster only. */
  relPath: string;
  /** The cluster a scoped file belongs to; undefined for a top-level file. */
  scope?: string;
  name: string;
  namespace: string;
  /** Clusters that read this file. */
  clusters: string[];
  keys: string[];
  recipes: Record<string, Recipe>;
  description: string;
  by: string[];
}

/**
 * Where each Secret's file goes. A Secret is written once at the top level of secrets/ when every
 * cluster that needs it needs identical content (same keys, same shares, user-provided values), and
 * either several clusters need it or only the management cluster does (there is exactly one).
 * Otherwise each cluster gets its own copy under secrets/<cluster>/: per-cluster credentials, random
 * values of their own, and Secrets of a single workload cluster (a second one may need other values).
 * A `clusterScoped` requirement (a cluster with object storage of its own) always gets its own copy.
 */
export function placeSecrets(reqs: Requirement[], warnings: string[] = [], taken: Iterable<string> = []): PlannedSecret[] {
  const groups = new Map<string, Requirement[]>();
  for (const r of reqs) {
    // A cluster-scoped requirement is a group of its own: it never shares the environment-level file.
    const id = r.clusterScoped ? `${r.cluster}\u0000${r.namespace}/${r.name}` : `${r.namespace}/${r.name}`;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const planned: Omit<PlannedSecret, 'relPath'>[] = [];
  for (const [, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const withRecipes = group.map((r) => ({ r, recipes: recipesOf(r, warnings) }));
    const sigs = new Set(withRecipes.map(({ r, recipes }) => secretSignature(r, recipes)));
    const first = withRecipes[0];
    const shared = !first.r.clusterScoped && sigs.size === 1 && (group.length >= 2 || first.r.role === 'management');
    if (shared) {
      planned.push({
        name: first.r.name,
        namespace: first.r.namespace,
        clusters: group.map((r) => r.cluster),
        keys: Object.keys(first.recipes),
        recipes: first.recipes,
        description: first.r.description,
        by: [...new Set(group.flatMap((r) => r.by))],
      });
    } else {
      for (const { r, recipes } of withRecipes) {
        planned.push({
          scope: r.cluster,
          name: r.name,
          namespace: r.namespace,
          clusters: [r.cluster],
          keys: Object.keys(recipes),
          recipes,
          description: r.description,
          by: r.by,
        });
      }
    }
  }
  return assignPaths(planned, taken);
}

/** `<name>.sops.yaml`, or `<name>.<namespace>.sops.yaml` where two Secrets of one folder share a name. */
export function assignPaths<T extends { scope?: string; name: string; namespace: string }>(
  items: T[],
  taken: Iterable<string> = [],
): (T & { relPath: string })[] {
  const used = new Set(taken);
  const dirOf = (i: T) => (i.scope ? `${i.scope}/` : '');
  const count = new Map<string, number>();
  for (const i of items) count.set(`${dirOf(i)}${i.name}`, (count.get(`${dirOf(i)}${i.name}`) ?? 0) + 1);
  return items.map((i) => {
    let relPath = `${dirOf(i)}${i.name}.sops.yaml`;
    if ((count.get(`${dirOf(i)}${i.name}`) ?? 0) > 1 || used.has(relPath)) relPath = `${dirOf(i)}${i.name}.${i.namespace}.sops.yaml`;
    for (let n = 2; used.has(relPath); n++) relPath = `${dirOf(i)}${i.name}.${i.namespace}-${n}.sops.yaml`;
    used.add(relPath);
    return { ...i, relPath };
  });
}

/** Share name → length: the longest any random hint of that share asks for. */
export function shareLengths(reqs: Requirement[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of reqs) {
    for (const k of r.keys) {
      const h = r.generate[k];
      if (h?.type === 'random' && h.shareAs) out.set(h.shareAs, Math.max(out.get(h.shareAs) ?? 0, h.length ?? DEFAULT_LENGTH));
    }
  }
  return out;
}

export interface ValueSourceOptions {
  random?: RandomSource;
  /** bcrypt cost of htpasswd hashes (default 10, what `htpasswd -B` uses). */
  bcryptCost?: number;
  lengths?: Map<string, number>;
  /** Looks up a share that already exists in the environment's encrypted files (add-workload-cluster, sync-secrets). */
  existingShare?: (share: string) => Promise<string | undefined>;
  /** Called with every generated secret value (tests use it to prove none reaches the tree in plain text). */
  onValue?: (value: string) => void;
}

/** Makes secret values; a share has one value for the whole run. */
export class ValueSource {
  private readonly shares = new Map<string, string>();

  constructor(private readonly o: ValueSourceOptions = {}) {}

  private emit(v: string): string {
    this.o.onValue?.(v);
    return v;
  }

  password(length: number): string {
    return this.emit(randomPassword(length, this.o.random));
  }

  async share(name: string): Promise<string> {
    const known = this.shares.get(name);
    if (known !== undefined) return known;
    const existing = await this.o.existingShare?.(name);
    const value = existing ?? this.password(this.o.lengths?.get(name) ?? DEFAULT_LENGTH);
    this.shares.set(name, value);
    return value;
  }

  async htpasswdLine(user: string, share: string): Promise<string> {
    return this.emit(htpasswdBcrypt(user, await this.share(share), { cost: this.o.bcryptCost ?? 10, random: this.o.random }));
  }

  /**
   * The value of one key. `keep` returns what an existing file already holds for it (so an update
   * keeps values that did not change; per htpasswd user for htpasswd files).
   */
  async value(r: Recipe, keep?: { value?: string; htpasswdLines?: Map<string, string> }): Promise<{ value: string; placeholder?: string }> {
    switch (r.kind) {
      case 'share':
        return { value: keep?.value ?? (await this.share(r.share)) };
      case 'random':
        return { value: keep?.value ?? this.password(r.length) };
      case 'user':
        if (keep?.value !== undefined) return { value: keep.value, placeholder: keep.value.startsWith(PLACEHOLDER_PREFIX) ? r.hint : undefined };
        return { value: `${PLACEHOLDER_PREFIX}${r.hint}`, placeholder: r.hint };
      case 'literal':
        return { value: r.value };
      case 'htpasswd': {
        const lines: string[] = [];
        for (const l of r.lines) lines.push(keep?.htpasswdLines?.get(l.user) ?? (await this.htpasswdLine(l.user, l.share)));
        return { value: r.file ? `${lines.join('\n')}\n` : lines.join('\n') };
      }
    }
  }
}

/** A Kubernetes Secret manifest as the SOPS file holds it (stringData, so `sops` edits read naturally). */
export function secretManifest(name: string, namespace: string, stringData: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData };
}
