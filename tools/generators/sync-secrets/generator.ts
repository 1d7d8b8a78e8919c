import type { GeneratorCallback, Tree } from '@nx/devkit';
import type { EnvironmentConfig } from '@ck8s/config';
import { OptionErrors } from '../lib/options';
import {
  buildSecretFile,
  defaultEncrypt,
  emptyReport,
  fillPlaceholdersStep,
  formatNextSteps,
  logOf,
  warnOf,
  type GeneratorDeps,
  type SecretFileReport,
  type SecretsReport,
} from '../lib/secret-files';
import {
  assignPaths,
  collectRequirements,
  PLACEHOLDER_PREFIX,
  placeSecrets,
  recipeFor,
  recipesOf,
  recipeSignature,
  shareLengths,
  sharesOf,
  ValueSource,
  type PlannedSecret,
  type Recipe,
  type Requirement,
} from '../lib/secret-plan';
import { encryptionRecipients, fileDecrypter, loadAgeIdentities, plainValue, type IdentitySources } from '../lib/sops-access';
import {
  checkExistingEnvironment,
  envDir,
  EnvironmentLoadError,
  loadEnvironmentFiles,
  locateSecret,
  readEnvironmentFilesFromTree,
  readExistingSecrets,
  secretsDir,
  walkTree,
  type ExistingSecretFile,
} from '../lib/tree';
import type { SyncSecretsSchema } from './schema';

/**
 * Day 2: bring environments/<env>/secrets/ in line with what `validate` requires after the config
 * or the platform changed (a component enabled, a webhook added, an upgrade that reads a new key).
 *
 * The requirement list is the generators' own (`collectRequirements`: planCluster + platformSecrets,
 * the list validate checks). Each requirement is looked up with the renderer's rule
 * (`secrets/<cluster>/` first, then top level):
 *
 * - no file: the Secret is created, placed and named as new-environment places and names it;
 * - a file without some of the keys: the keys are added (decrypting the file; every existing value,
 *   key and metadata stays as it is). A top-level file read by several clusters that need different
 *   values for the new keys is left alone and each of those clusters gets its own copy instead;
 * - a complete file: not touched.
 *
 * A new value whose `shareAs` share already exists in an encrypted file is read from that file, so
 * both sides keep matching. Everything that needs decrypting needs the age key; without it the run
 * stops before writing and names the files. Files no requirement reads are reported, never deleted.
 */

const G = 'sync-secrets';

export interface SyncSecretsDeps extends GeneratorDeps, IdentitySources {}

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

export interface SyncSecretsResult {
  environment: string;
  /** Workspace-relative paths of every file written. */
  files: string[];
  created: SecretFileReport[];
  /** Existing files rewritten with added keys (`keys` lists the added ones only). */
  extended: SecretFileReport[];
  /** Existing files that already serve every requirement that reads them (workspace-relative). */
  unchanged: string[];
  orphans: OrphanReport[];
  /** Values still `REPLACE-ME: ...` in existing Secrets; only known when an age key was available. */
  pendingPlaceholders?: PendingPlaceholder[];
  secrets: SecretsReport;
}

/** A planned write: `recipes` holds only the keys to generate. */
interface Write {
  planned: PlannedSecret;
  action: 'create' | 'update';
  /** The existing file whose decrypted content is the base (extended in place, or copied for a cluster). */
  from?: ExistingSecretFile;
  /** Why the base file has to be decrypted (for the message without a key). */
  why?: string;
}

const byPath = <T extends { relPath: string }>(a: T, b: T) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0);
const list = (items: string[]) => items.join(', ');

export async function syncSecrets(tree: Tree, schema: SyncSecretsSchema, deps: SyncSecretsDeps = {}): Promise<SyncSecretsResult> {
  const envName = typeof schema.environment === 'string' ? schema.environment.trim() : schema.environment;
  const problems = checkExistingEnvironment(tree, 'environment', envName);
  if (problems.length) throw new OptionErrors(G, problems);
  // A missing --ageKeyFile is an option error whether or not the run needs the key.
  const key = loadAgeIdentities(G, schema.ageKeyFile, deps);

  let env: EnvironmentConfig;
  try {
    env = loadEnvironmentFiles(envName, readEnvironmentFilesFromTree(tree, envName), deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(`${G}: the environment does not load as it is; fix it first (nothing was written).\n${e.message}`);
  }
  const sdir = secretsDir(envName);
  const at = (relPath: string) => `${sdir}/${relPath}`;
  const report = emptyReport();

  // 1. Every requirement against the file the renderer would copy for it.
  const reqs = collectRequirements(env, deps.catalog);
  const existing = readExistingSecrets(tree, envName);
  const recipesByReq = new Map<Requirement, Record<string, Recipe>>(reqs.map((r) => [r, recipesOf(r, [])]));
  const missing: Requirement[] = [];
  const users = new Map<ExistingSecretFile, Requirement[]>();
  const lacking = new Map<ExistingSecretFile, { req: Requirement; keys: string[] }[]>();
  for (const req of reqs) {
    const f = locateSecret(existing, req.cluster, req.namespace, req.name);
    if (!f) {
      missing.push(req);
      continue;
    }
    users.set(f, [...(users.get(f) ?? []), req]);
    const keys = req.keys.filter((k) => !f.keys.includes(k));
    if (keys.length) lacking.set(f, [...(lacking.get(f) ?? []), { req, keys }]);
  }

  // 2. Existing files that lack keys: extended in place when every cluster reading them needs the same
  //    new values, otherwise each cluster that lacks keys gets its own copy under secrets/<cluster>/.
  const writes: Write[] = [];
  const copies: { item: Omit<PlannedSecret, 'relPath'>; from: ExistingSecretFile; why: string }[] = [];
  for (const [f, entries] of [...lacking].sort(([a], [b]) => byPath(a, b))) {
    const id = `${f.namespace}/${f.name}`;
    const keys = [...new Set(entries.flatMap((e) => e.keys))].sort();
    const recipe = (e: { req: Requirement }, k: string) => recipeFor(e.req, k, report.warnings);
    const consistent = keys.every((k) => new Set(entries.filter((e) => e.keys.includes(k)).map((e) => recipeSignature(recipesByReq.get(e.req)![k], `${e.req.cluster}/${id}/${k}`))).size === 1);
    const first = entries[0].req;
    if (consistent) {
      const recipes = Object.fromEntries(keys.map((k) => [k, recipe(entries.find((e) => e.keys.includes(k))!, k)]));
      const readers = users.get(f)!;
      writes.push({
        planned: { relPath: f.relPath, scope: f.cluster, name: f.name!, namespace: f.namespace!, clusters: readers.map((r) => r.cluster), keys, recipes, description: first.description, by: [...new Set(entries.flatMap((e) => e.req.by))] },
        action: 'update',
        from: f,
        why: `lacks key(s) ${list(keys)}, needed by ${list([...new Set(entries.flatMap((e) => e.req.by))])} on ${list(entries.map((e) => e.req.cluster))}`,
      });
    } else {
      for (const e of entries) {
        const recipes = Object.fromEntries(e.keys.map((k) => [k, recipe(e, k)]));
        copies.push({
          item: { scope: e.req.cluster, name: e.req.name, namespace: e.req.namespace, clusters: [e.req.cluster], keys: e.keys, recipes, description: e.req.description, by: e.req.by },
          from: f,
          why: `copied for cluster ${e.req.cluster} with key(s) ${list(e.keys)} of its own (the clusters reading this file need different values for them)`,
        });
      }
    }
  }

  // 3. Missing Secrets, placed and named like new-environment: a new file takes the `<name>.<namespace>`
  //    form when its folder already holds a Secret of that name.
  const taken = new Set(existing.map((e) => e.relPath));
  for (const e of existing) if (e.name) taken.add(`${e.cluster ? `${e.cluster}/` : ''}${e.name}.sops.yaml`);
  const placed = placeSecrets(missing, report.warnings, taken);
  for (const p of placed) {
    writes.push({ planned: p, action: 'create' });
    taken.add(p.relPath);
  }
  const named = assignPaths(
    copies.map((c) => c.item),
    taken,
  );
  copies.forEach((c, i) => writes.push({ planned: named[i], action: 'create', from: c.from, why: c.why }));
  writes.sort((a, b) => byPath(a.planned, b.planned));

  // 4. Shares the new values need that already exist in encrypted files: read back, never regenerated.
  const plainSources = new Map<string, { file: ExistingSecretFile; key: string }>();
  const hashedIn = new Map<string, Set<string>>();
  for (const [f, readers] of users) {
    for (const r of readers) {
      const recipes = recipesByReq.get(r)!;
      for (const k of r.keys) {
        if (!f.keys.includes(k)) continue;
        const x = recipes[k];
        if (x.kind === 'share' && !plainSources.has(x.share)) plainSources.set(x.share, { file: f, key: k });
        if (x.kind === 'htpasswd') for (const l of x.lines) hashedIn.set(l.share, new Set([...(hashedIn.get(l.share) ?? []), at(f.relPath)]));
      }
    }
  }
  const needers = new Map<string, string[]>();
  for (const w of writes) for (const s of sharesOf(Object.values(w.planned.recipes))) needers.set(s, [...(needers.get(s) ?? []), `secrets/${w.planned.relPath}`]);
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

  // 5. Decrypting: extended and copied files, and the files holding reused shares.
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
        `${G}: bringing environments/${envName}/secrets/ in line needs values from existing encrypted files; nothing was written.`,
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
      const options = w.from ? { action: w.action, base: await decrypt(w.from) } : { action: w.action };
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
  const unchanged = [...users.keys()].map((f) => at(f.relPath)).filter((p) => !out.has(p) && !orphaned.has(p)).sort();
  let pendingPlaceholders: PendingPlaceholder[] | undefined;
  if (key) {
    pendingPlaceholders = [];
    const unreadable: string[] = [];
    for (const f of [...users.keys()].sort(byPath)) {
      try {
        const obj = await decrypt(f);
        for (const k of f.keys) {
          // f.keys are the keys the file had: placeholders of keys added in this run are reported with the run's own
          if (plainValue(obj, k)?.startsWith(PLACEHOLDER_PREFIX)) pendingPlaceholders.push({ path: at(f.relPath), secret: `${f.namespace}/${f.name}`, key: k });
        }
      } catch (e) {
        unreadable.push(`${at(f.relPath)} (${(e as Error).message.split('\n')[0]})`);
      }
    }
    if (unreadable.length) {
      report.warnings.push(`could not look for unfilled placeholders in ${unreadable.length} file(s) with the age key from ${key.source}: ${unreadable.length > 3 ? `${unreadable.slice(0, 3).join('; ')}; …` : unreadable.join('; ')}`);
    }
  }

  for (const [path, text] of out) tree.write(path, text);
  report.warnings = [...new Set(report.warnings)];
  const result: SyncSecretsResult = {
    environment: envName,
    files: [...out.keys()],
    created: report.files.filter((f) => f.action === 'create'),
    extended: report.files.filter((f) => f.action === 'update'),
    unchanged,
    orphans,
    pendingPlaceholders,
    secrets: report,
  };
  const log = logOf(deps);
  for (const line of formatSyncReport(result, reqs.length, env.clusters.length, recipients)) log(line);
  for (const w of report.warnings) warnOf(deps)(w);
  return result;
}

function findOrphans(tree: Tree, envName: string, env: EnvironmentConfig, existing: ExistingSecretFile[], users: Map<ExistingSecretFile, Requirement[]>, writes: Write[]): OrphanReport[] {
  const sdir = secretsDir(envName);
  const clusters = new Set(env.clusters.map((c) => c.name));
  const needing = new Map<string, string[]>();
  for (const [, readers] of users) for (const r of readers) needing.set(`${r.namespace}/${r.name}`, [...(needing.get(`${r.namespace}/${r.name}`) ?? []), r.cluster]);
  for (const w of writes) if (!w.from || w.action === 'create') for (const c of w.planned.clusters) needing.set(`${w.planned.namespace}/${w.planned.name}`, [...(needing.get(`${w.planned.namespace}/${w.planned.name}`) ?? []), c]);
  const orphans: OrphanReport[] = [];
  for (const f of existing) {
    const path = `${sdir}/${f.relPath}`;
    const copiedAway = writes.filter((w) => w.from === f && w.action === 'create');
    if (users.has(f) && copiedAway.length < users.get(f)!.length) continue;
    if (!f.name || !f.namespace) {
      orphans.push({ path, reason: 'no readable metadata.name/namespace: not a Secret any requirement can match' });
      continue;
    }
    const id = `${f.namespace}/${f.name}`;
    const who = [...new Set(needing.get(id) ?? [])];
    let reason: string;
    if (copiedAway.length) reason = `after this run every cluster that read it has its own copy (${list(copiedAway.map((w) => `secrets/${w.planned.relPath}`))})`;
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
    if (!rel.endsWith('.sops.yaml')) orphans.push({ path: `${sdir}/${rel}`, reason: 'not named *.sops.yaml: the renderer ignores it (and validate rejects plain *.yaml files here)' });
  }
  return orphans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The summary the generator prints: created, extended, unchanged, placeholders, orphans. */
export function formatSyncReport(r: SyncSecretsResult, requirements: number, clusters: number, recipients: string[]): string[] {
  const lines: string[] = [`Environment ${r.environment}: ${requirements} required Secret(s) on ${clusters} cluster(s) checked against environments/${r.environment}/secrets/`];
  const show = (f: SecretFileReport, sign: string) => `  ${sign} ${f.path}  (${f.namespace}/${f.name} ${sign === '~' ? '+' : ''}[${f.keys.join(', ')}] for ${f.clusters.join(', ')})`;
  if (r.created.length || r.extended.length) {
    const engines = [...new Set(r.secrets.files.map((f) => f.engine))].join(', ');
    lines.push(`SOPS-encrypted for ${recipients.length} age recipient${recipients.length === 1 ? '' : 's'} (engine: ${engines}):`);
    if (r.created.length) lines.push(`Created (${r.created.length}):`, ...r.created.map((f) => show(f, '+')));
    if (r.extended.length) lines.push(`Extended (${r.extended.length}; existing keys and values kept):`, ...r.extended.map((f) => show(f, '~')));
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

export function nextSteps(r: SyncSecretsResult): string {
  const env = r.environment;
  const fill = [...r.secrets.placeholders, ...(r.pendingPlaceholders ?? [])];
  const changed = r.files.length > 0;
  return formatNextSteps([
    fillPlaceholdersStep(fill),
    r.orphans.length ? `Review the ${r.orphans.length} orphan file(s) listed above; remove those no longer needed with git rm (sync-secrets never deletes).` : undefined,
    changed || fill.length ? `Render:    npx nx run ${env}:render` : undefined,
    `Validate:  npx nx run ${env}:validate   (and npx nx run ${env}:drift)`,
    changed ? `Commit environments/${env}/ and clusters/${env}/ together and open a pull request.` : undefined,
  ]);
}

export default async function syncSecretsGenerator(tree: Tree, schema: SyncSecretsSchema): Promise<GeneratorCallback> {
  const result = await syncSecrets(tree, schema);
  return () => logOf({})(nextSteps(result));
}
