import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { decryptSopsYaml, isAgeRecipient } from '@ck8s/secrets';
import { OptionErrors } from './options';
import type { ExistingSecretFile } from './tree';

/**
 * What the day-2 generators (add-workload-cluster, sync-secrets) need to read existing SOPS files:
 * the age private key, the recipients new files are encrypted for, and plain values of decrypted
 * Secrets.
 */

export interface IdentitySources {
  /** age identities (key-file text) given directly (tests, programmatic callers). */
  identities?: string[];
  /** Environment variables to read SOPS_AGE_KEY_FILE / SOPS_AGE_KEY from (default: process.env). */
  environ?: NodeJS.ProcessEnv;
}

/** The age key to decrypt with: given identities, else --ageKeyFile, else $SOPS_AGE_KEY_FILE, else $SOPS_AGE_KEY. */
export function loadAgeIdentities(
  generator: string,
  ageKeyFile: string | undefined,
  o: IdentitySources = {},
): { identities: string[]; source: string } | undefined {
  if (o.identities?.length) return { identities: o.identities, source: 'the given identities' };
  const environ = o.environ ?? process.env;
  const file = ageKeyFile ?? environ.SOPS_AGE_KEY_FILE;
  if (file) {
    const path = resolve(file);
    if (!existsSync(path)) throw new OptionErrors(generator, [`--ageKeyFile: ${path} does not exist`]);
    return { identities: [readFileSync(path, 'utf8')], source: path };
  }
  if (environ.SOPS_AGE_KEY) return { identities: [environ.SOPS_AGE_KEY], source: '$SOPS_AGE_KEY' };
  return undefined;
}

const SAMPLE_SECRET_PATH = 'secrets/example.sops.yaml';

/** Recipients of the .sops.yaml creation rule for secrets/ (what `sops` itself would encrypt new files for). */
export function recipientsFromSopsConfig(text: string | null): string[] | undefined {
  if (!text) return undefined;
  let rules: unknown;
  try {
    rules = (YAML.parse(text) as { creation_rules?: unknown } | null)?.creation_rules;
  } catch {
    return undefined;
  }
  if (!Array.isArray(rules)) return undefined;
  for (const rule of rules as { path_regex?: string; age?: string | string[] }[]) {
    let matches = rule.path_regex === undefined;
    try {
      matches ||= new RegExp(rule.path_regex as string).test(SAMPLE_SECRET_PATH);
    } catch {
      continue;
    }
    if (!matches || rule.age === undefined) continue;
    const list = (Array.isArray(rule.age) ? rule.age : String(rule.age).split(',')).map((r) => String(r).trim()).filter(Boolean);
    if (list.length) return list;
  }
  return undefined;
}

/**
 * The recipients new files are encrypted for: config.yaml's `sops.ageRecipients`, else the .sops.yaml
 * creation rule for secrets/. When both list recipients they must agree (as sets): a half-done
 * rotation would otherwise leave new files readable by other keys than the existing ones.
 */
export function encryptionRecipients(generator: string, envName: string, fromConfig: string[], sopsYaml: string | null): string[] {
  const fromSops = recipientsFromSopsConfig(sopsYaml);
  const recipients = fromConfig.length ? fromConfig : (fromSops ?? []);
  const source = fromConfig.length ? 'config.yaml (sops.ageRecipients)' : '.sops.yaml';
  if (!recipients.length)
    throw new Error(
      `${generator}: no age recipients: environments/${envName}/config.yaml has no sops.ageRecipients ` +
        'and .sops.yaml no creation rule for secrets/; nothing was written',
    );
  const bad = recipients.filter((r) => !isAgeRecipient(r));
  if (bad.length) throw new Error(`${generator}: invalid age recipients in environments/${envName}/${source}: ${bad.join(', ')}; nothing was written`);
  if (fromConfig.length && fromSops && [...fromSops].sort().join() !== [...fromConfig].sort().join()) {
    throw new Error(
      [
        `${generator}: config.yaml (sops.ageRecipients) and .sops.yaml list different age recipients; nothing was written.`,
        `  config.yaml: ${fromConfig.join(', ')}`,
        `  .sops.yaml:  ${fromSops.join(', ')}`,
        'Make them agree first (tools/generators/README.md, "Rotating recipients"), so new files are readable by exactly the intended keys.',
      ].join('\n'),
    );
  }
  return recipients;
}

/** Decrypts existing files, each at most once; a failure names the file and where the key came from. */
export function fileDecrypter(generator: string, key: { identities: string[]; source: string } | undefined, pathOf: (f: ExistingSecretFile) => string) {
  const decrypted = new Map<ExistingSecretFile, Promise<Record<string, unknown>>>();
  return (f: ExistingSecretFile): Promise<Record<string, unknown>> => {
    let pending = decrypted.get(f);
    if (!pending) {
      pending = decryptSopsYaml(f.text, key?.identities ?? [], { filename: pathOf(f) }).catch((e: Error) => {
        throw new Error(`${generator}: cannot decrypt ${pathOf(f)} with the age key from ${key?.source ?? 'nowhere'}: ${e.message}`);
      });
      decrypted.set(f, pending);
    }
    return pending;
  };
}

/** Plain value of a key of a decrypted Secret (stringData, or base64 data). */
export function plainValue(obj: Record<string, unknown>, key: string): string | undefined {
  const sd = obj.stringData as Record<string, unknown> | undefined;
  if (sd && sd[key] !== undefined && sd[key] !== null) return String(sd[key]);
  const data = obj.data as Record<string, unknown> | undefined;
  if (data && typeof data[key] === 'string') return Buffer.from(data[key] as string, 'base64').toString('utf8');
  return undefined;
}
