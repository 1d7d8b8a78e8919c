import { z } from 'zod';
import { DnsLabel, DomainName, FLAVORS, PROVIDERS, RESERVED_CLUSTER_NAMES, type Flavor, type Provider } from '@ck8s/config';
import { isAgeRecipient } from '@ck8s/secrets';

/**
 * Option checks shared by the generators. Each returns every problem of a run at once, each message
 * naming the option, what was given and what is expected, so the operator fixes all in one go.
 */

export class OptionErrors extends Error {
  constructor(
    readonly generator: string,
    readonly problems: string[],
  ) {
    super(
      `${generator}: ${problems.length} invalid option${problems.length === 1 ? '' : 's'}; nothing was written:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'OptionErrors';
  }
}

const show = (v: unknown) => JSON.stringify(v);

/** A list option given as `a,b` on the command line, as an array by Nx, or programmatically. */
export function splitList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((v) => String(v).trim()).filter((v) => v !== '');
}

/** An environment or cluster name: a lower-case DNS label, so never a path (`/`, `\`, `..`). */
export function checkDnsLabel(option: string, value: unknown, what: string): string[] {
  if (typeof value !== 'string' || value === '') return [`--${option}: required: ${what} (a lower-case DNS label such as "acme-prod")`];
  if (/[/\\]/.test(value) || value.includes('..')) return [`--${option}: ${show(value)} must be a plain name, not a path (no "/", "\\" or "..")`];
  if (!DnsLabel.safeParse(value).success) {
    return [
      `--${option}: ${show(value)} is not a valid ${what}: ` +
        'use a lower-case DNS label (letters a-z, digits and "-", starting with a letter, not ending with "-", at most 40 characters)',
    ];
  }
  return [];
}

export function checkClusterName(option: string, value: string): string[] {
  const problems = checkDnsLabel(option, value, 'cluster name');
  if (problems.length) return problems;
  if (RESERVED_CLUSTER_NAMES.includes(value)) {
    return [
      `--${option}: cluster name ${show(value)} is reserved (${RESERVED_CLUSTER_NAMES.join(', ')} are folders of the rendered output); choose another name`,
    ];
  }
  return [];
}

export function checkDomain(option: string, value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [`--${option}: required: the base domain, e.g. "acme.example.com"`];
  if (!DomainName.safeParse(value).success) {
    return [
      `--${option}: ${show(value)} is not a valid domain: ` +
        'expected a lower-case DNS name with at least two labels, e.g. "acme.example.com" (no scheme, port, path or trailing dot)',
    ];
  }
  return [];
}

export function checkEnum<T extends string>(option: string, value: unknown, allowed: readonly T[]): string[] {
  if (typeof value !== 'string' || value === '') return [`--${option}: required: one of ${allowed.join(', ')}`];
  if (!(allowed as readonly string[]).includes(value)) return [`--${option}: ${show(value)} is not one of ${allowed.join(', ')}`];
  return [];
}

export const checkFlavor = (value: unknown): string[] => checkEnum<Flavor>('flavor', value, FLAVORS);
export const checkProvider = (option: string, value: unknown): string[] => checkEnum<Provider>(option, value, PROVIDERS);

export function checkRecipients(option: string, recipients: string[]): string[] {
  if (recipients.length === 0) {
    return [`--${option}: required: at least one age recipient (public key "age1..."), e.g. from \`age-keygen -o age.agekey\` (comma-separate several)`];
  }
  const problems: string[] = [];
  for (const r of recipients) {
    if (r.startsWith('AGE-SECRET-KEY-'))
      problems.push(
        `--${option}: that is an age PRIVATE key; ` +
          'pass its public key (age1...), printed by `age-keygen -y <key file>`, and keep the private key out of the repository',
      );
    else if (!isAgeRecipient(r))
      problems.push(
        `--${option}: ${show(r)} is not an age recipient: expected a public key "age1..." (X25519) or "age1pq1..." (post-quantum), as printed by age-keygen`,
      );
  }
  const dupes = recipients.filter((r, i) => recipients.indexOf(r) !== i);
  if (dupes.length) problems.push(`--${option}: recipient listed twice: ${[...new Set(dupes)].join(', ')}`);
  return problems;
}

export function checkGitUrl(option: string, value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [`--${option}: required: the Git repository Flux pulls from (ssh://... or https://...)`];
  if (!/^(ssh|https):\/\/[^\s/]+\/\S+$/.test(value)) {
    const hint = /^[^@\s]+@[^:\s]+:/.test(value) ? ` (scp-style "${value}" is not accepted by Flux: write ssh://${value.replace(':', '/')})` : '';
    return [`--${option}: ${show(value)} is not an ssh:// or https:// Git URL${hint}, e.g. ssh://git@github.com/acme/platform.git`];
  }
  return [];
}

export function checkGitBranch(option: string, value: unknown): string[] {
  if (typeof value !== 'string' || !/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/.test(value) || value.endsWith('/') || value.endsWith('.lock')) {
    return [`--${option}: ${show(value)} is not a valid Git branch name`];
  }
  return [];
}

export function checkEmail(option: string, value: unknown): string[] {
  if (typeof value !== 'string' || value === '')
    return [`--${option}: required: the ACME account e-mail for Let's Encrypt (certificate expiry notices), e.g. ops@acme.example.com`];
  if (!z.email().safeParse(value).success) return [`--${option}: ${show(value)} is not a valid e-mail address`];
  return [];
}
