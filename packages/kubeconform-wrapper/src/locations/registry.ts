import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { compileSchema, type CompiledSchema } from '../schema/compile';
import { downloadSchema, SchemaDiskCache, type FetchFunction, type RemoteSchema } from './remote';
import { expandTemplate, parseSchemaLocation, templateVariables, type SchemaLocation } from './template';

export type SchemaLookup =
  { status: 'found'; schema: CompiledSchema; source: string } | { status: 'missing'; tried: string[] } | { status: 'error'; message: string };

export interface RegistryOptions {
  locations: string[];
  strict: boolean;
  kubernetesVersion: string;
  cacheDir?: string;
  concurrency?: number;
  fetchTimeoutMs?: number;
  fetch?: FetchFunction;
  debug?: (line: string) => void;
}

/**
 * Compiled schemas shared by every registry in the process: the platform validates many clusters
 * against the same files, and compiling a large CRD schema costs more than validating with it.
 * Files are keyed by path, size and mtime; downloads by the hash of their content.
 */
const compiledSchemas = new Map<string, CompiledSchema | Error>();

function compileCached(key: string, text: () => string): CompiledSchema | Error | undefined {
  const hit = compiledSchemas.get(key);
  if (hit) return hit;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text());
  } catch {
    return undefined; // kubeconform moves on to the next location when a schema does not parse
  }
  let compiled: CompiledSchema | Error;
  try {
    compiled = compileSchema(parsed);
  } catch (e) {
    compiled = e as Error;
  }
  compiledSchemas.set(key, compiled);
  return compiled;
}

/**
 * Finds the schema for a kind the way kubeconform does: each location in order, the first that has
 * the file wins, a 404 or missing file moves on, any other failure stops the search.
 *
 * `lookup` is synchronous so the validator can be; remote schemas must have been downloaded by
 * `prefetch` (or be in the cache folder) first.
 */
export class SchemaRegistry {
  private readonly locations: SchemaLocation[];
  private readonly remote = new Map<string, RemoteSchema>();
  private readonly downloads = new Map<string, Promise<void>>();
  private readonly lookups = new Map<string, SchemaLookup>();
  private readonly diskCache?: SchemaDiskCache;

  constructor(private readonly options: RegistryOptions) {
    const given = options.locations.length > 0 ? options.locations : ['default'];
    this.locations = given.map(parseSchemaLocation);
    if (options.cacheDir) this.diskCache = new SchemaDiskCache(options.cacheDir);
  }

  private targets(kind: string, apiVersion: string): { location: SchemaLocation; target: string }[] {
    const vars = templateVariables(kind, apiVersion, this.options.kubernetesVersion, this.options.strict);
    return this.locations.map((location) => ({ location, target: expandTemplate(location.template, vars) }));
  }

  lookup(kind: string, apiVersion: string): SchemaLookup {
    const memoKey = `${apiVersion}|${kind}`;
    let result = this.lookups.get(memoKey);
    if (!result) {
      result = this.search(kind, apiVersion);
      this.lookups.set(memoKey, result);
    }
    return result;
  }

  private search(kind: string, apiVersion: string): SchemaLookup {
    const tried: string[] = [];
    for (const { location, target } of this.targets(kind, apiVersion)) {
      tried.push(target);
      const compiled = location.remote ? this.compileRemote(target) : this.compileFile(target);
      if (compiled === undefined) {
        this.options.debug?.(`no schema at ${target}`);
        continue;
      }
      if ('status' in compiled) return compiled;
      if (compiled instanceof Error) return { status: 'error', message: `failed compiling schema at ${target}: ${compiled.message}` };
      this.options.debug?.(`using schema found at ${target}`);
      for (const w of compiled.warnings) this.options.debug?.(`${target}: ${w}`);
      return { status: 'found', schema: compiled, source: target };
    }
    return { status: 'missing', tried };
  }

  private compileFile(path: string): CompiledSchema | Error | SchemaLookup | undefined {
    let stat;
    try {
      stat = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { status: 'error', message: `failed reading schema at ${path}: ${(e as Error).message}` };
    }
    if (!stat.isFile()) return undefined;
    return compileCached(`file:${path}:${stat.size}:${stat.mtimeMs}`, () => readFileSync(path, 'utf8'));
  }

  private compileRemote(url: string): CompiledSchema | Error | SchemaLookup | undefined {
    let entry = this.remote.get(url);
    if (!entry) {
      entry = this.diskCache?.read(url);
      if (entry) this.remote.set(url, entry);
    }
    if (!entry) {
      return { status: 'error', message: `schema at ${url} has not been downloaded (use the asynchronous validate(), or seed the cache folder)` };
    }
    if (entry.status === 'missing') return undefined;
    if (entry.status === 'error') return { status: 'error', message: entry.message };
    const body = entry.body;
    return compileCached(`sha256:${createHash('sha256').update(body).digest('hex')}`, () => body);
  }

  /** Downloads what `lookup` will need for these kinds: remote locations in order until one has the schema. */
  async prefetch(signatures: Iterable<{ kind: string; apiVersion: string }>): Promise<void> {
    if (!this.locations.some((l) => l.remote)) return;
    const unique = new Map<string, { kind: string; apiVersion: string }>();
    for (const s of signatures) unique.set(`${s.apiVersion}|${s.kind}`, s);
    const queue = [...unique.values()];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await this.prefetchOne(s.kind, s.apiVersion);
    };
    const n = Math.max(1, Math.min(this.options.concurrency ?? 4, queue.length));
    await Promise.all(Array.from({ length: n }, worker));
  }

  private async prefetchOne(kind: string, apiVersion: string): Promise<void> {
    for (const { location, target } of this.targets(kind, apiVersion)) {
      if (!location.remote) {
        if (this.compileFile(target) !== undefined) return;
        continue;
      }
      await this.download(target);
      const entry = this.remote.get(target);
      if (entry?.status !== 'missing') return;
    }
  }

  private download(url: string): Promise<void> {
    if (this.remote.has(url)) return Promise.resolve();
    const cached = this.diskCache?.read(url);
    if (cached) {
      this.remote.set(url, cached);
      return Promise.resolve();
    }
    let pending = this.downloads.get(url);
    if (!pending) {
      const fetchImpl = this.options.fetch ?? (globalThis.fetch as unknown as FetchFunction);
      pending = downloadSchema(url, fetchImpl, this.options.fetchTimeoutMs ?? 30_000).then((result) => {
        this.options.debug?.(`downloaded ${url}: ${result.status}`);
        this.remote.set(url, result);
        this.diskCache?.write(url, result);
      });
      this.downloads.set(url, pending);
    }
    return pending;
  }
}
