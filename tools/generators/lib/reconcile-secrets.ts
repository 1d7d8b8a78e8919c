import type { Tree } from '@nx/devkit';
import type { EnvironmentConfig } from '@ck8s/config';
import { requiredSecrets } from '@ck8s/render';
import { buildSecretFile, defaultEncrypt, emptyReport, type GeneratorDeps, type KeepValues, type SecretFileReport, type SecretsReport } from './secret-files';
import {
  assignPaths,
  PLACEHOLDER_PREFIX,
  placeSecrets,
  recipeFor,
  recipesOf,
  recipeSignature,
  shareLengths,
  ValueSource,
  type PlannedSecret,
  type Recipe,
  type Requirement,
} from './secret-plan';
import { encryptionRecipients, fileDecrypter, plainValue } from './sops-access';
import { envDir, locateSecret, readExistingSecrets, secretsDir, walkTree, type ExistingSecretFile } from './tree';

/**
 * Brings environments/<env>/secrets/ in line with what the environment requires (packages/render
 * `requiredSecrets`, the list `validate` checks). sync-secrets runs it on the config as it is;
 * add-workload-cluster runs it after adding the cluster to config.yaml, passing the config from
 * before (`previous`) so it knows what the existing files were made for.
 *
 * Each requirement is looked up with the renderer's rule (`secrets/<cluster>/` first, then top level):
 *
 * - no file: the Secret is created, placed and named as new-environment places and names it;
 * - a file whose keys are stale for a reader: a key is stale when the file lacks it or, with
 *   `previous`, when the reader now needs other content than the file was made with (an htpasswd
 *   file that gains a line per new workload cluster; a new cluster whose values differ from the
 *   clusters already reading a top-level file). When every reader of a stale key needs the same new
 *   content, the file is rewritten in place, keeping its other keys, its metadata and the htpasswd
 *   lines that did not change; otherwise each reader with stale keys gets its own copy under
 *   secrets/<cluster>/, made from the file;
 * - otherwise the file is not touched.
 *
 * A value whose `shareAs` share already exists in an encrypted file is read from that file, so both
 * sides keep matching. Everything that needs decrypting needs the age key; without it the run stops
 * before anything is made and names the files. Files no requirement reads are reported, never deleted.
 * Nothing is written here: the caller writes `out` once every file is made.
 */

export interface OrphanReport {
  /** Workspace-relative path. */
  path: string;
  /** `namespace/name` of the Secret in it, when readable. */
  secret?: string;
  reason: string;
}

export interface PendingPlaceholder {
  path: string;
  secret: string;
  key: string;
}

export interface ReconcileResult {
  environment: string;
  /** Workspace-relative paths of every secret file to write. */
  files: string[];
  created: SecretFileReport[];
  /** Existing files rewritten (`keys` lists the keys set anew only). */
  extended: SecretFileReport[];
  /** Existing files that already serve every requirement that reads them (workspace-relative). */
  unchanged: string[];
  orphans: OrphanReport[];
  /** Values still `REPLACE-ME: ...` in existing Secrets; only known when an age key was available. */
  pendingPlaceholders?: PendingPlaceholder[];
  secrets: SecretsReport;
  /** How many requirements were checked, on how many clusters (for the summary). */
  requirements: number;
  clusters: number;
  /** The age recipients new files were encrypted for (empty when nothing is written). */
  recipients: string[];
}

export interface ReconcileInput {
  /** The generator's name, leading every message. */
  generator: string;
  envName: string;
  env: EnvironmentConfig;
  /** The config the existing files were made for, when the run follows a config change it knows about. */
  previous?: EnvironmentConfig;
  /** What the run does, for the message when the age key is missing (`cluster "apps-2"`). */
  purpose: string;
  key: { identities: string[]; source: string } | undefined;
}

/** A planned write: `recipes` holds only the keys to (re)generate. */
interface Write {
  planned: PlannedSecret;
  action: 'create' | 'update';
  /** The existing file whose decrypted content is the base (rewritten in place, or copied for a cluster). */
  from?: ExistingSecretFile;
  /** What the stale keys held before (from `previous`), so htpasswd lines that did not change are kept. */
  oldRecipes?: Record<string, Recipe>;
  /** Why the base file has to be decrypted (for the message without a key). */
  why?: string;
}

/** A reader's stale keys in the file it uses. */
interface Stale {
  req: Requirement;
  /** Keys the file lacks. */
  lacking: string[];
  /** Keys the file has, made for other content than the reader now needs. */
  changed: string[];
  keys: string[];
}

const byPath = <T extends { relPath: string }>(a: T, b: T) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0);
const list = (items: string[]) => items.join(', ');
const idOf = (s: { namespace?: string; name?: string }) => `${s.namespace}/${s.name}`;
/** Compares recipes across clusters: a random value of its own belongs to one cluster's copy of one key. */
const sigOf = (r: Recipe, cluster: string, id: string, key: string) => recipeSignature(r, `${cluster}/${id}/${key}`);

/** Per existing file and key: what each cluster that read it before needed there (from `previous`). */
type MadeFor = Map<ExistingSecretFile, Map<string, Map<string, Recipe>>>;

function madeFor(previous: Requirement[], existing: ExistingSecretFile[]): MadeFor {
  const out: MadeFor = new Map();
  for (const p of previous) {
    const f = locateSecret(existing, p.cluster, p.namespace, p.name, !!p.clusterScoped);
    if (!f) continue;
    const recipes = recipesOf(p, []);
    const keys = out.get(f) ?? new Map<string, Map<string, Recipe>>();
    for (const k of p.keys.filter((k) => f.keys.includes(k))) keys.set(k, (keys.get(k) ?? new Map()).set(p.cluster, recipes[k]));
    out.set(f, keys);
  }
  return out;
}

/** What key `k` of file `f` holds as far as `previous` tells: the reader's own earlier recipe, else another earlier reader's. */
function held(made: MadeFor, f: ExistingSecretFile, cluster: string, k: string): { recipe: Recipe; cluster: string } | undefined {
  const byCluster = made.get(f)?.get(k);
  if (!byCluster?.size) return undefined;
  const own = byCluster.get(cluster);
  if (own) return { recipe: own, cluster };
  const [first, recipe] = [...byCluster][0];
  return { recipe, cluster: first };
}

/** htpasswd lines an update keeps: users whose password share did not change. Every other stale value is made anew. */
function keepHtpasswdLines(obj: Record<string, unknown>, recipes: Record<string, Recipe>, oldRecipes: Record<string, Recipe>): KeepValues {
  const keep: KeepValues = {};
  for (const [key, r] of Object.entries(recipes)) {
    const old = oldRecipes[key];
    const value = plainValue(obj, key);
    if (r.kind !== 'htpasswd' || old?.kind !== 'htpasswd' || value === undefined) continue;
    const oldShare = new Map(old.lines.map((l) => [l.user, l.share]));
    const lines = new Map<string, string>();
    for (const line of value.split('\n').filter(Boolean)) {
      const user = line.slice(0, line.indexOf(':'));
      if (r.lines.some((l) => l.user === user && oldShare.get(user) === l.share)) lines.set(user, line);
    }
    keep[key] = { htpasswdLines: lines };
  }
  return keep;
}

/** Shares whose value a write must produce (not kept from the file it rewrites). */
function sharesToMake(w: Write): string[] {
  const out: string[] = [];
  for (const [key, r] of Object.entries(w.planned.recipes)) {
    const old = w.oldRecipes?.[key];
    if (r.kind === 'share') out.push(r.share);
    if (r.kind === 'htpasswd') {
      for (const l of r.lines) if (!(old?.kind === 'htpasswd' && old.lines.some((o) => o.user === l.user && o.share === l.share))) out.push(l.share);
    }
  }
  return out;
}

export async function reconcileSecrets(
  tree: Tree,
  input: ReconcileInput,
  deps: GeneratorDeps = {},
): Promise<{ result: ReconcileResult; out: Map<string, string> }> {
  const { generator: G, envName, env, key } = input;
  const sdir = secretsDir(envName);
  const at = (relPath: string) => `${sdir}/${relPath}`;
  const report = emptyReport();

  // 1. Every requirement against the file the renderer would copy for it, and which of its keys are stale there.
  const reqs = requiredSecrets(env, deps.catalog);
  const existing = readExistingSecrets(tree, envName);
  const made = madeFor(input.previous ? requiredSecrets(input.previous, deps.catalog) : [], existing);
  const recipesByReq = new Map<Requirement, Record<string, Recipe>>(reqs.map((r) => [r, recipesOf(r, [])]));
  const missing: Requirement[] = [];
  const users = new Map<ExistingSecretFile, Requirement[]>();
  const stale = new Map<ExistingSecretFile, Stale[]>();
  for (const req of reqs) {
    const f = locateSecret(existing, req.cluster, req.namespace, req.name, !!req.clusterScoped);
    if (!f) {
      missing.push(req);
      continue;
    }
    users.set(f, [...(users.get(f) ?? []), req]);
    const recipes = recipesByReq.get(req)!;
    const lacking = req.keys.filter((k) => !f.keys.includes(k));
    const changed = req.keys.filter((k) => {
      const h = f.keys.includes(k) ? held(made, f, req.cluster, k) : undefined;
      return !!h && sigOf(h.recipe, h.cluster, idOf(f), k) !== sigOf(recipes[k], req.cluster, idOf(f), k);
    });
    if (lacking.length || changed.length) stale.set(f, [...(stale.get(f) ?? []), { req, lacking, changed, keys: [...lacking, ...changed].sort() }]);
  }

  // 2. Files with stale keys: rewritten in place when every reader of each stale key needs the same new
  //    content, otherwise each reader with stale keys gets its own copy under secrets/<cluster>/.
  const writes: Write[] = [];
  const copies: { item: Omit<PlannedSecret, 'relPath'>; from: ExistingSecretFile; oldRecipes: Record<string, Recipe>; why: string }[] = [];
  const oldRecipesOf = (f: ExistingSecretFile, cluster: string, keys: string[]) =>
    Object.fromEntries(keys.flatMap((k) => (held(made, f, cluster, k) ? [[k, held(made, f, cluster, k)!.recipe]] : [])));
  const whyOf = (entries: Stale[]) => {
    const part = (pick: (e: Stale) => string[], text: string) => {
      const es = entries.filter((e) => pick(e).length);
      if (!es.length) return [];
      const keys = list([...new Set(es.flatMap(pick))].sort());
      const readers = list([...new Set(es.flatMap((e) => e.req.by))]);
      return [`${text} ${keys}, needed by ${readers} on ${list(es.map((e) => e.req.cluster))}`];
    };
    return [...part((e) => e.lacking, 'lacks key(s)'), ...part((e) => e.changed, 'gains content: key(s)')].join('; ');
  };
  for (const [f, entries] of [...stale].sort(([a], [b]) => byPath(a, b))) {
    const id = idOf(f);
    const keys = [...new Set(entries.flatMap((e) => e.keys))].sort();
    const readers = users.get(f)!;
    const consistent = keys.every(
      (k) => new Set(readers.filter((r) => r.keys.includes(k)).map((r) => sigOf(recipesByReq.get(r)![k], r.cluster, id, k))).size === 1,
    );
    const recipe = (e: Stale, k: string) => recipeFor(e.req, k, report.warnings);
    if (consistent) {
      const recipes = Object.fromEntries(
        keys.map((k) => [
          k,
          recipe(
            entries.find((e) => e.keys.includes(k))!,
            k,
          ),
        ]),
      );
      const first = entries[0].req;
      writes.push({
        planned: {
          relPath: f.relPath,
          scope: f.cluster,
          name: f.name!,
          namespace: f.namespace!,
          clusters: readers.map((r) => r.cluster),
          keys,
          recipes,
          description: first.description,
          by: [...new Set(entries.flatMap((e) => e.req.by))],
        },
        action: 'update',
        from: f,
        oldRecipes: oldRecipesOf(f, first.cluster, keys),
        why: whyOf(entries),
      });
    } else {
      for (const e of entries) {
        const recipes = Object.fromEntries(e.keys.map((k) => [k, recipe(e, k)]));
        copies.push({
          item: {
            scope: e.req.cluster,
            name: e.req.name,
            namespace: e.req.namespace,
            clusters: [e.req.cluster],
            keys: e.keys,
            recipes,
            description: e.req.description,
            by: e.req.by,
          },
          from: f,
          oldRecipes: oldRecipesOf(f, e.req.cluster, e.keys),
          why: `copied for cluster ${e.req.cluster} with key(s) ${list(e.keys)} of its own (the clusters reading this file need different values for them)`,
        });
      }
    }
  }

  // 3. Missing Secrets, placed and named like new-environment: a new file takes the `<name>.<namespace>`
  //    form when its folder already holds a Secret of that name.
  const taken = new Set(existing.map((e) => e.relPath));
  for (const e of existing) if (e.name) taken.add(`${e.cluster ? `${e.cluster}/` : ''}${e.name}.sops.yaml`);
  for (const p of placeSecrets(missing, report.warnings, taken)) {
    writes.push({ planned: p, action: 'create' });
    taken.add(p.relPath);
  }
  const named = assignPaths(
    copies.map((c) => c.item),
    taken,
  );
  copies.forEach((c, i) => writes.push({ planned: named[i], action: 'create', from: c.from, oldRecipes: c.oldRecipes, why: c.why }));
  writes.sort((a, b) => byPath(a.planned, b.planned));

  // 4. Shares the new values need that already exist in encrypted files: read back, never regenerated.
  //    What a key holds is what it was made for (`previous`), else what its readers need now.
  const plainSources = new Map<string, { file: ExistingSecretFile; key: string }>();
  const hashedIn = new Map<string, Set<string>>();
  for (const [f, readers] of users) {
    for (const r of readers) {
      const recipes = recipesByReq.get(r)!;
      for (const k of r.keys) {
        if (!f.keys.includes(k)) continue;
        const x = held(made, f, r.cluster, k)?.recipe ?? recipes[k];
        if (x.kind === 'share' && !plainSources.has(x.share)) plainSources.set(x.share, { file: f, key: k });
        if (x.kind === 'htpasswd') for (const l of x.lines) hashedIn.set(l.share, new Set([...(hashedIn.get(l.share) ?? []), at(f.relPath)]));
      }
    }
  }
  const needers = new Map<string, string[]>();
  for (const w of writes) for (const s of new Set(sharesToMake(w))) needers.set(s, [...(needers.get(s) ?? []), `secrets/${w.planned.relPath}`]);
  const reused = [...needers.keys()].filter((s) => plainSources.has(s) || hashedIn.has(s)).sort();
  const unrecoverable = reused.filter((s) => !plainSources.has(s));
  if (unrecoverable.length) {
    throw new Error(
      [
        `${G}: shared value(s) the new Secrets need exist only as htpasswd hashes, so they cannot be read back; nothing was written.`,
        ...unrecoverable.map((s) => `  "${s}": hashed in ${list([...hashedIn.get(s)!])}; needed in plain text by ${list(needers.get(s)!)}`),
        'Rotate the share instead: delete the files that hold its hashes and run sync-secrets again, which generates a new value for every file that needs it.',
      ].join('\n'),
    );
  }

  // 5. Decrypting: rewritten and copied files, and the files holding reused shares.
  const needsKey = new Map<string, string>();
  for (const w of writes) if (w.from) needsKey.set(at(w.from.relPath), w.why!);
  for (const s of reused) {
    const src = plainSources.get(s)!;
    const why = `holds the shared value "${s}" that ${list(needers.get(s)!)} must reuse`;
    needsKey.set(at(src.file.relPath), needsKey.has(at(src.file.relPath)) ? `${needsKey.get(at(src.file.relPath))}; ${why}` : why);
  }
  if (needsKey.size && !key) {
    const creates = writes.filter((w) => !w.from).map((w) => `secrets/${w.planned.relPath}`);
    throw new Error(
      [
        `${G}: ${input.purpose} needs values from existing encrypted files; nothing was written.`,
        'Pass the age private key with --ageKeyFile <file> (or set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY) so the generator can decrypt:',
        ...[...needsKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, why]) => `  ${path}: ${why}`),
        ...(creates.length ? [`With the key it would also create: ${list(creates)}`] : []),
      ].join('\n'),
    );
  }
  const decrypt = fileDecrypter(G, key, (f) => at(f.relPath));

  const out = new Map<string, string>();
  const recipients = writes.length ? encryptionRecipients(G, envName, env.sops.ageRecipients, tree.read(`${envDir(envName)}/.sops.yaml`, 'utf-8')) : [];
  try {
    const values = new ValueSource({
      random: deps.random,
      bcryptCost: deps.bcryptCost,
      lengths: shareLengths(reqs),
      onValue: deps.onGeneratedValue,
      existingShare: async (share) => {
        const src = plainSources.get(share);
        if (!src) return undefined;
        const value = plainValue(await decrypt(src.file), src.key);
        if (value === undefined) throw new Error(`${G}: ${at(src.file.relPath)} has no value for key ${src.key} (the shared value "${share}")`);
        return value;
      },
    });
    const encrypt = deps.encrypt ?? defaultEncrypt;
    for (const w of writes) {
      const path = at(w.planned.relPath);
      let options: Parameters<typeof buildSecretFile>[5] = { action: w.action };
      if (w.from) {
        const base = await decrypt(w.from);
        options = { action: w.action, base, keep: keepHtpasswdLines(base, w.planned.recipes, w.oldRecipes ?? {}) };
      }
      out.set(path, await buildSecretFile({ ...w.planned, path }, values, recipients, encrypt, report, options));
      // A cluster's copy of an existing file holds that file's keys too.
      if (w.from && w.action === 'create') report.files[report.files.length - 1].keys = [...new Set([...w.from.keys, ...w.planned.keys])];
    }
  } catch (e) {
    (e as Error).message = `${(e as Error).message}\nNothing was written.`;
    throw e;
  }

  // 6. Files no requirement reads (reported only), and placeholders left in existing files.
  const orphans = findOrphans(tree, envName, env, existing, users, writes);
  const orphaned = new Set(orphans.map((o) => o.path));
  const unchanged = [...users.keys()]
    .map((f) => at(f.relPath))
    .filter((p) => !out.has(p) && !orphaned.has(p))
    .sort();
  let pendingPlaceholders: PendingPlaceholder[] | undefined;
  if (key) {
    pendingPlaceholders = [];
    const unreadable: string[] = [];
    for (const f of [...users.keys()].sort(byPath)) {
      try {
        const obj = await decrypt(f);
        for (const k of f.keys) {
          // f.keys are the keys the file had: placeholders of keys added in this run are reported with the run's own
          if (plainValue(obj, k)?.startsWith(PLACEHOLDER_PREFIX)) pendingPlaceholders.push({ path: at(f.relPath), secret: idOf(f), key: k });
        }
      } catch (e) {
        unreadable.push(`${at(f.relPath)} (${(e as Error).message.split('\n')[0]})`);
      }
    }
    if (unreadable.length) {
      const shown = unreadable.length > 3 ? `${unreadable.slice(0, 3).join('; ')}; …` : unreadable.join('; ');
      report.warnings.push(`could not look for unfilled placeholders in ${unreadable.length} file(s) with the age key from ${key.source}: ${shown}`);
    }
  }
  report.warnings = [...new Set(report.warnings)];
  return {
    out,
    result: {
      environment: envName,
      files: [...out.keys()],
      created: report.files.filter((f) => f.action === 'create'),
      extended: report.files.filter((f) => f.action === 'update'),
      unchanged,
      orphans,
      pendingPlaceholders,
      secrets: report,
      requirements: reqs.length,
      clusters: env.clusters.length,
      recipients,
    },
  };
}

function findOrphans(
  tree: Tree,
  envName: string,
  env: EnvironmentConfig,
  existing: ExistingSecretFile[],
  users: Map<ExistingSecretFile, Requirement[]>,
  writes: Write[],
): OrphanReport[] {
  const sdir = secretsDir(envName);
  const clusters = new Set(env.clusters.map((c) => c.name));
  const needing = new Map<string, string[]>();
  for (const [, readers] of users) for (const r of readers) needing.set(idOf(r), [...(needing.get(idOf(r)) ?? []), r.cluster]);
  for (const w of writes)
    if (!w.from || w.action === 'create') for (const c of w.planned.clusters) needing.set(idOf(w.planned), [...(needing.get(idOf(w.planned)) ?? []), c]);
  const orphans: OrphanReport[] = [];
  for (const f of existing) {
    const path = `${sdir}/${f.relPath}`;
    const copiedAway = writes.filter((w) => w.from === f && w.action === 'create');
    if (users.has(f) && copiedAway.length < users.get(f)!.length) continue;
    if (!f.name || !f.namespace) {
      orphans.push({ path, reason: 'no readable metadata.name/namespace: not a Secret any requirement can match' });
      continue;
    }
    const id = idOf(f);
    const who = [...new Set(needing.get(id) ?? [])];
    let reason: string;
    if (copiedAway.length)
      reason = `after this run every cluster that read it has its own copy (${list(copiedAway.map((w) => `secrets/${w.planned.relPath}`))})`;
    else if (f.cluster && !clusters.has(f.cluster)) reason = `secrets/${f.cluster}/ is not a cluster of the environment (clusters: ${list([...clusters])})`;
    else if (!who.length) reason = `no enabled component or webhook needs ${id}`;
    else if (f.cluster && !who.includes(f.cluster)) reason = `cluster ${f.cluster} does not need ${id} (needed on ${list(who)})`;
    else {
      const seers = who.filter((c) => !f.cluster || c === f.cluster);
      reason = `not read: ${list(seers.map((c) => `${c} uses ${locateSecret(existing, c, f.namespace!, f.name!)?.relPath ?? 'a new file'}`))}`;
    }
    orphans.push({ path, secret: id, reason });
  }
  for (const rel of walkTree(tree, sdir)) {
    if (!rel.endsWith('.sops.yaml'))
      orphans.push({ path: `${sdir}/${rel}`, reason: 'not named *.sops.yaml: the renderer ignores it (and validate rejects plain *.yaml files here)' });
  }
  return orphans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The summary both generators print: created, rewritten, unchanged, placeholders, orphans. */
export function formatReconcileReport(r: ReconcileResult): string[] {
  const lines: string[] = [
    `Environment ${r.environment}: ${r.requirements} required Secret(s) on ${r.clusters} cluster(s) checked against environments/${r.environment}/secrets/`,
  ];
  const show = (f: SecretFileReport, sign: string) =>
    `  ${sign} ${f.path}  (${f.namespace}/${f.name} ${sign === '~' ? '+' : ''}[${f.keys.join(', ')}] for ${f.clusters.join(', ')})`;
  if (r.created.length || r.extended.length) {
    const engines = [...new Set(r.secrets.files.map((f) => f.engine))].join(', ');
    lines.push(`SOPS-encrypted for ${r.recipients.length} age recipient${r.recipients.length === 1 ? '' : 's'} (engine: ${engines}):`);
    if (r.created.length) lines.push(`Created (${r.created.length}):`, ...r.created.map((f) => show(f, '+')));
    if (r.extended.length) lines.push(`Extended (${r.extended.length}; other keys and values kept):`, ...r.extended.map((f) => show(f, '~')));
  } else lines.push('Nothing to create or extend: every Secret validate requires exists with its keys.');
  lines.push(`Unchanged: ${r.unchanged.length} complete Secret file${r.unchanged.length === 1 ? '' : 's'}.`);
  if (r.secrets.placeholders.length) {
    lines.push(`Placeholders to fill (written as encrypted "REPLACE-ME: ..."; validate cannot see them, Flux would apply them as they are):`);
    for (const p of r.secrets.placeholders) lines.push(`  ${p.path}  ${p.key}: ${p.hint.trim().split('\n')[0]}`);
  }
  if (r.pendingPlaceholders?.length) {
    lines.push('Placeholders still unfilled in existing Secrets:');
    for (const p of r.pendingPlaceholders) lines.push(`  ${p.path}  ${p.key}`);
  }
  if (r.orphans.length) {
    lines.push(`Orphans (${r.orphans.length}; no requirement reads them; not deleted):`);
    for (const o of r.orphans) lines.push(`  ${o.path}${o.secret ? `  (${o.secret})` : ''}: ${o.reason}`);
  }
  return lines;
}
