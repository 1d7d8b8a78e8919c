import { createHash } from 'node:crypto';

/**
 * A short, stable digest of some content. Jobs are immutable, so a Job that applies configuration
 * carries the digest of that configuration in its name: a change renders a new Job (Flux prunes the
 * old one), an unchanged configuration renders the same Job and nothing re-runs.
 */
export function contentHash(content: unknown): string {
  return createHash('sha256')
    .update(typeof content === 'string' ? content : JSON.stringify(content))
    .digest('hex')
    .slice(0, 8);
}

/** Environment variable name for a secret key (`writer-a` → `WRITER_A`). */
export function envName(...parts: string[]): string {
  return parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
