import { createHash } from 'node:crypto';
import { indexEntries, type IndexEntry } from './helm-index';

/** A chart version and the public source that publishes it: an https Helm repository or an oci:// registry. */
export interface ChartRef {
  chart: string;
  version: string;
  repository: string;
}

/** A download that failed, naming the chart, its version and the URL that failed. */
export class ChartFetchError extends Error {
  constructor(
    readonly ref: Pick<ChartRef, 'chart' | 'version'>,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot fetch chart ${ref.chart} ${ref.version} from ${url}: ${reason}`);
    this.name = 'ChartFetchError';
  }
}

export interface DownloadOptions {
  /** Per request (default 60 s): a firewall that drops packets must not hang validate. */
  timeoutMs?: number;
  /** Repository indexes already read in this run, by index URL (charts of one repository share it). */
  indexes?: Map<string, Promise<string>>;
}

export const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/** One GET; a network failure or a non-2xx answer (other than those `allow`ed) becomes a ChartFetchError. */
async function get(
  ref: ChartRef,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  allow: number[] = [],
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok && !allow.includes(res.status)) throw new ChartFetchError(ref, url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    if (e instanceof ChartFetchError) throw e;
    throw new ChartFetchError(ref, url, networkReason(e, timeoutMs));
  }
}

/** From an https Helm repository: its index.yaml names the archive URL (relative to the repository) and its sha256. */
async function fromHelmRepository(ref: ChartRef, timeoutMs: number, indexes: Map<string, Promise<string>>): Promise<{ archive: Buffer; url: string }> {
  const base = ref.repository.endsWith('/') ? ref.repository : `${ref.repository}/`;
  const indexUrl = new URL('index.yaml', base).href;
  const read = indexes.get(indexUrl) ?? get(ref, indexUrl, {}, timeoutMs).then(({ body }) => body.toString('utf8'));
  indexes.set(indexUrl, read);
  let entries: IndexEntry[] | undefined;
  try {
    entries = indexEntries(await read, ref.chart);
  } catch (e) {
    // A shared index read that failed for another chart first is reported for this one too.
    if (e instanceof ChartFetchError) throw new ChartFetchError(ref, e.url, e.reason);
    throw new ChartFetchError(ref, indexUrl, `the repository index is not YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!entries) throw new ChartFetchError(ref, indexUrl, `the repository index has no chart ${ref.chart}`);
  const entry = entries.find((e) => String(e.version) === ref.version);
  if (!entry) {
    const known = entries
      .slice(0, 5)
      .map((e) => String(e.version))
      .join(', ');
    throw new ChartFetchError(ref, indexUrl, `the repository index has no version ${ref.version} of ${ref.chart}${known ? ` (listed first: ${known})` : ''}`);
  }
  const first = Array.isArray(entry.urls) ? entry.urls[0] : undefined;
  if (typeof first !== 'string') throw new ChartFetchError(ref, indexUrl, `the index entry for ${ref.chart} ${ref.version} has no urls`);
  const url = new URL(first, base).href;
  const { body } = await get(ref, url, {}, timeoutMs);
  if (typeof entry.digest === 'string' && entry.digest) {
    const expected = entry.digest.replace(/^sha256:/, '').toLowerCase();
    const actual = sha256(body);
    if (actual !== expected) throw new ChartFetchError(ref, url, `digest mismatch: the index says sha256:${expected}, the download is sha256:${actual}`);
  }
  return { archive: body, url };
}

/** Registries on this machine speak plain HTTP, as Docker and Helm allow for them. */
function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"` → its parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.trim().split(/\s+/)[0] ?? '';
  const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return { scheme, params };
}

/** An anonymous pull token from the realm the registry's 401 challenge names (Docker Hub: auth.docker.io). */
async function anonymousToken(ref: ChartRef, challenge: string | null, name: string, timeoutMs: number, challengedUrl: string): Promise<string> {
  const { scheme, params } = parseChallenge(challenge ?? '');
  if (scheme.toLowerCase() !== 'bearer' || !params.realm) {
    throw new ChartFetchError(
      ref,
      challengedUrl,
      `the registry asks for credentials (${challenge ?? 'no WWW-Authenticate challenge'}); only anonymous pulls are supported`,
    );
  }
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${name}:pull`);
  const { body } = await get(ref, url.href, {}, timeoutMs);
  let token: unknown;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown };
    token = parsed.token ?? parsed.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !token) throw new ChartFetchError(ref, url.href, 'the token service answered without a token');
  return token;
}

/**
 * From an OCI registry (distribution API): the manifest tagged with the chart version (Helm writes `+`
 * as `_` in tags), then its Helm chart layer. A 401 is answered with an anonymous bearer token.
 */
async function fromOciRegistry(ref: ChartRef, timeoutMs: number): Promise<{ archive: Buffer; url: string }> {
  const m = /^oci:\/\/([^/]+)\/?(.*)$/.exec(ref.repository);
  if (!m) throw new ChartFetchError(ref, ref.repository, 'not an oci:// reference');
  const host = m[1];
  const name = [m[2].replace(/\/+$/, ''), ref.chart].filter(Boolean).join('/');
  const base = `${isLoopback(host) ? 'http' : 'https'}://${host}/v2/${name}`;
  let token: string | undefined;
  const pull = async (url: string, accept?: string) => {
    const headers = (): Record<string, string> => ({ ...(accept ? { Accept: accept } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) });
    let res = await get(ref, url, headers(), timeoutMs, token ? [] : [401]);
    if (res.status === 401) {
      token = await anonymousToken(ref, res.headers.get('www-authenticate'), name, timeoutMs, url);
      res = await get(ref, url, headers(), timeoutMs);
    }
    return res;
  };
  const manifestUrl = `${base}/manifests/${ref.version.replace(/\+/g, '_')}`;
  const manifest = await pull(manifestUrl, OCI_MANIFEST);
  const announced = manifest.headers.get('docker-content-digest');
  if (announced?.startsWith('sha256:') && announced.slice(7) !== sha256(manifest.body)) {
    throw new ChartFetchError(ref, manifestUrl, `manifest digest mismatch: the registry says ${announced}, the manifest is sha256:${sha256(manifest.body)}`);
  }
  let layers: { mediaType?: string; digest?: string }[] = [];
  try {
    layers = (JSON.parse(manifest.body.toString('utf8')) as { layers?: typeof layers }).layers ?? [];
  } catch {
    throw new ChartFetchError(ref, manifestUrl, 'the manifest is not JSON');
  }
  const layer = layers.find((l) => l.mediaType === HELM_LAYER);
  if (!layer?.digest) throw new ChartFetchError(ref, manifestUrl, `the manifest has no Helm chart layer (${HELM_LAYER})`);
  if (!layer.digest.startsWith('sha256:')) throw new ChartFetchError(ref, manifestUrl, `unsupported layer digest ${layer.digest}`);
  const url = `${base}/blobs/${layer.digest}`;
  const blob = await pull(url);
  const actual = sha256(blob.body);
  if (actual !== layer.digest.slice(7))
    throw new ChartFetchError(ref, url, `digest mismatch: the manifest says ${layer.digest}, the download is sha256:${actual}`);
  return { archive: blob.body, url };
}

/** The chart's .tgz, verified against the digest its source publishes; throws ChartFetchError naming what failed. */
export async function downloadChart(ref: ChartRef, options: DownloadOptions = {}): Promise<{ archive: Buffer; url: string }> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (ref.repository.startsWith('oci://')) return fromOciRegistry(ref, timeoutMs);
  if (/^https?:\/\//.test(ref.repository)) return fromHelmRepository(ref, timeoutMs, options.indexes ?? new Map());
  throw new ChartFetchError(ref, ref.repository, 'the repository is neither an https Helm repository nor an oci:// registry');
}
