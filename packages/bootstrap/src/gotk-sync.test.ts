import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BootstrapError, gitTransport, gotkSyncPath, parseGotkSync, readGotkSync } from './gotk-sync';
import { repoRoot } from './pulumi-mocks';

const where = { environment: 'example-prod', cluster: 'management', relPath: gotkSyncPath('example-prod', 'management') };
const committed = () => readFileSync(join(repoRoot, where.relPath), 'utf8');

describe('readGotkSync', () => {
  it('reads the shipped example-prod/management sync pair', () => {
    const sync = readGotkSync(repoRoot, 'example-prod', 'management');
    expect(sync).toMatchObject({
      relPath: 'clusters/example-prod/management/flux-system/gotk-sync.yaml',
      namespace: 'flux-system',
      gitUrl: 'ssh://git@github.com/example-org/compliant-gitops.git',
      gitBranch: 'main',
      syncPath: './clusters/example-prod/management',
      gitSecretName: 'flux-system',
      sopsSecretName: 'sops-age',
    });
    expect(sync.gitRepository.kind).toBe('GitRepository');
    expect(sync.kustomization.spec).toMatchObject({ prune: true, decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } });
  });

  it('accepts every committed cluster', () => {
    const clusters = readdirSync(join(repoRoot, 'clusters')).flatMap((env) =>
      readdirSync(join(repoRoot, 'clusters', env))
        .filter((c) => existsSync(join(repoRoot, gotkSyncPath(env, c))))
        .map((c) => [env, c] as const),
    );
    expect(clusters.length).toBeGreaterThan(0);
    for (const [env, c] of clusters) expect(readGotkSync(repoRoot, env, c).syncPath).toBe(`./clusters/${env}/${c}`);
  });

  it('names the missing file and the render command', () => {
    expect(() => readGotkSync(repoRoot, 'no-such-env', 'management')).toThrow(
      /clusters\/no-such-env\/management\/flux-system\/gotk-sync\.yaml not found .*`nx run no-such-env:render`/,
    );
  });

  it('rejects names that are not DNS labels (no path tricks)', () => {
    expect(() => readGotkSync(repoRoot, '../example-prod', 'management')).toThrow(BootstrapError);
    expect(() => readGotkSync(repoRoot, 'example-prod', 'management/../apps-b')).toThrow(/Invalid cluster name/);
  });
});

describe('parseGotkSync', () => {
  const expectError = (text: string, msg: RegExp) => {
    expect(() => parseGotkSync(text, where)).toThrow(msg);
    expect(() => parseGotkSync(text, where)).toThrow(/nx run example-prod:render/);
  };

  it('rejects a file rendered for another cluster', () => {
    expectError(
      committed().replace('./clusters/example-prod/management', './clusters/example-prod/apps-b'),
      /syncs "\.\/clusters\/example-prod\/apps-b", expected \.\/clusters\/example-prod\/management/,
    );
  });

  it('rejects objects outside flux-system, extra objects and missing pieces', () => {
    expectError(committed().replaceAll('namespace: flux-system', 'namespace: other'), /must be in namespace flux-system/);
    expectError(
      `${committed()}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: flux-system}\nspec: {}\n`,
      /unexpected objects ConfigMap\/x/,
    );
    expectError(committed().split('---')[0]!, /expected exactly one Kustomization/);
    expectError(committed().replace(/  secretRef:\n    name: flux-system\n/, ''), /no spec\.secretRef\.name/);
    expectError('a: [', /invalid YAML/);
  });

  it('tolerates an equivalent path spelling', () => {
    expect(parseGotkSync(committed().replace('path: ./clusters/example-prod/management', 'path: clusters/example-prod/management/'), where).syncPath).toBe(
      'clusters/example-prod/management/',
    );
  });
});

describe('gitTransport', () => {
  it('classifies ssh and https URLs', () => {
    expect(gitTransport('ssh://git@github.com/o/r.git')).toBe('ssh');
    expect(gitTransport('git@github.com:o/r.git')).toBe('ssh');
    expect(gitTransport('https://github.com/o/r.git')).toBe('https');
    expect(() => gitTransport('file:///tmp/repo')).toThrow(/expected ssh:\/\/ or https:\/\//);
  });
});
