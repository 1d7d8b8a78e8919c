import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readEnvironmentFiles, resolveEnvironment } from '@ck8s/config';
import { CATALOG, configExtensions } from '@ck8s/components';
import { repoRoot } from '@ck8s/testing';
import { renderEnvironment, type FileMap } from './layout';
import { readSecretFiles, renderFromWorkspace } from './workspace';

const ENV = 'example-prod';
const envDir = join(repoRoot, 'environments', ENV);

/** Renders example-prod from its files, optionally with the config text changed first. */
function renderWith(edit: (config: string) => string, drop: string[] = []): FileMap {
  const files = readEnvironmentFiles(envDir);
  files['config.yaml'] = edit(files['config.yaml']);
  for (const f of drop) delete files[f];
  const result = resolveEnvironment(ENV, files, configExtensions());
  if (!result.environment) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return renderEnvironment({ env: result.environment, secrets: readSecretFiles(envDir) }, CATALOG);
}

const under = (files: FileMap, prefix: string) => [...files].filter(([p]) => p.startsWith(prefix));

describe('workload → management wiring, read from the rendered output', () => {
  const files = renderFromWorkspace(repoRoot, ENV);

  it("points every workload cluster only at this environment's management endpoints", () => {
    for (const cluster of ['apps-a', 'apps-b']) {
      const urls = under(files, `clusters/${ENV}/${cluster}/`).flatMap(([, text]) => text.match(/https?:\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"']*/g) ?? []);
      const platform = urls.filter((u) => u.includes('example.com'));
      expect(platform.length, cluster).toBeGreaterThan(2);
      for (const u of platform) expect(u, cluster).toMatch(/^https:\/\/[a-z0-9-]+\.ops\.prod\.example\.com\//);
      expect(platform.some((u) => u.startsWith('https://thanos-receiver.ops.prod.example.com/'))).toBe(true);
      expect(platform.some((u) => u.startsWith('https://opensearch.ops.prod.example.com'))).toBe(true);
      expect(platform.some((u) => u.startsWith('https://alertmanager.ops.prod.example.com'))).toBe(true);
    }
  });

  it('gives every Secret a workload cluster references a rendered (encrypted) file', () => {
    for (const cluster of ['apps-a', 'apps-b']) {
      const tree = under(files, `clusters/${ENV}/${cluster}/`);
      const secrets = new Set(
        tree
          .filter(([p]) => p.endsWith('.sops.yaml'))
          .map(([, t]) => {
            const m = YAML.parse(t).metadata;
            return `${m.namespace}/${m.name}`;
          }),
      );
      for (const [path, text] of tree) {
        if (!path.endsWith('release-patch.yaml')) continue;
        const release = YAML.parse(text);
        const ns = YAML.parse(files.get(path.replace('release-patch.yaml', 'kustomization.yaml'))!).namespace;
        for (const ref of release.spec.valuesFrom.filter((v: { kind: string }) => v.kind === 'Secret')) {
          expect(secrets.has(`${ns}/${ref.name}`), `${path} → ${ns}/${ref.name}`).toBe(true);
        }
      }
    }
  });

  it('adds a third workload cluster: its own tree appears and the management cluster names it', () => {
    const three = renderWith((c) => c.replace(/(\n  - name: apps-b\n    role: workload\n)/, '$1  - name: apps-c\n    role: workload\n'));
    expect(under(files, `clusters/${ENV}/apps-c/`)).toEqual([]);
    const tree = under(three, `clusters/${ENV}/apps-c/`);
    expect(tree.length).toBeGreaterThan(20);
    expect(three.get(`clusters/${ENV}/apps-c/flux-system/gotk-sync.yaml`)).toContain(`path: ./clusters/${ENV}/apps-c`);
    const mgmt = (component: string, file = 'values.yaml') => three.get(`clusters/${ENV}/management/components/${component}/${file}`) ?? '';
    expect(mgmt('thanos')).toContain('apps-c'); // receive tenant / hashring
    expect(mgmt('kube-prometheus-stack')).toContain('apps-c'); // Alertmanager route
    expect(mgmt('user-grafana')).toContain('apps-c'); // datasource per cluster
    expect(mgmt('opensearch', 'config/objects.yaml')).toContain('writer-apps-c'); // write-only user
    expect(mgmt('opensearch', 'config/objects.yaml')).toContain('kubernetes-apps-c'); // its indices
    // and the new cluster ships to the same management endpoints under its own identity
    const values = tree.map(([, t]) => t).join('\n');
    expect(values).toContain('https://thanos-receiver.ops.prod.example.com/api/v1/receive');
    expect(values).toContain('THANOS-TENANT');
  });

  it('removing a workload cluster removes it from the management wiring', () => {
    const two = renderWith((c) => c.replace(/\n  - name: apps-b\n    role: workload\n/, '\n'), ['apps-b.yaml']);
    // The operator's encrypted Secrets may keep a stale key for it; the rendered wiring must not.
    const text = under(two, `clusters/${ENV}/management/`)
      .filter(([p]) => !p.endsWith('.sops.yaml'))
      .map(([, t]) => t)
      .join('\n');
    expect(text).not.toContain('apps-b');
    expect(under(two, `clusters/${ENV}/apps-b/`)).toEqual([]);
  });
});

describe('rendered output never carries plaintext secrets', () => {
  it('has no plaintext Secret and no token-shaped value in any committed file', () => {
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const file of walk(join(repoRoot, 'clusters'))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|AGE-SECRET-KEY-(PQ-)?1/);
      for (const doc of YAML.parseAllDocuments(text).map((d) => d.toJS())) {
        if (doc?.kind === 'Secret') expect(doc.sops, file).toBeDefined();
      }
    }
  });
});
