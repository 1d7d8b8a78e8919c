import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CATALOG, configExtensions } from '@ck8s/components';
import { formatConfigError, resolveEnvironment } from '@ck8s/config';
import { renderEnvironment } from './layout';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PLUGIN = 'https://files.airgap.example.com/opensearch/repository-s3-2.19.4.zip';

const config = (flavor: string, mirrors?: Record<string, string>) =>
  YAML.stringify({
    version: 1,
    flavor,
    provider: 'safespring',
    domain: 'airgap.example.com',
    git: { url: 'ssh://git@example.com/platform.git' },
    clusters: [
      { name: 'management', role: 'management' },
      { name: 'apps', role: 'workload' },
    ],
    certificates: { email: 'ops@example.com', issuer: flavor === 'dev' ? 'letsencrypt-staging' : 'custom-ca' },
    ...(mirrors ? { mirrors } : {}),
    ...(flavor === 'air-gapped' ? { components: { opensearch: { snapshots: { pluginUrl: PLUGIN } } } } : {}),
  });
const load = (flavor: string, mirrors?: Record<string, string>) => resolveEnvironment('airgap', { 'config.yaml': config(flavor, mirrors) }, configExtensions());
const MIRRORS = { charts: 'oci://registry.airgap.example.com/charts', images: 'registry.airgap.example.com' };

describe('mirrors', () => {
  it('are required by the air-gapped flavor, and checked for form', () => {
    expect(load('air-gapped').errors.map(formatConfigError)).toEqual([
      expect.stringMatching(/mirrors\.charts: the air-gapped flavor pulls every chart from a mirror/),
      expect.stringMatching(/mirrors\.images: the air-gapped flavor pulls every image from a mirror/),
    ]);
    expect(load('air-gapped', MIRRORS).errors).toEqual([]);
    expect(load('prod').errors).toEqual([]);
    expect(
      load('dev', { charts: 'ftp://x', images: 'registry.example.com/with/path' })
        .errors.map((e) => e.keyPath)
        .sort(),
    ).toEqual(['mirrors.charts', 'mirrors.images']);
  });

  describe('rendered', () => {
    const env = load('air-gapped', MIRRORS).environment!;
    const files = renderEnvironment({ env, secrets: [] }, CATALOG);
    const docs = (path: string) => YAML.parseAllDocuments(files.get(path) ?? '').map((d) => d.toJS() as Any);

    it('pull every chart from the chart mirror', () => {
      const sources = [...files.keys()].filter((p) => /^clusters\/airgap\/bases\/[^/]+\/source\.yaml$/.test(p));
      expect(sources.length).toBeGreaterThan(10);
      for (const p of sources) expect(docs(p)[0].spec, p).toEqual({ interval: '24h', url: 'oci://registry.airgap.example.com/charts', type: 'oci' });
    });

    it("rewrite every Pod image to the image mirror through Gatekeeper, on every cluster; Gatekeeper's own images name the mirror", () => {
      for (const cluster of ['management', 'apps']) {
        const mutators = docs(`clusters/airgap/${cluster}/components/gatekeeper/config/objects.yaml`).filter((o) => o.kind === 'AssignImage');
        expect(mutators.map((m) => m.spec.location).sort()).toEqual([
          'spec.containers[name:*].image',
          'spec.ephemeralContainers[name:*].image',
          'spec.initContainers[name:*].image',
        ]);
        for (const m of mutators) expect(m.spec.parameters).toEqual({ assignDomain: 'registry.airgap.example.com' });
        const values = YAML.parse(files.get(`clusters/airgap/${cluster}/components/gatekeeper/values.yaml`)!);
        expect(values.image).toMatchObject({
          repository: 'registry.airgap.example.com/openpolicyagent/gatekeeper',
          crdRepository: 'registry.airgap.example.com/openpolicyagent/gatekeeper-crds',
        });
      }
    });

    it('download nothing at run time: vulnerability databases from the mirror, no falco rules download, Harbor scans offline', () => {
      const trivy = YAML.parse(files.get('clusters/airgap/apps/components/trivy-operator/values.yaml')!).trivy;
      expect([trivy.dbRegistry, trivy.javaDbRegistry]).toEqual(['registry.airgap.example.com', 'registry.airgap.example.com']);
      expect(YAML.parse(files.get('clusters/airgap/apps/components/falco/values.yaml')!).falcoctl.artifact.install.enabled).toBe(false);
      expect(YAML.parse(files.get('clusters/airgap/management/components/harbor/values.yaml')!).trivy).toMatchObject({ skipUpdate: true, offlineScan: true });
      expect(YAML.parse(files.get('clusters/airgap/management/components/opensearch/values.yaml')!).plugins.installList).toEqual([PLUGIN]);
    });

    it('refuse the snapshot plugin from the internet', () => {
      const text = config('air-gapped', MIRRORS).replace(/components:\n.*\n.*\n.*pluginUrl.*\n/, '');
      expect(text).not.toContain('pluginUrl');
      const errors = resolveEnvironment('airgap', { 'config.yaml': text }, configExtensions()).errors.map(formatConfigError);
      expect(errors).toEqual([
        expect.stringMatching(/components\.opensearch\.snapshots\.pluginUrl: the air-gapped flavor downloads nothing from the internet/),
      ]);
    });

    it('list what to mirror in the README', () => {
      const readme = files.get('clusters/airgap/README.md')!;
      expect(readme).toContain('Charts come from `oci://registry.airgap.example.com/charts`, images from `registry.airgap.example.com`');
      expect(readme).toMatch(/\| gatekeeper \| https:\/\/open-policy-agent\.github\.io\/gatekeeper\/charts \| gatekeeper \| 3\.20\.1 \|/);
      expect(readme).toContain('- `docker.io/rclone/rclone:1.68.2`');
    });
  });

  it('leave an environment without mirrors as it was', () => {
    const env = load('prod').environment!;
    const files = renderEnvironment({ env, secrets: [] }, CATALOG);
    expect(YAML.parse(files.get('clusters/airgap/bases/falco/source.yaml')!).spec.url).toBe('https://falcosecurity.github.io/charts');
    expect(files.get('clusters/airgap/management/components/gatekeeper/config/objects.yaml')).not.toContain('AssignImage');
  });
});
