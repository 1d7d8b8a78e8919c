import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a schema URL gave: its body, a 404 (try the next location), or a failure (stop, like kubeconform). */
export type RemoteSchema = { status: 'found'; body: string } | { status: 'missing' } | { status: 'error'; message: string };

/**
 * Remote schemas on disk, one file per URL (named by the URL's SHA-256), so a run with a seeded
 * cache needs no network. 404s are remembered too (`.missing`): kubeconform tries locations in
 * order and a CRD is normally absent from the Kubernetes location, so an offline run must know
 * that without asking. Delete the folder to refresh.
 */
export class SchemaDiskCache {
  constructor(private readonly dir: string) {}

  private base(url: string): string {
    return join(this.dir, createHash('sha256').update(url).digest('hex'));
  }

  read(url: string): RemoteSchema | undefined {
    const base = this.base(url);
    try {
      return { status: 'found', body: readFileSync(`${base}.json`, 'utf8') };
    } catch {
      return existsSync(`${base}.missing`) ? { status: 'missing' } : undefined;
    }
  }

  write(url: string, result: RemoteSchema): void {
    if (result.status === 'error') return;
    mkdirSync(this.dir, { recursive: true });
    const target = `${this.base(url)}.${result.status === 'found' ? 'json' : 'missing'}`;
    // Write then rename, so a parallel run never reads half a schema.
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, result.status === 'found' ? result.body : `${url}\n`);
    renameSync(tmp, target);
  }

  /** Where a URL's schema is stored (tests seed caches with it). */
  pathFor(url: string): string {
    return `${this.base(url)}.json`;
  }
}

export type FetchFunction = (url: string, init?: { signal?: AbortSignal }) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

/** Downloads one schema with kubeconform's error wording. */
export async function downloadSchema(url: string, fetchImpl: FetchFunction, timeoutMs: number): Promise<RemoteSchema> {
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 404) return { status: 'missing' };
    if (!res.ok) return { status: 'error', message: `error while downloading schema at ${url} - received HTTP status ${res.status}` };
    return { status: 'found', body: await res.text() };
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return { status: 'error', message: `failed downloading schema at ${url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}` };
  }
}
