import YAML from 'yaml';
import { isAgeRecipient } from './age-keys';
import { DEFAULT_ENCRYPTED_REGEX } from './encrypt';
import { goRegExp } from './go-compat';

/**
 * `.sops.yaml` for an environment folder, so that `sops --encrypt` run there picks the environment's
 * recipients and the Secret-only encrypted_regex. It is not a Kubernetes object: it lives under
 * environments/<env>/, outside every path Flux applies.
 */
export interface CreationRule {
  /** Matched by sops against the file path (relative to the .sops.yaml folder in current sops). */
  pathRegex: string;
  recipients: string[];
  encryptedRegex?: string;
}

export function sopsCreationRules(rules: CreationRule | CreationRule[]): string {
  const list = Array.isArray(rules) ? rules : [rules];
  if (list.length === 0) throw new Error('at least one creation rule is required');
  const creation_rules = list.map((r) => {
    if (!r.recipients?.length) throw new Error(`creation rule ${r.pathRegex}: at least one age recipient is required`);
    const bad = r.recipients.filter((x) => !isAgeRecipient(x));
    if (bad.length) throw new Error(`creation rule ${r.pathRegex}: not age recipients: ${bad.join(', ')}`);
    for (const re of [r.pathRegex, r.encryptedRegex ?? DEFAULT_ENCRYPTED_REGEX]) {
      try {
        goRegExp(re);
      } catch (e) {
        throw new Error(`creation rule: invalid regex ${JSON.stringify(re)}: ${(e as Error).message}`, { cause: e });
      }
    }
    return { path_regex: r.pathRegex, encrypted_regex: r.encryptedRegex ?? DEFAULT_ENCRYPTED_REGEX, age: r.recipients.join(',') };
  });
  const body = YAML.stringify({ creation_rules }, { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
  return `# Generated: sops reads this when encrypting files in this folder. Not a Kubernetes object; keep it out of Flux paths.\n${body}`;
}
