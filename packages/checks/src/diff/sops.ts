import type { K8sObject } from '@ck8s/manifest';

/**
 * What can be read of a SOPS file without its key: which keys exist, each value's ciphertext (its
 * `data:` part, whose length is the plaintext's length in base64) and the recipients.
 */
export interface SopsInfo {
  values: Record<string, string>;
  recipients: string[];
}

const ENC = /^ENC\[[A-Z0-9_]+,data:([^,]*),/;

export function sopsInfo(o: K8sObject): SopsInfo | undefined {
  if (!('sops' in o)) return undefined;
  const meta = (o as { sops?: { age?: { recipient?: string }[]; pgp?: { fp?: string }[] } }).sops ?? {};
  const values: Record<string, string> = {};
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      const m = ENC.exec(v);
      if (m) values[path] = m[1];
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  const { sops: _sops, ...rest } = o as K8sObject & { sops: unknown };
  walk(rest, '');
  const recipients = [...(meta.age ?? []).map((a) => a.recipient ?? ''), ...(meta.pgp ?? []).map((p) => p.fp ?? '')].filter(Boolean).sort();
  return { values, recipients };
}

/** The readable structure of a SOPS file: every ciphertext replaced by a marker, the metadata left out. */
export function withoutCiphertext(o: K8sObject): unknown {
  const hide = (v: unknown): unknown =>
    typeof v === 'string' && ENC.test(v)
      ? '<encrypted>'
      : Array.isArray(v)
        ? v.map(hide)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hide(x)]))
          : v;
  const { sops: _sops, ...rest } = o as K8sObject & { sops: unknown };
  return hide(rest);
}

/**
 * What changed in a SOPS file, in words and without values. Every encryption draws a fresh IV, so a
 * different ciphertext alone does not prove a different value; a different ciphertext length does.
 */
export function describeSopsChange(before: SopsInfo, after: SopsInfo): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(before.values), ...Object.keys(after.values)])].sort();
  const added = keys.filter((k) => !(k in before.values));
  const removed = keys.filter((k) => !(k in after.values));
  const both = keys.filter((k) => k in before.values && k in after.values);
  const differ = both.filter((k) => before.values[k] !== after.values[k]);
  const resized = differ.filter((k) => before.values[k].length !== after.values[k].length);
  const sameSize = differ.filter((k) => !resized.includes(k));
  if (added.length) out.push(`key${added.length > 1 ? 's' : ''} added: ${added.map(code).join(', ')}`);
  if (removed.length) out.push(`key${removed.length > 1 ? 's' : ''} removed: ${removed.map(code).join(', ')}`);
  if (resized.length) out.push(`value changed (ciphertext length differs): ${resized.map(code).join(', ')}`);
  if (sameSize.length) {
    out.push(
      sameSize.length === both.length && !resized.length
        ? `re-encrypted: every value has a new ciphertext of the same length (${sameSize.map(code).join(', ')}); values may be unchanged`
        : `value possibly changed (new ciphertext, same length): ${sameSize.map(code).join(', ')}`,
    );
  }
  const gone = before.recipients.filter((r) => !after.recipients.includes(r));
  const come = after.recipients.filter((r) => !before.recipients.includes(r));
  if (come.length || gone.length) out.push(`recipients changed: ${[...come.map((r) => `+${r}`), ...gone.map((r) => `-${r}`)].map(code).join(', ')}`);
  return out;
}

const code = (s: string) => `\`${s}\``;
