import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
import { validate, validateDocuments } from '../validate';
import { SchemaDiskCache } from './remote';
import { DEFAULT_SCHEMA_LOCATION, expandTemplate, parseSchemaLocation, sharedSchemaLocations, templateVariables } from './template';

function expand(location: string, kind: string, apiVersion: string, version = '1.36.0', strict = true): string {
  return expandTemplate(parseSchemaLocation(location).template, templateVariables(kind, apiVersion, version, strict));
}

describe('schema location templates', () => {
  it('computes kubeconform variables (KindSuffix from the first label of the group)', () => {
    expect(templateVariables('ClusterRole', 'rbac.authorization.k8s.io/v1', '1.36.0', true)).toEqual({
      NormalizedKubernetesVersion: 'v1.36.0',
      StrictSuffix: '-strict',
      ResourceKind: 'clusterrole',
      ResourceAPIVersion: 'v1',
      Group: 'rbac.authorization.k8s.io',
      KindSuffix: '-rbac-v1',
    });
    expect(templateVariables('ConfigMap', 'v1', 'master', false)).toMatchObject({
      NormalizedKubernetesVersion: 'master',
      StrictSuffix: '',
      KindSuffix: '-v1',
      Group: 'v1',
    });
    // kubeconform prefixes "v" to whatever is not "master", so both engines look in the same (here wrong) folder
    expect(templateVariables('ConfigMap', 'v1', 'v1.36.0', false).NormalizedKubernetesVersion).toBe('vv1.36.0');
  });

  it('expands default, bare folders and explicit templates like kubeconform', () => {
    expect(parseSchemaLocation('default').template).toBe(DEFAULT_SCHEMA_LOCATION);
    expect(expand('default', 'Deployment', 'apps/v1')).toBe(
      'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.36.0-standalone-strict/deployment-apps-v1.json',
    );
    expect(expand('/schemas/', 'Deployment', 'apps/v1')).toBe('/schemas/v1.36.0-standalone-strict/deployment-apps-v1.json');
    expect(expand('https://x/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json', 'HelmRelease', 'helm.toolkit.fluxcd.io/v2')).toBe(
      'https://x/helm.toolkit.fluxcd.io/helmrelease_v2.json',
    );
    expect(parseSchemaLocation('https://x/y.json').remote).toBe(true);
    expect(() => parseSchemaLocation('/s/{{ .Nope }}.json')).toThrow(/failed initialising schema location registry/);
  });

  it('returns the two CI templates for a shared root', () => {
    expect(sharedSchemaLocations('/work/shared')).toEqual([
      '/work/shared/schemas/kubernetes/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json',
      '/work/shared/schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
    ]);
  });
});

describe.skipIf(!hasShared('schemas'))('shared schema layout', () => {
  it('maps every core kind to its file name in the shared folder', () => {
    const dir = sharedDir('schemas', 'kubernetes', 'v1.36.0-standalone-strict');
    const [core] = sharedSchemaLocations(sharedDir());
    for (const file of readdirSync(dir)) {
      const [gvk] = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))['x-kubernetes-group-version-kind'];
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      expect(expand(core, gvk.kind, apiVersion)).toBe(`${dir}/${file}`);
    }
  });
});
if (!hasShared('schemas')) console.log(skipMessage('schemas'));

const CONFIGMAP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string', enum: ['v1'] },
    kind: { type: 'string', enum: ['ConfigMap'] },
    metadata: { type: 'object' },
    data: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n';
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';

describe('remote schemas and the cache folder', () => {
  let server: Server;
  let base = '';
  const requests: string[] = [];
  let failWith = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (failWith) {
        res.writeHead(failWith).end();
      } else if (req.url === '/schemas/v1.36.0-standalone-strict/configmap-v1.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CONFIGMAP_SCHEMA));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const options = (cacheDir: string | undefined, location: string) => ({
    documents: [
      { filename: 'a.yaml', content: CONFIGMAP },
      { filename: 'b.yaml', content: WIDGET },
    ],
    schemaLocations: [location],
    strict: true,
    kubernetesVersion: '1.36.0',
    cacheDir,
    engine: 'builtin' as const,
  });

  it('downloads each schema once into the cache, then validates offline from it', async () => {
    const { dir, cleanup } = tempDir('kcw-cache-');
    try {
      requests.length = 0;
      const online = await validate(options(dir, `${base}/schemas`));
      expect(online.resources.map((r) => [r.kind, r.status])).toEqual([
        ['ConfigMap', 'valid'],
        ['Widget', 'error'],
      ]);
      expect(online.resources[1].errors[0].reason).toBe('could not find schema for Widget');
      expect(requests.sort()).toEqual(['/schemas/v1.36.0-standalone-strict/configmap-v1.json', '/schemas/v1.36.0-standalone-strict/widget-example-v1.json']);
      const url = `${base}/schemas/v1.36.0-standalone-strict/configmap-v1.json`;
      expect(JSON.parse(readFileSync(new SchemaDiskCache(dir).pathFor(url), 'utf8'))).toEqual(CONFIGMAP_SCHEMA);

      // Offline: every request would fail now, and none is made.
      requests.length = 0;
      failWith = 500;
      const offline = await validate(options(dir, `${base}/schemas`));
      const sync = validateDocuments(options(dir, `${base}/schemas`));
      failWith = 0;
      expect(requests).toEqual([]);
      for (const report of [offline, sync]) {
        expect(report.resources.map((r) => [r.kind, r.status, r.errors.map((e) => e.reason)])).toEqual([
          ['ConfigMap', 'valid', []],
          ['Widget', 'error', ['could not find schema for Widget']],
        ]);
      }
    } finally {
      failWith = 0;
      cleanup();
    }
  });

  it('reports download failures with kubeconform wording', async () => {
    failWith = 500;
    const template = `${base}/x/{{.ResourceKind}}.json`;
    const report = await validate(options(undefined, template));
    failWith = 0;
    expect(report.resources[0].errors[0].reason).toBe(`error while downloading schema at ${base}/x/configmap.json - received HTTP status 500`);
    const unreachable = await validate(options(undefined, 'http://127.0.0.1:1/{{.ResourceKind}}.json'));
    expect(unreachable.resources[0].errors[0].reason).toMatch(/^failed downloading schema at http:\/\/127\.0\.0\.1:1\/configmap\.json: /);
  });

  it('says so when the synchronous API meets a schema that was never downloaded', () => {
    const report = validateDocuments(options(undefined, `${base}/schemas`));
    expect(report.resources[0].errors[0].reason).toMatch(/has not been downloaded/);
  });
});
