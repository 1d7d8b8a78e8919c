import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { realTool, repoRoot, tempDir } from '@ck8s/testing';
import { findKustomizer, toolsRequired } from '@ck8s/toolchain';
import { buildClusterPaths, cutOrigin, missingKustomizeFinding, withoutOrigin } from './kustomize';

const kustomizer = findKustomizer();
if (!kustomizer && toolsRequired()) throw new Error('kustomize (or kubectl) is required with CI=true: run `npm run install-tools`');

const ws = tempDir('ck8s-kustomize-test-');
afterAll(() => ws.cleanup());

function kustomization(dir: string, resources: string[], extra = ''): void {
  mkdirSync(join(ws.dir, dir), { recursive: true });
  writeFileSync(
    join(ws.dir, dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n${extra}`,
  );
}
function configMap(file: string, name: string): void {
  writeFileSync(join(ws.dir, file), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: demo\ndata:\n  k: v\n`);
}

describe.skipIf(!kustomizer)('building a cluster’s Flux paths in one kustomize run', () => {
  kustomization('base', ['shared.yaml']);
  configMap('base/shared.yaml', 'shared');
  kustomization('a', ['../base', 'a.yaml'], 'configMapGenerator:\n  - name: a-values\n    literals: [x=1]\n');
  configMap('a/a.yaml', 'only-a');
  kustomization('b', ['b.yaml']);
  configMap('b/b.yaml', 'only-b');
  kustomization('twice', ['../base']);
  kustomization('broken', ['missing.yaml']);

  it('attributes every object to the file it came from, generated ones to their kustomization', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'b'], 'c1');
    expect(r.findings).toEqual([]);
    expect(r.processes).toBe(1);
    const files = Object.fromEntries(r.documents.map((d) => [d.filename, d.content]));
    expect(Object.keys(files).sort()).toEqual([
      'a/a.yaml (kustomize build)',
      'a/kustomization.yaml (kustomize build)',
      'b/b.yaml (kustomize build)',
      'base/shared.yaml (kustomize build)',
    ]);
    expect(files['a/kustomization.yaml (kustomize build)']).toMatch(/name: a-values-\w+/);
    expect(files['b/b.yaml (kustomize build)']).toMatch(/name: only-b/);
  });

  it('reports two paths that would apply the same object', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'twice'], 'c1');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ check: 'kustomize', severity: 'error', cluster: 'c1' });
    expect(r.findings[0].message).toMatch(/every Flux path builds alone, but not together/);
    expect(r.findings[0].message).toMatch(/shared/);
  });

  it('names the path that does not build', async () => {
    const r = await buildClusterPaths(kustomizer!, ws.dir, ['a', 'broken'], 'c1');
    expect(r.findings.map((f) => f.file)).toEqual(['broken/kustomization.yaml']);
    expect(r.documents.map((d) => d.filename)).toEqual(['a (kustomize build)']);
  });
});

describe('without any kustomize', () => {
  it('is a warning for users and an error in CI', () => {
    expect(missingKustomizeFinding({}).severity).toBe('warning');
    expect(missingKustomizeFinding({ CI: 'true' }).severity).toBe('error');
    expect(missingKustomizeFinding({ CI: 'true' }).message).toMatch(/kustomize not found .*npm run install-tools/);
  });
});

const kustomize = realTool('kustomize', 'cutting origin annotations out of real kustomize output');

describe.skipIf(!kustomize)('the origin annotation, cut out of the text', () => {
  const docs = (text: string) => text.split(/^---\n/m).filter((d) => d.trim());
  /** The same resources built with and without origin annotations. */
  const build = (name: string, resources: string[]) => {
    const both = ['', 'buildMetadata: [originAnnotations]\n'].map((meta, i) => {
      const dir = join(ws.dir, `${name}-${i}`);
      mkdirSync(dir, { recursive: true });
      const list = resources.map((r) => `  - ${relative(dir, resolve(ws.dir, r))}`).join('\n');
      writeFileSync(join(dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${meta}resources:\n${list}\n`);
      return docs(execFileSync(kustomize!, ['build', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
    });
    return { plain: both[0], annotated: both[1] };
  };
  /** What the document approach (parse, delete the key and an emptied map, print) gives. */
  const asDocument = (doc: string) => {
    const d = YAML.parseDocument(doc);
    d.deleteIn(['metadata', 'annotations', 'config.kubernetes.io/origin']);
    if (!(d.getIn(['metadata', 'annotations']) as { items: unknown[] } | undefined)?.items.length) d.deleteIn(['metadata', 'annotations']);
    return d.toString({ lineWidth: 0 });
  };

  it('gives the bytes of a build without origin annotations: other annotations kept, an emptied map dropped, generated objects too', () => {
    mkdirSync(join(ws.dir, 'origin'), { recursive: true });
    writeFileSync(
      join(ws.dir, 'origin', 'objects.yaml'),
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: demo\ndata:\n  enabled: "on"\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: around\n  annotations:\n    a.example/first: "1"\n' +
          '    z.example/last: |\n      two\n      lines\ndata:\n  k: v\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata:\n' +
          '      labels: {app: d}\n      annotations: {config.kubernetes.io/origin: "kept, it is the pod template\'s"}\n' +
          '    spec:\n      containers: [{name: c, image: "x:1", args: ["--a=yes", "on"]}]\n',
      ].join('---\n'),
    );
    kustomization('origin', ['objects.yaml'], 'configMapGenerator:\n  - name: generated\n    literals: [x=1]\n');
    const { plain, annotated } = build('origin-build', ['origin']);
    expect(annotated.length).toBe(4);
    expect(annotated.every((d) => /^    config\.kubernetes\.io\/origin: \|$/m.test(d))).toBe(true);
    expect(annotated.map(withoutOrigin)).toEqual(plain);
    expect(annotated.map(cutOrigin)).toEqual(plain);
    expect(plain.join('---\n')).not.toMatch(/origin: \|/);
    expect(plain.join('---\n')).toMatch(/kept, it is the pod template/);
    expect(annotated.map((d) => YAML.parse(withoutOrigin(d)))).toEqual(annotated.map((d) => YAML.parse(asDocument(d))));
  });

  it('gives the bytes of a plain build on a committed cluster, and the objects the document approach gives', () => {
    const components = join(repoRoot, 'clusters/example-prod/management/components');
    const { plain, annotated } = build(
      'management',
      readdirSync(components).map((c) => join(components, c)),
    );
    expect(annotated.length).toBeGreaterThan(100);
    expect(annotated.map(withoutOrigin)).toEqual(plain);
    expect(annotated.map((d) => YAML.parse(withoutOrigin(d)))).toEqual(annotated.map((d) => YAML.parse(asDocument(d))));
  });

  it('edits another shape as a document', () => {
    const flow = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, annotations: {config.kubernetes.io/origin: "path: a.yaml\\n"}}\n';
    expect(cutOrigin(flow)).toBeUndefined();
    expect(YAML.parse(withoutOrigin(flow))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  });
});
