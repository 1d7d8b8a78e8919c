import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { snapshot, tempDir } from '@ck8s/testing';
import { ChartFetchError, HELM_LAYER, parseChallenge } from './chart-registry';
import { chartDirs, fetchChart, fetchMissingCharts } from './chart-source';
import { checkChartValues, loadChartDefaults } from './chart-values';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let work: ReturnType<typeof tempDir>;

/** A packed chart as `helm package` lays it out: `<name>/Chart.yaml`, values, schema, subcharts under charts/. */
function packChart(name: string, version: string, files: Record<string, string | Buffer>): Buffer {
  const dir = join(work.dir, 'src', `${name}-${version}-${Math.random().toString(36).slice(2)}`);
  for (const [path, content] of Object.entries({ 'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\n`, ...files })) {
    mkdirSync(join(dir, name, path, '..'), { recursive: true });
    writeFileSync(join(dir, name, path), content);
  }
  const out = `${dir}.tgz`;
  const r = spawnSync('tar', ['--format=pax', '-czf', out, '-C', dir, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return readFileSync(out);
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A plain HTTP server on 127.0.0.1 that answers from a route table and records what was asked. */
async function serve(routes: Record<string, Handler>): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes[(req.url ?? '').split('?')[0]];
    if (route) route(req, res);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections(); // a test that let a request hang must not keep the server open
    return new Promise<void>((ok) => server.close(() => ok()));
  };
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

const send =
  (body: string | Buffer, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    res.writeHead(200, headers).end(body);

const SUB = () => packChart('packed', '0.1.0', { 'values.yaml': 'packedKey: 1\n' });
const DEMO = () =>
  packChart('demo', '1.2.0', {
    'Chart.yaml':
      'apiVersion: v2\nname: demo\nversion: 1.2.0\ndependencies:\n  - { name: sub, version: 0.3.0 }\n  - { name: packed, version: 0.1.0, alias: pk }\n',
    'values.yaml': 'replicas: 1\nsub: {}\n# pathType: Prefix\n',
    'values.schema.json': '{"properties":{"replicas":{"type":"integer"}}}',
    'templates/deployment.yaml': 'kind: Deployment\n',
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.3.0\n',
    'charts/sub/values.yaml': 'subKey: 1\n',
    'charts/packed-0.1.0.tgz': SUB(),
  });

beforeAll(() => {
  work = tempDir('ck8s-chart-source-');
});
afterAll(() => work.cleanup());

let cache: string;
beforeEach(() => {
  cache = join(work.dir, `cache-${Math.random().toString(36).slice(2)}`);
});

/** Nothing half-written: no chart folder and no leftover temporary folder. */
const cacheIsEmpty = () => {
  expect(snapshot(cache)).toEqual({});
  expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
};

describe('charts from an https Helm repository', () => {
  let demo: Buffer;
  let repo: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    demo = DEMO();
    const index = {
      apiVersion: 'v1',
      entries: {
        demo: [
          { version: '1.2.0', urls: ['charts/demo-1.2.0.tgz'], digest: sha256(demo) },
          { version: '1.1.0', urls: ['charts/demo-1.1.0.tgz'] },
          { version: '1.0.0', urls: ['charts/demo-1.2.0.tgz'], digest: '0'.repeat(64) },
          { version: '0.9.0', urls: ['charts/not-a-tgz.tgz'] },
        ],
      },
    };
    repo = await serve({
      '/repo/index.yaml': send(YAML.stringify(index)),
      '/repo/charts/demo-1.2.0.tgz': send(demo),
      '/repo/charts/not-a-tgz.tgz': send('<html>moved</html>'),
    });
  });
  afterAll(() => repo.close());

  it('reads index.yaml, resolves the relative archive URL against the repository and caches chart and subcharts', async () => {
    await fetchChart({ chart: 'demo', version: '1.2.0', repository: `${repo.url}/repo` }, cache);
    expect(repo.requests).toContain('/repo/charts/demo-1.2.0.tgz');
    expect(Object.keys(snapshot(cache)).sort()).toEqual([
      'demo/1.2.0/Chart.yaml',
      'demo/1.2.0/values.schema.json',
      'demo/1.2.0/values.yaml',
      'packed/0.1.0/Chart.yaml',
      'packed/0.1.0/values.yaml',
      'sub/0.3.0/Chart.yaml',
      'sub/0.3.0/values.yaml',
    ]);
    const defaults = loadChartDefaults(cache, 'demo', '1.2.0')!;
    expect(defaults.values).toEqual({ replicas: 1, sub: {} });
    expect(defaults.commented?.has('pathType')).toBe(true);
    expect(defaults.subcharts?.sub?.values).toEqual({ subKey: 1 });
    expect(defaults.subcharts?.pk?.values).toEqual({ packedKey: 1 });
  });

  it('charts of one repository read its index once per run, and a failed read is reported for each of them', async () => {
    const indexes = new Map<string, Promise<string>>();
    const before = repo.requests.filter((r) => r === '/repo/index.yaml').length;
    await fetchChart({ chart: 'demo', version: '1.2.0', repository: `${repo.url}/repo` }, cache, { indexes });
    const again = await fetchChart({ chart: 'demo', version: '1.1.0', repository: `${repo.url}/repo` }, cache, { indexes }).catch((e: Error) => e);
    expect((again as Error).message).toMatch(/demo-1\.1\.0\.tgz: HTTP 404/);
    expect(repo.requests.filter((r) => r === '/repo/index.yaml').length - before).toBe(1);
    const down = await serve({});
    await down.close();
    const shared = new Map<string, Promise<string>>();
    const errors = await Promise.all(
      ['a', 'b'].map((chart) => fetchChart({ chart, version: '1.0.0', repository: down.url }, cache, { indexes: shared }).catch((e: Error) => e.message)),
    );
    expect(errors).toEqual(['a', 'b'].map((chart) => `cannot fetch chart ${chart} 1.0.0 from ${down.url}/index.yaml: ECONNREFUSED`));
  });

  const failing = async (version: string, repository = `${repo.url}/repo`) => {
    const error = await fetchChart({ chart: 'demo', version, repository }, cache).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChartFetchError);
    cacheIsEmpty();
    return (error as Error).message;
  };

  it('an unknown version names the chart, the version and the index URL', async () => {
    expect(await failing('7.7.7')).toBe(
      `cannot fetch chart demo 7.7.7 from ${repo.url}/repo/index.yaml: ` +
        'the repository index has no version 7.7.7 of demo (listed first: 1.2.0, 1.1.0, 1.0.0, 0.9.0)',
    );
  });

  it('a digest that does not match the index is refused', async () => {
    expect(await failing('1.0.0')).toBe(
      `cannot fetch chart demo 1.0.0 from ${repo.url}/repo/charts/demo-1.2.0.tgz: ` +
        `digest mismatch: the index says sha256:${'0'.repeat(64)}, the download is sha256:${sha256(demo)}`,
    );
  });

  it('a 404 names the archive URL', async () => {
    expect(await failing('1.1.0')).toBe(`cannot fetch chart demo 1.1.0 from ${repo.url}/repo/charts/demo-1.1.0.tgz: HTTP 404 Not Found`);
  });

  it('a download that is not a chart archive is refused', async () => {
    expect(await failing('0.9.0')).toMatch(
      new RegExp(`^cannot fetch chart demo 0\\.9\\.0 from ${repo.url}/repo/charts/not-a-tgz\\.tgz: the download is not a gzip-compressed tar archive`),
    );
  });

  it('an archive of another version than the index promised is refused', async () => {
    const other = await serve({
      '/index.yaml': send(YAML.stringify({ entries: { demo: [{ version: '2.0.0', urls: ['demo.tgz'] }] } })),
      '/demo.tgz': send(demo),
    });
    try {
      expect(await failing('2.0.0', other.url)).toBe(
        `cannot fetch chart demo 2.0.0 from ${other.url}/demo.tgz: the archive holds chart demo 1.2.0, not demo 2.0.0`,
      );
    } finally {
      await other.close();
    }
  });

  it('a cache that cannot be written is an error, and no temporary folder or partial version folder is left', async () => {
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'demo'), 'a file where the chart folder should go');
    const error = await fetchChart({ chart: 'demo', version: '1.2.0', repository: `${repo.url}/repo` }, cache).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot fetch chart demo 1\\.2\\.0 from ${repo.url}/repo/charts/demo-1\\.2\\.0\\.tgz: downloaded, but the cache at ${cache} cannot be written`,
      ),
    );
    expect(readdirSync(cache).filter((f) => f.startsWith('.'))).toEqual([]);
    // Subcharts go in first, each complete; the chart's own folder never appeared.
    expect(Object.keys(snapshot(cache)).sort()).toEqual([
      'demo',
      'packed/0.1.0/Chart.yaml',
      'packed/0.1.0/values.yaml',
      'sub/0.3.0/Chart.yaml',
      'sub/0.3.0/values.yaml',
    ]);
  });

  it('a repository that is down names the index URL', async () => {
    const down = await serve({});
    await down.close();
    expect(await failing('1.2.0', down.url)).toBe(`cannot fetch chart demo 1.2.0 from ${down.url}/index.yaml: ECONNREFUSED`);
  });

  it('a repository that does not answer in time is given up', async () => {
    const slow = await serve({ '/index.yaml': () => undefined });
    try {
      const error = await fetchChart({ chart: 'demo', version: '1.2.0', repository: slow.url }, cache, { timeoutMs: 200 }).catch((e: Error) => e);
      expect((error as Error).message).toBe(`cannot fetch chart demo 1.2.0 from ${slow.url}/index.yaml: no answer within 0.2 s`);
      cacheIsEmpty();
    } finally {
      await slow.close();
    }
  });
});

describe('charts from an OCI registry', () => {
  const TOKEN = 'anonymous-pull-token';
  let registry: Awaited<ReturnType<typeof serve>>;
  let demo: Buffer;
  let blobBody: Buffer;
  beforeAll(async () => {
    demo = packChart('demo', '1.2.0+build.1', { 'values.yaml': 'replicas: 1\n' });
    blobBody = demo;
    const config = Buffer.from('{"name":"demo","version":"1.2.0+build.1"}');
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
      layers: [{ mediaType: HELM_LAYER, digest: `sha256:${sha256(demo)}`, size: demo.length }],
    });
    const withToken =
      (h: Handler): Handler =>
      (req, res) => {
        if (req.headers.authorization === `Bearer ${TOKEN}`) return h(req, res);
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${registry.url}/token",service="fake-registry",scope="repository:charts/demo:pull"` }).end();
      };
    registry = await serve({
      '/token': (req, res) => {
        const q = new URL(req.url ?? '', registry.url).searchParams;
        if (q.get('service') !== 'fake-registry' || q.get('scope') !== 'repository:charts/demo:pull') return res.writeHead(400).end();
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
      },
      '/v2/charts/demo/manifests/1.2.0_build.1': withToken((req, res) => {
        if (!String(req.headers.accept).includes('application/vnd.oci.image.manifest.v1+json')) return res.writeHead(406).end();
        res
          .writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': `sha256:${sha256(Buffer.from(manifest))}` })
          .end(manifest);
      }),
      [`/v2/charts/demo/blobs/sha256:${sha256(demo)}`]: withToken((_req, res) => res.writeHead(200).end(blobBody)),
      '/v2/basic/demo/manifests/1.2.0': (_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private"' }).end(),
    });
  });
  afterAll(() => registry.close());

  it('answers the token challenge, reads the manifest by tag (+ written as _) and caches the chart layer', async () => {
    await fetchChart({ chart: 'demo', version: '1.2.0+build.1', repository: `oci://${registry.url.slice(7)}/charts` }, cache);
    expect(registry.requests.filter((r) => r.startsWith('/token'))).toHaveLength(1);
    expect(snapshot(cache)).toEqual({
      'demo/1.2.0+build.1/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.2.0+build.1\n',
      'demo/1.2.0+build.1/values.yaml': 'replicas: 1\n',
    });
  });

  it('a blob whose digest does not match the manifest is refused, nothing cached', async () => {
    blobBody = Buffer.concat([demo, Buffer.from('tampered')]);
    try {
      const error = await fetchChart({ chart: 'demo', version: '1.2.0+build.1', repository: `oci://${registry.url.slice(7)}/charts` }, cache).catch(
        (e: Error) => e,
      );
      expect((error as Error).message).toBe(
        `cannot fetch chart demo 1.2.0+build.1 from ${registry.url}/v2/charts/demo/blobs/sha256:${sha256(demo)}: ` +
          `digest mismatch: the manifest says sha256:${sha256(demo)}, the download is sha256:${sha256(blobBody)}`,
      );
      cacheIsEmpty();
    } finally {
      blobBody = demo;
    }
  });

  it('an unknown tag names the manifest URL', async () => {
    const error = await fetchChart({ chart: 'demo', version: '9.9.9', repository: `oci://${registry.url.slice(7)}/charts` }, cache).catch((e: Error) => e);
    expect((error as Error).message).toBe(`cannot fetch chart demo 9.9.9 from ${registry.url}/v2/charts/demo/manifests/9.9.9: HTTP 404 Not Found`);
    cacheIsEmpty();
  });

  it('a registry that wants credentials says so', async () => {
    const error = await fetchChart({ chart: 'demo', version: '1.2.0', repository: `oci://${registry.url.slice(7)}/basic` }, cache).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /from http:\/\/127\.0\.0\.1:\d+\/v2\/basic\/demo\/manifests\/1\.2\.0: the registry asks for credentials \(Basic realm="private"\)/,
    );
  });

  it("reads Docker Hub's challenge", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:bitnamicharts/thanos:pull"')).toEqual({
      scheme: 'Bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:bitnamicharts/thanos:pull' },
    });
  });
});

describe('validate: lookup order, prefetch and findings', () => {
  let repo: Awaited<ReturnType<typeof serve>>;
  let root: string;
  beforeAll(async () => {
    const demo = DEMO();
    repo = await serve({
      '/index.yaml': send(YAML.stringify({ entries: { demo: [{ version: '1.2.0', urls: ['demo-1.2.0.tgz'], digest: sha256(demo) }] } })),
      '/demo-1.2.0.tgz': send(demo),
    });
    root = join(work.dir, 'workspace');
    mkdirSync(root, { recursive: true });
  });
  afterAll(() => repo.close());
  beforeEach(() => {
    vi.stubEnv('CK8S_SHARED_DIR', join(work.dir, 'no-shared-data'));
    vi.stubEnv('CK8S_CHARTS_DIR', undefined);
    vi.stubEnv('CK8S_OFFLINE', undefined);
    vi.stubEnv('CI', undefined);
    vi.stubEnv('CK8S_CHART_CACHE', cache);
  });
  afterEach(() => vi.unstubAllEnvs());

  /** A rendered environment with one overlay of the demo chart, pinned at `version`. */
  const tree = (version: string, values = 'replicas: 2\nreplica: 3\n') =>
    new Map([
      ['clusters/e/c/components/demo/values.yaml', values],
      ['clusters/e/c/components/demo/kustomization.yaml', 'resources:\n  - ../../../bases/demo\n'],
      [
        'clusters/e/bases/demo/release.yaml',
        `kind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: demo\n      version: ${version}\n` +
          '      sourceRef:\n        kind: HelmRepository\n        name: demo\n',
      ],
      ['clusters/e/bases/demo/source.yaml', `kind: HelmRepository\nmetadata:\n  name: demo\nspec:\n  url: ${repo.url}\n`],
    ]);

  it('fetches a chart no folder holds, then checks the values against it; the next run reads the cache', async () => {
    expect(await fetchMissingCharts(root, tree('1.2.0'))).toEqual(new Map());
    expect(checkChartValues(root, tree('1.2.0')).map((f) => `${f.severity} ${f.message}`)).toEqual([
      `error values key "replica" is not in chart demo@1.2.0's defaults or values schema; Helm would ignore it silently`,
    ]);
    const asked = repo.requests.length;
    expect(await fetchMissingCharts(root, tree('1.2.0'))).toEqual(new Map());
    expect(repo.requests.length).toBe(asked);
  });

  it('a pre-seeded folder comes before the download cache and is never fetched over', async () => {
    const seeded = join(work.dir, 'seeded');
    mkdirSync(join(seeded, 'demo', '1.2.0'), { recursive: true });
    writeFileSync(join(seeded, 'demo', '1.2.0', 'values.yaml'), 'replicas: 1\nreplica: 1\n');
    vi.stubEnv('CK8S_CHARTS_DIR', seeded);
    expect(chartDirs(root)).toEqual([seeded, join(work.dir, 'no-shared-data', 'charts'), cache]);
    const asked = repo.requests.length;
    expect(await fetchMissingCharts(root, tree('1.2.0'))).toEqual(new Map());
    expect(repo.requests.length).toBe(asked);
    expect(checkChartValues(root, tree('1.2.0'))).toEqual([]);
    cacheIsEmpty();
  });

  const missing = (url: string, reason: string) =>
    `no defaults for chart demo 9.9.9 in ${chartDirs(root).join(', ')}, and fetching it failed: ${url}: ${reason}; its values keys were not checked`;

  it('a chart that can be neither found nor fetched is a warning naming chart, version and URL', async () => {
    const failures = await fetchMissingCharts(root, tree('9.9.9'));
    expect(checkChartValues(root, tree('9.9.9'), failures)).toEqual([
      {
        check: 'chart-values',
        severity: 'warning',
        file: 'clusters/e/c/components/demo/values.yaml',
        message: missing(`${repo.url}/index.yaml`, 'the repository index has no version 9.9.9 of demo (listed first: 1.2.0)'),
      },
    ]);
    cacheIsEmpty();
  });

  it('with CI=true the same message is an error', async () => {
    vi.stubEnv('CI', 'true');
    const failures = await fetchMissingCharts(root, tree('9.9.9'));
    expect(checkChartValues(root, tree('9.9.9'), failures).map((f) => `${f.severity} ${f.message}`)).toEqual([
      `error ${missing(`${repo.url}/index.yaml`, 'the repository index has no version 9.9.9 of demo (listed first: 1.2.0)')}`,
    ]);
  });

  it('CK8S_OFFLINE fetches nothing and says so', async () => {
    vi.stubEnv('CK8S_OFFLINE', '1');
    const asked = repo.requests.length;
    const failures = await fetchMissingCharts(root, tree('9.9.9'));
    expect(repo.requests.length).toBe(asked);
    expect(checkChartValues(root, tree('9.9.9'), failures).map((f) => f.message)).toEqual([missing(repo.url, 'not fetched, CK8S_OFFLINE is set')]);
  });
});
