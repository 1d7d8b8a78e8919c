import { inspectSops } from './sops-inspect';
import { objectRef } from '@ck8s/manifest';
import type { Finding } from './finding';
import { objectsIn, type Tree } from './tree';

/** Shapes of credentials that must never appear in plaintext (private keys, cloud and VCS tokens). */
const SECRET_SHAPES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]{20,}/, 'an age identity (private key)'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/, 'a Slack webhook URL'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
];

/** Scans text for token-shaped values; SOPS ciphertext (ENC[...]) and age armor never match. */
export function findSecretShapes(text: string): string[] {
  return SECRET_SHAPES.filter(([re]) => re.test(text)).map(([, what]) => what);
}

/**
 * Whether the text can hold an object of kind Secret, without parsing it. A YAML scalar reads "Secret"
 * only if those six letters stand in the text (plain, quoted, block, anchored or tagged alike: folding
 * adds a space) or an escape spells them (`"\x53ecret"`), which needs a backslash. Any other file
 * cannot hold one, so only these few are parsed.
 */
export function mayHoldSecret(text: string): boolean {
  return text.includes('Secret') || text.includes('\\');
}

/**
 * No plaintext Secret anywhere in the rendered output, no private-key or token-shaped value in any
 * file, and every SOPS file well-formed (encrypted values, a valid MAC field).
 */
export function checkRenderedSecrets(tree: Tree): Finding[] {
  const findings: Finding[] = [];
  for (const [file, text] of tree) {
    for (const what of findSecretShapes(text))
      findings.push({
        check: 'secrets',
        severity: 'error',
        file,
        message: `contains ${what} in plaintext; move it into a SOPS-encrypted Secret under environments/<env>/secrets/`,
      });
    if (!file.endsWith('.yaml') || !mayHoldSecret(text)) continue;
    let objects;
    try {
      objects = objectsIn(tree, file);
    } catch {
      continue;
    }
    for (const { object } of objects) {
      if (object.kind !== 'Secret') continue;
      if (!('sops' in object)) {
        findings.push({
          check: 'secrets',
          severity: 'error',
          file,
          object: objectRef(object),
          message: 'plaintext Secret in rendered output; encrypt it with `sops --encrypt --in-place` under environments/<env>/secrets/',
        });
      }
    }
    if (text.includes('\nsops:') || text.startsWith('sops:')) {
      for (const problem of inspectSops(text, file).problems) findings.push({ check: 'secrets', severity: 'error', file, message: problem });
    }
  }
  return findings;
}
