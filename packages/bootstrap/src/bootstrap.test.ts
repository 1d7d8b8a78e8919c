import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  bootstrapCluster,
  checkAgeIdentity,
  checkSshIdentity,
  DEFAULT_CHART_VERSION,
  FLUX2_CHART,
  type BootstrapClusterArgs,
  type BootstrapResult,
} from './bootstrap';
import { BootstrapError } from './gotk-sync';
import { committedGotkSync, installMocks, plaintextStrings, repoRoot, resolved, unwrapSecrets, type MockState } from './pulumi-mocks';

const T = {
  ns: 'kubernetes:core/v1:Namespace',
  secret: 'kubernetes:core/v1:Secret',
  release: 'kubernetes:helm.sh/v3:Release',
  gitRepo: 'kubernetes:source.toolkit.fluxcd.io/v1:GitRepository',
  ks: 'kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization',
  configFile: 'kubernetes:yaml:ConfigFile',
};

// Fake but well-formed key material; the test asserts none of it leaks in plaintext.
const IDENTITY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfakefakefakeIDENTITY\n-----END OPENSSH PRIVATE KEY-----\n';
const KNOWN_HOSTS = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const AGE_KEY = '# created: 2026-01-01T00:00:00Z\n# public key: age1fake\nAGE-SECRET-KEY-1QQQQFAKEAGEKEYQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n';
const PLAINTEXT = [IDENTITY.trim(), 'b3BlbnNzaC1rZXktdjEAAAAAfakefakefakeIDENTITY', 'AGE-SECRET-KEY-1QQQQFAKEAGEKEY'];

const base = (over: Partial<BootstrapClusterArgs> = {}): BootstrapClusterArgs => ({
  environment: 'example-prod',
  cluster: 'management',
  workspaceRoot: repoRoot,
  fluxVersion: 'v2.9.1',
  gitCredentials: { identity: pulumi.secret(IDENTITY), knownHosts: KNOWN_HOSTS },
  ageKey: pulumi.secret(AGE_KEY),
  ...over,
});

/** The Kustomization depends on everything else, so once its URN resolves every registration has happened. */
async function settle(r: BootstrapResult): Promise<void> {
  await resolved(r.resources.kustomization.urn);
}

let mocks: MockState;
beforeAll(async () => {
  mocks = await installMocks();
});

describe('bootstrapCluster (helm, example-prod/management)', () => {
  let result: BootstrapResult;
  const regs = () => mocks.registrations.filter((r) => r.type !== T.configFile && !r.type.includes('$'));
  beforeAll(async () => {
    result = bootstrapCluster(base());
    await settle(result);
  });

  it('creates the namespace, the flux2 chart release, both secrets and the sync pair', () => {
    const ns = mocks.find(T.ns, 'flux-system');
    expect(ns.inputs).toMatchObject({ metadata: { name: 'flux-system', labels: { 'app.kubernetes.io/version': 'v2.9.1' } } });

    const release = mocks.find(T.release, 'flux2');
    expect(release.inputs).toMatchObject({
      name: 'flux2',
      chart: 'flux2',
      version: DEFAULT_CHART_VERSION,
      repositoryOpts: { repo: 'https://fluxcd-community.github.io/helm-charts' },
      namespace: 'flux-system',
      createNamespace: false,
      values: { imageAutomationController: { create: false }, imageReflectionController: { create: false } },
    });
    expect(FLUX2_CHART.repository).toBe('https://fluxcd-community.github.io/helm-charts');

    const git = mocks.find(T.secret, 'flux-system/flux-system');
    expect(git.inputs).toMatchObject({ metadata: { name: 'flux-system', namespace: 'flux-system' }, type: 'Opaque' });
    expect(Object.keys(unwrapSecrets(git.inputs.stringData) as object).sort()).toEqual(['identity', 'known_hosts']);

    const sops = mocks.find(T.secret, 'flux-system/sops-age');
    expect(sops.inputs).toMatchObject({ metadata: { name: 'sops-age', namespace: 'flux-system' } });
    expect(Object.keys(unwrapSecrets(sops.inputs.stringData) as object)).toEqual(['age.agekey']);

    expect(
      regs()
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        `${T.ns} flux-system`,
        `${T.release} flux2`,
        `${T.secret} flux-system/flux-system`,
        `${T.secret} flux-system/sops-age`,
        `${T.gitRepo} flux-system/flux-system`,
        `${T.ks} flux-system/flux-system`,
      ].sort(),
    );
  });

  it('applies the GitRepository and Kustomization exactly as committed in gotk-sync.yaml', () => {
    const [gitRepository, kustomization] = committedGotkSync('example-prod', 'management');
    expect(mocks.find(T.gitRepo, 'flux-system/flux-system').inputs).toEqual(gitRepository);
    expect(mocks.find(T.ks, 'flux-system/flux-system').inputs).toEqual(kustomization);
  });

  it('returns the namespace, sync path and Git source', async () => {
    const { namespace, ...plain } = result.outputs;
    expect(await resolved(namespace)).toBe('flux-system');
    expect(plain).toEqual({
      syncPath: './clusters/example-prod/management',
      gitUrl: 'ssh://git@github.com/example-org/compliant-gitops.git',
      gitBranch: 'main',
      fluxVersion: 'v2.9.1',
      install: `helm flux2@${DEFAULT_CHART_VERSION}`,
      gotkSync: 'clusters/example-prod/management/flux-system/gotk-sync.yaml',
      gitSecret: 'flux-system',
      sopsSecret: 'sops-age',
    });
  });

  it('marks secret values secret and never shows them in plaintext', async () => {
    // What the engine receives: the whole stringData map is a secret (values are never sent bare).
    const git = mocks.find(T.secret, 'flux-system/flux-system').inputs.stringData;
    const sops = mocks.find(T.secret, 'flux-system/sops-age').inputs.stringData;
    expect(pulumi.runtime.isRpcSecret(git)).toBe(true);
    expect(pulumi.runtime.isRpcSecret(sops)).toBe(true);
    // The values reach the cluster intact (plus the trailing newline key files need).
    expect(unwrapSecrets(git)).toEqual({ identity: IDENTITY, known_hosts: `${KNOWN_HOSTS}\n` });
    expect(unwrapSecrets(sops)).toEqual({ 'age.agekey': AGE_KEY });

    expect(await pulumi.isSecret(result.resources.gitSecret.stringData)).toBe(true);
    expect(await pulumi.isSecret(result.resources.sopsSecret.stringData)).toBe(true);

    const leaks = regs().flatMap((r) =>
      plaintextStrings(r.inputs)
        .filter((s) => PLAINTEXT.some((p) => s.includes(p)))
        .map(() => `${r.type} ${r.name}`),
    );
    expect(leaks).toEqual([]);
    const outputs = JSON.stringify({ ...result.outputs, namespace: await resolved(result.outputs.namespace) });
    for (const p of PLAINTEXT) expect(outputs).not.toContain(p);
  });

  it('orders: namespace, then controllers and secrets, then the sync objects', () => {
    const urn = (type: string, name: string) => mocks.find(type, name).urn;
    const ns = urn(T.ns, 'flux-system');
    const release = urn(T.release, 'flux2');
    const git = urn(T.secret, 'flux-system/flux-system');
    const sops = urn(T.secret, 'flux-system/sops-age');
    const repo = urn(T.gitRepo, 'flux-system/flux-system');

    expect(mocks.find(T.release, 'flux2').dependencies).toContain(ns);
    expect(mocks.find(T.secret, 'flux-system/flux-system').dependencies).toContain(ns);
    expect(mocks.find(T.secret, 'flux-system/sops-age').dependencies).toContain(ns);
    expect(mocks.find(T.gitRepo, 'flux-system/flux-system').dependencies).toEqual(expect.arrayContaining([ns, release, git, sops]));
    expect(mocks.find(T.ks, 'flux-system/flux-system').dependencies).toEqual(expect.arrayContaining([ns, release, git, sops, repo]));

    const order = regs().map((r) => r.type);
    expect(order.indexOf(T.gitRepo)).toBeGreaterThan(Math.max(order.indexOf(T.release), order.lastIndexOf(T.secret)));
    expect(order.indexOf(T.ks)).toBeGreaterThan(order.indexOf(T.gitRepo));
  });

  it('keeps everything in the cluster on pulumi destroy', () => {
    for (const r of regs()) expect({ r: `${r.type} ${r.name}`, retain: r.retainOnDelete }).toEqual({ r: `${r.type} ${r.name}`, retain: true });
  });
});

describe('bootstrapCluster secrets from plain strings', () => {
  const secretsOf = (regs: MockState['registrations']) => regs.filter((r) => r.type === T.secret);

  it('wraps SSH credentials and the age key itself', async () => {
    const before = mocks.registrations.length;
    const r = bootstrapCluster(base({ cluster: 'apps-b', gitCredentials: { identity: IDENTITY, knownHosts: KNOWN_HOSTS }, ageKey: AGE_KEY }));
    await settle(r);
    const regs = mocks.registrations.slice(before);
    expect(
      secretsOf(regs)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['flux-system/flux-system', 'flux-system/sops-age']);
    for (const x of secretsOf(regs)) expect(pulumi.runtime.isRpcSecret(x.inputs.stringData)).toBe(true);
    expect(await pulumi.isSecret(r.resources.gitSecret.stringData)).toBe(true);
    expect(await pulumi.isSecret(r.resources.sopsSecret.stringData)).toBe(true);
    expect(regs.flatMap((x) => plaintextStrings(x.inputs)).filter((t) => PLAINTEXT.some((p) => t.includes(p)))).toEqual([]);
  });

  it('uses username/password for an https:// repository and wraps them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ck8s-ws-'));
    const dir = join(root, 'clusters', 'lab', 'edge', 'flux-system');
    mkdirSync(dir, { recursive: true });
    const text = readFileSync(join(repoRoot, 'clusters/example-prod/management/flux-system/gotk-sync.yaml'), 'utf8')
      .replace('ssh://git@github.com/example-org/compliant-gitops.git', 'https://git.example.org/ops/gitops.git')
      .replace('./clusters/example-prod/management', './clusters/lab/edge');
    writeFileSync(join(dir, 'gotk-sync.yaml'), text);

    const before = mocks.registrations.length;
    const r = bootstrapCluster(
      base({ environment: 'lab', cluster: 'edge', workspaceRoot: root, gitCredentials: { username: 'flux', password: 'hunter2-https-token' } }),
    );
    await settle(r);
    const git = mocks.registrations.slice(before).find((x) => x.type === T.secret && x.name === 'flux-system/flux-system')!;
    expect(pulumi.runtime.isRpcSecret(git.inputs.stringData)).toBe(true);
    expect(unwrapSecrets(git.inputs.stringData)).toEqual({ username: 'flux', password: 'hunter2-https-token' });
    expect(r.outputs.gitUrl).toBe('https://git.example.org/ops/gitops.git');
    expect(JSON.stringify(r.outputs)).not.toContain('hunter2');
    expect(() => bootstrapCluster(base({ environment: 'lab', cluster: 'edge', workspaceRoot: root }))).toThrow(
      /over HTTPS: gitCredentials need username and password/,
    );
  });
});

describe('bootstrapCluster (flux install --export manifests)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-bootstrap-'));
  const crd = (name: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: { group: name.split('.').slice(1).join('.'), names: { kind: 'X', plural: name.split('.')[0] }, scope: 'Namespaced', versions: [] },
  });
  const manifests = (version: string) =>
    `---\n# This manifest was generated by flux. DO NOT EDIT.\n# Flux Version: ${version}\n# Components: source-controller,kustomize-controller\n` +
    [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system', labels: { 'pod-security.kubernetes.io/warn': 'restricted' } } },
      crd('gitrepositories.source.toolkit.fluxcd.io'),
      crd('kustomizations.kustomize.toolkit.fluxcd.io'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'source-controller', namespace: 'flux-system' }, spec: {} },
    ]
      .map((o) => stringify(o))
      .join('---\n');
  const file = join(dir, 'gotk-components.yaml');
  writeFileSync(file, manifests('v2.9.1'));

  it('installs the file, skips its Namespace, and syncs after every controller object', async () => {
    const before = mocks.registrations.length;
    const result = bootstrapCluster(base({ environment: 'example-dev', install: { mode: 'manifests', file } }));
    await settle(result);
    const regs = mocks.registrations.slice(before);
    const children = regs.filter((r) => r.type.startsWith('kubernetes:') && r.urn.includes('kubernetes:yaml:ConfigFile$'));
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io',
      'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io',
      'kubernetes:apps/v1:Deployment flux-system/source-controller',
    ]);
    expect(regs.filter((r) => r.type === T.ns)).toHaveLength(1);
    expect(regs.find((r) => r.type === T.ns)!.inputs).toMatchObject({ metadata: { labels: { 'pod-security.kubernetes.io/warn': 'restricted' } } });
    expect(regs.some((r) => r.type === T.release)).toBe(false);

    const nsUrn = regs.find((r) => r.type === T.ns)!.urn;
    for (const c of children) expect(c.dependencies).toContain(nsUrn);
    const repo = regs.find((r) => r.type === T.gitRepo)!;
    expect(repo.dependencies).toEqual(expect.arrayContaining(children.map((c) => c.urn)));
    expect(repo.inputs).toEqual(committedGotkSync('example-dev', 'management')[0]);
    expect(result.outputs.install).toBe(`manifests ${file}`); // outside the workspace: absolute
  });

  it('rejects a manifests file from another Flux version', () => {
    const other = join(dir, 'old.yaml');
    writeFileSync(other, manifests('v2.8.0'));
    expect(() => bootstrapCluster(base({ install: { mode: 'manifests', file: other } }))).toThrow(/exported by Flux v2\.8\.0, but fluxVersion is v2\.9\.1/);
  });

  it('rejects a missing manifests file with the command that makes it', () => {
    expect(() => bootstrapCluster(base({ install: { mode: 'manifests', file: 'nope/gotk-components.yaml' } }))).toThrow(
      /nope\/gotk-components\.yaml not found: generate it with `flux install --export > nope\/gotk-components\.yaml`/,
    );
  });
});

describe('bootstrapCluster input errors (nothing is declared)', () => {
  const attempt = (over: Partial<BootstrapClusterArgs>) => {
    const before = mocks.registrations.length;
    let error: unknown;
    try {
      bootstrapCluster(base(over));
    } catch (e) {
      error = e;
    }
    expect(mocks.registrations.length).toBe(before);
    expect(error).toBeInstanceOf(BootstrapError);
    return (error as Error).message;
  };

  it('names the missing gotk-sync.yaml and the render command', () => {
    const msg = attempt({ cluster: 'apps-z' });
    expect(msg).toContain('clusters/example-prod/apps-z/flux-system/gotk-sync.yaml not found');
    expect(msg).toContain('`nx run example-prod:render`');
    expect(msg).toMatch(/Rendered clusters of example-prod: .*\bmanagement\b/);
  });

  it('refuses credentials that do not fit the repository URL', () => {
    expect(attempt({ gitCredentials: { username: 'git', password: pulumi.secret('pw') } })).toMatch(/over SSH: gitCredentials need identity and knownHosts/);
  });

  it('refuses a Secret name other than the one the GitRepository references', () => {
    expect(attempt({ gitCredentials: { secretName: 'deploy-key', identity: IDENTITY, knownHosts: KNOWN_HOSTS } })).toMatch(
      /secretName "deploy-key" differs from the Secret the GitRepository .* uses \("flux-system"\)/,
    );
  });

  it('requires an exact chart version and a valid Flux version', () => {
    expect(attempt({ install: { mode: 'helm', chartVersion: '^2.19.0' } })).toMatch(/exact chart version/);
    expect(attempt({ fluxVersion: 'latest' })).toMatch(/fluxVersion must look like/);
  });
});

describe('key checks (run inside the secret, never echo it)', () => {
  it('accepts age key files and OpenSSH/PEM keys', () => {
    expect(() => checkAgeIdentity(AGE_KEY)).not.toThrow();
    expect(() => checkSshIdentity(IDENTITY)).not.toThrow();
    expect(() => checkSshIdentity('-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----')).not.toThrow();
  });
  it('rejects public keys and recipients without echoing them', () => {
    expect(() => checkAgeIdentity('age1publicrecipientonly')).toThrow(/not an age identity/);
    expect(() => checkSshIdentity('ssh-ed25519 AAAAsecretish')).toThrow(/not a private key/);
    try {
      checkSshIdentity('ssh-ed25519 AAAAsecretish');
    } catch (e) {
      expect((e as Error).message).not.toContain('AAAAsecretish');
    }
  });
});
