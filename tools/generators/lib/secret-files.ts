import { logger } from '@nx/devkit';
import type { Component } from '@ck8s/components';
import { encryptSecret, type RandomSource } from '@ck8s/secrets';
import { secretManifest, type ValueSource, type PlannedSecret, type Recipe } from './secret-plan';

/** Encrypts one Secret manifest for the recipients; returns SOPS YAML and which engine made it. */
export type EncryptFn = (manifest: Record<string, unknown>, recipients: string[]) => Promise<{ text: string; engine: string }>;

/** The sops binary when one is on PATH (or $SOPS_BIN), the built-in encrypter otherwise. */
export const defaultEncrypt: EncryptFn = (manifest, recipients) => encryptSecret(manifest, { recipients });

/** What tests (and other callers) may replace; the Nx entry points use the defaults. */
export interface GeneratorDeps {
  catalog?: readonly Component[];
  random?: RandomSource;
  bcryptCost?: number;
  encrypt?: EncryptFn;
  /** Receives every generated plain value (never logged or written in plain text). */
  onGeneratedValue?: (value: string) => void;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

export const logOf = (deps: GeneratorDeps) => deps.log ?? ((m: string) => logger.info(m));
export const warnOf = (deps: GeneratorDeps) => deps.warn ?? ((m: string) => logger.warn(m));

export interface SecretFileReport {
  /** Workspace-relative path. */
  path: string;
  action: 'create' | 'update';
  name: string;
  namespace: string;
  clusters: string[];
  keys: string[];
  engine: string;
}

export interface PlaceholderReport {
  path: string;
  secret: string;
  key: string;
  hint: string;
}

export interface SecretsReport {
  files: SecretFileReport[];
  placeholders: PlaceholderReport[];
  warnings: string[];
}

export const emptyReport = (): SecretsReport => ({ files: [], placeholders: [], warnings: [] });

/** Values an update keeps from the decrypted file, per key. */
export type KeepValues = Record<string, { value?: string; htpasswdLines?: Map<string, string> }>;

/**
 * Makes the values of one planned Secret and encrypts it. Returns the SOPS text; nothing is
 * written here, so callers write every file at the end, after every check passed.
 */
export async function buildSecretFile(
  p: PlannedSecret & { path: string },
  values: ValueSource,
  recipients: string[],
  encrypt: EncryptFn,
  report: SecretsReport,
  options: { action?: 'create' | 'update'; keep?: KeepValues; base?: Record<string, unknown> } = {},
): Promise<string> {
  const stringData: Record<string, string> = {};
  for (const [key, recipe] of Object.entries(p.recipes) as [string, Recipe][]) {
    const { value, placeholder } = await values.value(recipe, options.keep?.[key]);
    stringData[key] = value;
    if (placeholder !== undefined) report.placeholders.push({ path: p.path, secret: `${p.namespace}/${p.name}`, key, hint: placeholder });
  }
  const manifest = options.base ? mergeIntoSecret(options.base, stringData) : secretManifest(p.name, p.namespace, stringData);
  const { text, engine } = await encrypt(manifest, recipients);
  report.files.push({
    path: p.path,
    action: options.action ?? 'create',
    name: p.name,
    namespace: p.namespace,
    clusters: p.clusters,
    keys: Object.keys(stringData),
    engine,
  });
  return text;
}

/** An existing (decrypted) Secret with some keys set anew; its other keys and metadata stay as they were. */
function mergeIntoSecret(base: Record<string, unknown>, stringData: Record<string, string>): Record<string, unknown> {
  const out = structuredClone(base);
  const data = (out.data ?? undefined) as Record<string, unknown> | undefined;
  const sd = { ...((out.stringData ?? {}) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(stringData)) {
    if (data && k in data) delete data[k];
    sd[k] = v;
  }
  if (data && Object.keys(data).length === 0) delete out.data;
  out.stringData = sd;
  return out;
}

/** The next step that fills placeholders in: one `sops <file>` per file, with its keys; undefined when there are none. */
export function fillPlaceholdersStep(placeholders: { path: string; key: string }[]): string | undefined {
  if (!placeholders.length) return undefined;
  const byFile = new Map<string, string[]>();
  for (const p of placeholders) byFile.set(p.path, [...(byFile.get(p.path) ?? []), p.key]);
  return [
    `Fill in the ${placeholders.length} placeholder value(s) (REPLACE-ME: ...), with SOPS_AGE_KEY_FILE set to the age key:`,
    ...[...byFile].map(([path, keys]) => `     sops ${path}   # ${keys.join(', ')}`),
  ].join('\n');
}

/** The text a generator's task prints at the end: the steps that apply, numbered. */
export function formatNextSteps(steps: (string | undefined)[]): string {
  return ['Next steps:', ...steps.filter((s): s is string => !!s).map((s, i) => `  ${i + 1}. ${s}`)].join('\n');
}

/** The lines the generators print: what was written, and every placeholder a person must fill in. */
export function formatSecretsReport(env: string, report: SecretsReport, recipients: string[]): string[] {
  const lines: string[] = [];
  if (report.files.length) {
    const engines = [...new Set(report.files.map((f) => f.engine))].join(', ');
    lines.push(`SOPS-encrypted Secrets (age, ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}, engine: ${engines}):`);
    for (const f of report.files) {
      lines.push(`  ${f.action === 'update' ? '~' : '+'} ${f.path}  (${f.namespace}/${f.name} [${f.keys.join(', ')}] for ${f.clusters.join(', ')})`);
    }
  } else lines.push('No Secrets to generate: the enabled components need none that do not exist yet.');
  if (report.placeholders.length) {
    lines.push('', `Values only you can provide (encrypted placeholders "REPLACE-ME: ..."; validate cannot see them, Flux would apply them as they are):`);
    for (const p of report.placeholders) {
      const [first, ...more] = p.hint.trim().split('\n');
      lines.push(`  ${p.path}  ${p.key}: ${first}${more.length ? ' …' : ''}`);
    }
    const files = [...new Set(report.placeholders.map((p) => p.path))];
    lines.push(`  Fill them in with sops (needs the age private key, e.g. SOPS_AGE_KEY_FILE=~/.config/sops/age/${env}.agekey):`);
    for (const f of files) lines.push(`    sops ${f}`);
  }
  return lines;
}
