import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { requiredSecrets } from '@ck8s/render';
import { sopsCreationRules } from '@ck8s/secrets';
import { checkDnsLabel, checkGitBranch, checkGitUrl, checkRecipients, OptionErrors, splitList } from '../lib/options';
import { fillPlaceholdersStep, formatNextSteps, formatSecretsReport, logOf, warnOf, type GeneratorDeps, type SecretsReport } from '../lib/secret-files';
import { clustersDir, envDir } from '../lib/tree';
import { SECRETS_PATH_REGEX } from '../new-environment/generator';
import { assemble, ImportRejected, type Assembled } from './assemble';
import { classifyCluster, type LeafResult, type Write } from './classify';
import { contextFor } from './mapping';
import { importReport } from './report';
import { buildImportedSecrets } from './secrets/build';
import { readCk8sSecrets, type Ck8sSecretsFile } from './secrets/read';
import { importConnectors, importSecretValues, type ImportedValues, type ManualSecret, type SecretLeafResult } from './secrets/values';
import { ImportErrors, readSources, type SourceCluster, type Sources } from './sources';
import type { ImportCk8sSchema } from './schema';

/**
 * `nx g @ck8s/tools:import-ck8s`: one command from a compliantkubernetes-apps config path (or
 * several, one per workload cluster) to one of our environments, with IMPORT.md accounting for every
 * key. Nothing is written until every check passed and the result loads through the real config loader.
 */

const G = 'import-ck8s';
/** Our environment keys: the importer sets them itself, never as settings. */
const ENV_TARGETS = new Set(['flavor', 'provider', 'domain', 'opsDomain']);

export interface ImportDeps extends GeneratorDeps {
  /** sops binary and environment for decrypting secrets.yaml (default: findSopsBinary() and process.env). */
  sopsBin?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ImportResult {
  name: string;
  files: string[];
  sources: Sources;
  leaves: LeafResult[];
  secretLeaves: SecretLeafResult[];
  manual: ManualSecret[];
  secrets: SecretsReport;
  assembled: Assembled;
  secretFiles: Ck8sSecretsFile[];
  /** Every imported secret value (tests check that none reaches a file in plain text). */
  importedValues: string[];
}

interface Options {
  name: string;
  from: string;
  others: string[];
  recipients: string[];
  gitUrl: string;
  gitBranch: string;
  decrypt: boolean;
}

function normalize(tree: Tree, o: ImportCk8sSchema): Options {
  const problems: string[] = [];
  const name = typeof o.name === 'string' ? o.name.trim() : o.name;
  problems.push(...checkDnsLabel('name', name, 'environment name'));
  if (!problems.length) {
    if (tree.exists(envDir(name)))
      problems.push(
        `--name: environment "${name}" already exists (environments/${name}/); choose another name or remove it first with ` +
          `\`npx nx g @ck8s/tools:remove-environment --name ${name}\``,
      );
    else if (tree.exists(clustersDir(name)))
      problems.push(
        `--name: clusters/${name}/ already exists without environments/${name}/ (output of a removed environment?); delete it or choose another name`,
      );
  }
  if (typeof o.from !== 'string' || !o.from.trim())
    problems.push('--from: required: the compliantkubernetes-apps config path ($CK8S_CONFIG_PATH) of the service cluster');
  // Folders that do not exist are option errors, reported with the others; what is in them is checked later.
  const folders: [string, unknown][] = [['from', o.from], ...splitList(o.workloadConfigPaths).map((d): [string, unknown] => ['workloadConfigPaths', d])];
  for (const [option, dir] of folders) {
    if (typeof dir === 'string' && dir.trim() && !existsSync(resolve(dir)))
      problems.push(`--${option}: ${resolve(dir)} does not exist (expected a compliantkubernetes-apps config path)`);
  }
  const recipients = splitList(o.ageRecipient);
  problems.push(...checkRecipients('ageRecipient', recipients));
  problems.push(...checkGitUrl('gitUrl', o.gitUrl));
  const gitBranch = o.gitBranch ?? 'main';
  problems.push(...checkGitBranch('gitBranch', gitBranch));
  if (problems.length) throw new OptionErrors(G, problems);
  return { name, from: o.from, others: splitList(o.workloadConfigPaths), recipients, gitUrl: o.gitUrl, gitBranch, decrypt: o.decryptSecrets !== false };
}

/** Maps every cluster's keys; set-me left in a key we need stops the import, naming each. */
function classifyAll(o: Options, s: Sources): { leaves: LeafResult[]; writes: Write[] } {
  const leaves: LeafResult[] = [];
  const writes: Write[] = [];
  const unset = new Map<string, string[]>();
  for (const c of s.clusters) {
    const ctx = contextFor(c.cfg, { cluster: c.name, envName: o.name, flavor: s.flavor, provider: c.provider, domain: s.domain, opsDomain: s.opsDomain });
    const r = classifyCluster(c.cfg, ctx);
    leaves.push(...r.leaves);
    writes.push(...r.writes);
    for (const u of r.unset) unset.set(`${u.where}: ${u.key}`, [...(unset.get(`${u.where}: ${u.key}`) ?? []), u.cluster]);
  }
  if (unset.size) {
    throw new ImportErrors(
      [...unset].map(
        ([at, clusters]) => `${at}: still set-me (${clusters.length > 1 ? 'clusters' : 'cluster'} ${clusters.join(', ')}); the import needs this value: set it`,
      ),
    );
  }
  return { leaves, writes };
}

/** The environment keys come from the service cluster; ops.<domain> is our default. */
function environmentKeys(s: Sources, leaves: LeafResult[]): { opsDomain?: string } {
  const opsDomain = s.opsDomain === `ops.${s.domain}` ? undefined : s.opsDomain;
  for (const l of leaves.filter((x) => x.kind === 'sc' && x.key === 'global.opsDomain' && !opsDomain))
    [l.outcome, l.note] = ['default', 'ops.<domain> is our default ops domain'];
  return { opsDomain };
}

/** Dex connectors live in the service cluster's secrets.yaml: they become config (and connector Secrets). */
function connectorWrites(
  s: Sources,
  sc: SourceCluster,
  file: Ck8sSecretsFile | undefined,
): { writes: Write[]; values: Map<string, string>; dropped: string[]; row?: LeafResult } {
  if (!file?.plain) return { writes: [], values: new Map(), dropped: [] };
  const { connectors, values, dropped } = importConnectors(file.plain, s.domain);
  if (!connectors.length) return { writes: [], values, dropped };
  const row: LeafResult = {
    cluster: sc.name,
    kind: 'sc',
    path: ['dex', 'connectors'],
    key: 'dex.connectors',
    value: connectors.map((c) => c.id),
    origin: 'secrets.yaml',
    rule: { source: 'dex.connectors', outcome: 'mapped', target: 'components.dex.connectors' },
    outcome: 'mapped',
    targets: ['components.dex.connectors'],
    note: dropped.length ? `not imported: ${dropped.join('; ')}` : '',
  };
  return { writes: [{ cluster: sc.name, target: 'components.dex.connectors', value: connectors, leaf: row }], values, dropped, row };
}

export async function importCk8s(tree: Tree, schema: ImportCk8sSchema, deps: ImportDeps = {}): Promise<ImportResult> {
  const o = normalize(tree, schema);
  const sources = readSources(o.from, o.others);
  const { leaves, writes } = classifyAll(o, sources);
  const sc = sources.clusters.find((c) => c.kind === 'sc')!;

  // secrets.yaml of every config path (keys always; values where sops and the operator's keys can open it).
  const secretFiles = new Map<string, Ck8sSecretsFile>();
  for (const p of sources.paths)
    if (p.secretsPath) secretFiles.set(p.dir, await readCk8sSecrets(p.secretsPath, { sopsBin: deps.sopsBin, env: deps.env, decrypt: o.decrypt }));
  const fileOf = (c: SourceCluster) => secretFiles.get(c.cfg.source.dir);
  const dex = connectorWrites(sources, sc, fileOf(sc));

  const env = environmentKeys(sources, leaves);
  let assembled: Assembled;
  try {
    assembled = assemble({
      envName: o.name,
      flavor: sources.flavor,
      provider: sources.provider,
      domain: sources.domain,
      opsDomain: env.opsDomain,
      git: { url: o.gitUrl, branch: o.gitBranch },
      recipients: o.recipients,
      clusters: sources.clusters.map((c) => ({ name: c.name, role: c.role, provider: c.provider })),
      writes: [...writes, ...dex.writes].filter((w) => !ENV_TARGETS.has(w.target)),
      header: [
        `Environment "${o.name}", imported from compliantkubernetes-apps ${sources.version} by \`npx nx g @ck8s/tools:import-ck8s\`.`,
        'IMPORT.md next to this file lists every ck8s key: what moved here, what changed meaning, what has no equivalent.',
        'Settings layer as: built-in defaults < flavor < provider < this file < <cluster>.yaml. Maps merge, lists replace.',
        'Values marked "ck8s: <key>" came from that key of the ck8s config.',
      ],
      catalog: deps.catalog,
    });
  } catch (e) {
    if (!(e instanceof ImportRejected)) throw e;
    throw new Error(
      `${G}: the imported configuration is rejected by our config loader, and not by a value the importer could leave out; nothing was written ` +
        `(change the ck8s values named below, or the flavor):\n${e.message}`,
      { cause: e },
    );
  }

  // Secrets: imported values where readable, new-environment's values and placeholders otherwise.
  const reqs = requiredSecrets(assembled.env, deps.catalog);
  const extra: ImportedValues = new Map([[sc.name, dex.values]]);
  const imported = importSecretValues(
    reqs,
    sources.clusters.map((c) => ({ cluster: c.name, file: fileOf(c) })),
    extra,
  );
  const connectorsRow = imported.leaves.find((l) => l.key === 'dex.connectors' && l.file === fileOf(sc)?.path);
  if (connectorsRow && dex.row) {
    connectorsRow.outcome = dex.row.outcome;
    connectorsRow.destinations = ['components.dex.connectors', ...[...dex.values.keys()].map((k) => k.replace(/\/([^/]+)$/, ' $1'))];
    if (dex.dropped.length) connectorsRow.note = `${connectorsRow.note}; not imported: ${dex.dropped.join('; ')}`;
  }
  const { files: secretTexts, report: secretsReport } = await buildImportedSecrets(o.name, assembled.env, o.recipients, imported.values, deps);
  const importedValues = [...imported.values.values()].flatMap((m) => [...m.values()]);

  const dir = envDir(o.name);
  const files = new Map<string, string>();
  for (const [file, text] of Object.entries(assembled.files)) files.set(`${dir}/${file}`, text);
  files.set(`${dir}/.sops.yaml`, sopsCreationRules({ pathRegex: SECRETS_PATH_REGEX, recipients: o.recipients }));
  for (const [path, text] of secretTexts) files.set(path, text);
  const result: ImportResult = {
    name: o.name,
    files: [],
    sources,
    leaves,
    secretLeaves: imported.leaves,
    manual: imported.manual,
    secrets: secretsReport,
    assembled,
    secretFiles: [...secretFiles.values()],
    importedValues,
  };
  files.set(`${dir}/IMPORT.md`, importReport(result));
  // Only through the Tree, once everything is made: --dry-run lists the files, a failure writes nothing.
  for (const [path, text] of files) tree.write(path, text);
  result.files = [...files.keys()];

  const log = logOf(deps);
  const counts = countOutcomes(leaves);
  log(
    `Environment ${o.name}: ${sources.flavor} on ${sources.provider}, ` +
      `clusters ${sources.clusters.map((c) => `${c.name} (${c.role})`).join(', ')}; files under ${dir}/`,
  );
  log(
    `ck8s keys: ${Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')} (environments/${o.name}/IMPORT.md)`,
  );
  for (const f of secretFiles.values()) log(f.plain ? `Imported credentials from ${f.path}.` : `Did not import credentials from ${f.path}: ${f.reason}`);
  for (const line of formatSecretsReport(o.name, secretsReport, o.recipients)) log(line);
  for (const w of secretsReport.warnings) warnOf(deps)(w);
  return result;
}

export function countOutcomes(leaves: LeafResult[]): Record<string, number> {
  const out: Record<string, number> = { mapped: 0, default: 0, different: 0, none: 0, replaced: 0 };
  for (const l of leaves) out[l.outcome]++;
  return out;
}

export function nextSteps(r: ImportResult): string {
  const env = r.name;
  return formatNextSteps([
    `Read environments/${env}/IMPORT.md: every ck8s key, what changed meaning and what has no equivalent.`,
    r.manual.length ? `Copy or rotate the ${r.manual.length} credential(s) IMPORT.md lists under "Secrets", with sops.` : undefined,
    fillPlaceholdersStep(r.secrets.placeholders),
    `Render and review:  npx nx run ${env}:render && npx nx run ${env}:validate`,
    'Migrate each cluster as IMPORT.md ("Migration steps") says: bootstrap Flux, adopt the releases one by one, then retire ck8s apply.',
  ]);
}

export default async function importCk8sGenerator(tree: Tree, schema: ImportCk8sSchema): Promise<GeneratorCallback> {
  const result = await importCk8s(tree, schema);
  return () => logOf({})(nextSteps(result));
}
