import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deepFreeze } from './tree';

/** A key for cached results: a hash of everything the result is computed from (texts, in order, and a format tag). */
export function contentKey(...parts: (string | undefined)[]): string {
  const h = createHash('sha256');
  // Each part is length-prefixed, so no two different lists hash alike; absent parts differ from empty ones.
  for (const p of parts) h.update(p === undefined ? '-\0' : `${p.length}:`).update(p ?? '');
  return h.digest('hex');
}

/** Whether JSON keeps the value exactly: plain objects, arrays, strings, finite numbers, booleans and null. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as object).every(isPlainJson);
}

const memory = new Map<string, unknown>();

/** Forgets what this process computed (tests: the next read comes from disk, or is computed). */
export function forgetCachedJson(): void {
  memory.clear();
  onDisk.clear();
}

/** Cache files this process read or wrote. */
const onDisk = new Set<string>();

function write(dir: string, file: string, value: unknown): void {
  if (onDisk.has(file) || !isPlainJson(value)) return;
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
    onDisk.add(file);
  } catch {
    // A read-only or full disk: the next run computes it again.
  }
}

/**
 * A result computed from file contents, kept by `key` (contentKey of those contents) in this process and
 * as JSON under `dir` for the next one. A value JSON would change is not written, only kept in memory; a
 * cache entry that cannot be read is computed again, one that cannot be written is skipped (the cache
 * only saves time). Writes go through a temporary file, so a process running alongside never reads half.
 * Values are frozen: every caller gets the same one.
 */
export function cachedJson<T>(dir: string | undefined, key: string, compute: () => T): T {
  const file = dir && join(dir, `${key}.json`);
  if (memory.has(key)) {
    const value = memory.get(key) as T;
    if (dir && file) write(dir, file, value);
    return value;
  }
  if (file) {
    try {
      const value = deepFreeze(JSON.parse(readFileSync(file, 'utf8')) as T);
      memory.set(key, value);
      onDisk.add(file);
      return value;
    } catch {
      // Not cached yet, or unreadable: compute it.
    }
  }
  const value = deepFreeze(compute());
  memory.set(key, value);
  if (dir && file) write(dir, file, value);
  return value;
}
