import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import Handlebars from 'handlebars';
import YAML from 'yaml';
import { FLAVOR_DEFAULTS, type Flavor } from '@ck8s/config';
import { requiredSecrets } from '@ck8s/render';
import { sopsCreationRules } from '@ck8s/secrets';
import {
  checkClusterName,
  checkDnsLabel,
  checkDomain,
  checkEmail,
  checkFlavor,
  checkGitBranch,
  checkGitUrl,
  checkProvider,
  checkRecipients,
  OptionErrors,
  splitList,
} from '../lib/options';
import {
  buildSecretFile,
  defaultEncrypt,
  emptyReport,
  fillPlaceholdersStep,
  formatNextSteps,
  formatSecretsReport,
  logOf,
  warnOf,
  type GeneratorDeps,
  type SecretsReport,
} from '../lib/secret-files';
import { bootstrapStep } from '../lib/bootstrap-steps';
import { placeSecrets, shareLengths, ValueSource } from '../lib/secret-plan';
import { clustersDir, envDir, EnvironmentLoadError, loadEnvironmentFiles, secretsDir } from '../lib/tree';
import type { NewEnvironmentSchema } from './schema';

/** sops matches this against the file's path relative to the .sops.yaml folder (environments/<env>/). */
export const SECRETS_PATH_REGEX = '(^|/)secrets/.+\\.sops\\.yaml$';

export interface NormalizedNewEnvironment {
  name: string;
  flavor: Flavor;
  provider: string;
  domain: string;
  managementCluster: string;
  workloadClusters: string[];
  recipients: string[];
  gitUrl: string;
  gitBranch: string;
  email: string;
  /** Extra settings merged into config.yaml (`--settings`), e.g. what a flavor/provider pair requires. */
  settings?: Record<string, unknown>;
}

/** Keys that have their own option; `--settings` may not set them. */
const OPTION_KEYS: Record<string, string> = {
  version: '',
  flavor: '--flavor',
  provider: '--provider',
  domain: '--domain',
  git: '--gitUrl/--gitBranch',
  sops: '--ageRecipient',
  clusters: '--workloadClusters/--managementCluster',
};

function parseSettings(value: unknown, problems: string[]): Record<string, unknown> | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = YAML.parse(value);
    } catch (e) {
      problems.push(`--settings: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`--settings: expected a map of config.yaml settings, e.g. '{components: {velero: {azure: {resourceGroup: rg, storageAccount: sa}}}}'`);
    return undefined;
  }
  for (const key of Object.keys(parsed)) {
    if (key in OPTION_KEYS) problems.push(`--settings: "${key}" is set by ${OPTION_KEYS[key] || 'the generator'}, not by --settings`);
  }
  return parsed as Record<string, unknown>;
}

/** Sets every leaf of `settings` in the rendered config (lists are leaves: they replace), keeping its comments. */
function applySettings(text: string, settings: Record<string, unknown> | undefined): string {
  if (!settings) return text;
  const doc = YAML.parseDocument(text);
  const before = new Set(Object.keys((doc.toJS() ?? {}) as object));
  const visit = (value: unknown, path: string[]) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    } else if (path.length) doc.setIn(path, doc.createNode(value)); // an empty map at the top sets nothing
  };
  visit(settings, []);
  const root = doc.contents as YAML.YAMLMap<unknown, unknown>;
  for (const pair of root.items) {
    const key = YAML.isScalar(pair.key) ? pair.key : (pair.key = doc.createNode(pair.key) as YAML.Scalar);
    if (before.has(String(key.value))) continue;
    key.spaceBefore = true;
    key.commentBefore = ' Given with --settings.';
  }
  return doc.toString({ lineWidth: 0 });
}

export interface NewEnvironmentResult {
  options: NormalizedNewEnvironment;
  /** Workspace-relative paths of every file written. */
  files: string[];
  secrets: SecretsReport;
}

/** Checks every option and reports all problems together; throws OptionErrors before anything is written. */
export function normalizeOptions(tree: Tree, o: NewEnvironmentSchema): NormalizedNewEnvironment {
  const problems: string[] = [];
  const name = typeof o.name === 'string' ? o.name.trim() : o.name;
  problems.push(...checkDnsLabel('name', name, 'environment name'));
  if (problems.length === 0) {
    if (tree.exists(envDir(name)))
      problems.push(
        `--name: environment "${name}" already exists (environments/${name}/); ` +
          `choose another name or remove it first with \`npx nx g @ck8s/tools:remove-environment --name ${name}\``,
      );
    else if (tree.exists(clustersDir(name)))
      problems.push(
        `--name: clusters/${name}/ already exists without environments/${name}/ (output of a removed environment?); delete it or choose another name`,
      );
  }
  problems.push(...checkFlavor(o.flavor));
  problems.push(...checkProvider('provider', o.provider));
  problems.push(...checkDomain('domain', o.domain));

  const managementCluster = o.managementCluster ?? 'management';
  problems.push(...checkClusterName('managementCluster', managementCluster));
  const workloadClusters = splitList(o.workloadClusters ?? 'workload');
  if (workloadClusters.length === 0)
    problems.push('--workloadClusters: at least one workload cluster is required, e.g. --workloadClusters apps-1 (comma-separate several)');
  for (const w of workloadClusters) problems.push(...checkClusterName('workloadClusters', w));
  const all = [managementCluster, ...workloadClusters];
  const dupes = [...new Set(all.filter((c, i) => all.indexOf(c) !== i))];
  if (dupes.length)
    problems.push(
      `--workloadClusters: cluster name${dupes.length === 1 ? '' : 's'} ${dupes.map((d) => `"${d}"`).join(', ')} used twice ` +
        '(cluster names must be unique in an environment, the management cluster included)',
    );

  const recipients = splitList(o.ageRecipient);
  problems.push(...checkRecipients('ageRecipient', recipients));
  problems.push(...checkGitUrl('gitUrl', o.gitUrl));
  const gitBranch = o.gitBranch ?? 'main';
  problems.push(...checkGitBranch('gitBranch', gitBranch));
  problems.push(...checkEmail('email', o.email));
  const settings = parseSettings(o.settings, problems);
  if (problems.length) throw new OptionErrors('new-environment', problems);
  return {
    name,
    flavor: o.flavor,
    provider: o.provider,
    domain: o.domain,
    managementCluster,
    workloadClusters,
    recipients,
    gitUrl: o.gitUrl,
    gitBranch,
    email: o.email,
    settings,
  };
}

let template: HandlebarsTemplateDelegate | undefined;

/** environments/<name>/config.yaml from files/config.yaml.hbs; every value is written as a YAML scalar. */
export function renderConfig(o: NormalizedNewEnvironment): string {
  if (!template) {
    const hb = Handlebars.create();
    hb.registerHelper('yaml', (v: unknown) => YAML.stringify(String(v)).trimEnd());
    template = hb.compile(readFileSync(join(__dirname, 'files', 'config.yaml.hbs'), 'utf8'), { noEscape: true, strict: true });
  }
  const issuer = String((FLAVOR_DEFAULTS[o.flavor].certificates as { issuer: string }).issuer);
  return applySettings(template({ ...o, issuer }), o.settings);
}

export async function newEnvironment(tree: Tree, schema: NewEnvironmentSchema, deps: GeneratorDeps = {}): Promise<NewEnvironmentResult> {
  const o = normalizeOptions(tree, schema);
  const dir = envDir(o.name);
  const configFiles = { 'config.yaml': renderConfig(o) };
  // The written config goes through the real loader before anything is written: it must load as is.
  let env;
  try {
    env = loadEnvironmentFiles(o.name, configFiles, deps.catalog);
  } catch (e) {
    if (!(e instanceof EnvironmentLoadError)) throw e;
    throw new Error(
      'new-environment: the config these options make is rejected by the config loader; nothing was written ' +
        `(add what it asks for with --settings '{...}', or choose another flavor or provider):\n${e.message}`,
      { cause: e },
    );
  }

  const report = emptyReport();
  const reqs = requiredSecrets(env, deps.catalog);
  const values = new ValueSource({ random: deps.random, bcryptCost: deps.bcryptCost, lengths: shareLengths(reqs), onValue: deps.onGeneratedValue });
  const files = new Map<string, string>([
    [`${dir}/config.yaml`, configFiles['config.yaml']],
    [`${dir}/.sops.yaml`, sopsCreationRules({ pathRegex: SECRETS_PATH_REGEX, recipients: o.recipients })],
  ]);
  for (const p of placeSecrets(reqs, report.warnings)) {
    const path = `${secretsDir(o.name)}/${p.relPath}`;
    files.set(path, await buildSecretFile({ ...p, path }, values, o.recipients, deps.encrypt ?? defaultEncrypt, report));
  }
  // Only through the Tree, and only once every file is made: --dry-run lists them, a failure writes nothing.
  for (const [path, text] of files) tree.write(path, text);

  const log = logOf(deps);
  log(`Environment ${o.name}: ${o.flavor} on ${o.provider}, clusters ${[o.managementCluster, ...o.workloadClusters].join(', ')}; files under ${dir}/`);
  for (const line of formatSecretsReport(o.name, report, o.recipients)) log(line);
  for (const w of report.warnings) warnOf(deps)(w);
  return { options: o, files: [...files.keys()], secrets: report };
}

export function nextSteps(env: string, report: SecretsReport, clusters: readonly string[]): string {
  return formatNextSteps([
    fillPlaceholdersStep(report.placeholders),
    `Render:    npx nx run ${env}:render`,
    `Validate:  npx nx run ${env}:validate   (and npx nx run ${env}:drift)`,
    `Commit environments/${env}/ and clusters/${env}/ together and open a pull request.`,
    bootstrapStep(env, clusters),
  ]);
}

export default async function newEnvironmentGenerator(tree: Tree, schema: NewEnvironmentSchema): Promise<GeneratorCallback> {
  const result = await newEnvironment(tree, schema);
  return () => logOf({})(nextSteps(result.options.name, result.secrets, [result.options.managementCluster, ...result.options.workloadClusters]));
}
