import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import type { Tree } from '@nx/devkit';
import { OptionErrors } from '../lib/options';
import { recordingDeps } from '../lib/testing';
import { removeEnvironment } from './generator';

function seed(tree: Tree): void {
  for (const env of ['acme-prod', 'acme-dev']) {
    tree.write(`environments/${env}/config.yaml`, 'version: 1\n');
    tree.write(`environments/${env}/.sops.yaml`, 'creation_rules: []\n');
    tree.write(`environments/${env}/secrets/apps-1/x.sops.yaml`, 'kind: Secret\n');
    tree.write(`clusters/${env}/management/kustomization.yaml`, '{}\n');
    tree.write(`clusters/${env}/bases/dex/release.yaml`, '{}\n');
  }
}

describe('remove-environment', () => {
  it('deletes environments/<name>/ and clusters/<name>/ and nothing else', () => {
    const tree = createTreeWithEmptyWorkspace();
    seed(tree);
    const deps = recordingDeps();
    const result = removeEnvironment(tree, { name: 'acme-prod' }, deps);
    expect(result.deleted.sort()).toEqual(
      [
        'environments/acme-prod/.sops.yaml',
        'environments/acme-prod/config.yaml',
        'environments/acme-prod/secrets/apps-1/x.sops.yaml',
        'clusters/acme-prod/bases/dex/release.yaml',
        'clusters/acme-prod/management/kustomization.yaml',
      ].sort(),
    );
    expect(tree.exists('environments/acme-prod')).toBe(false);
    expect(tree.exists('clusters/acme-prod')).toBe(false);
    expect(tree.exists('environments/acme-dev/config.yaml')).toBe(true);
    expect(tree.exists('clusters/acme-dev/bases/dex/release.yaml')).toBe(true);
    expect(deps.logs.join('\n')).toContain('Removing environment acme-prod: 5 files');
  });

  it('works when the environment was never rendered', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('environments/solo/config.yaml', 'version: 1\n');
    expect(removeEnvironment(tree, { name: 'solo' }, recordingDeps()).deleted).toEqual(['environments/solo/config.yaml']);
  });

  it.each([
    ['unknown environment', 'nope', '--name: no environment "nope" (environments/nope/ does not exist; known: acme-dev, acme-prod)'],
    ['a path', '../acme-prod', '--name: "../acme-prod" must be a plain name, not a path'],
    ['the environments folder itself', '.', 'is not a valid environment name'],
    ['empty', '', '--name: required'],
    ['upper case', 'ACME', 'is not a valid environment name'],
  ])('refuses %s', (_, name, message) => {
    const tree = createTreeWithEmptyWorkspace();
    seed(tree);
    const before = tree.listChanges().length;
    let err: unknown;
    try {
      removeEnvironment(tree, { name }, recordingDeps());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptionErrors);
    expect((err as Error).message).toContain(message);
    expect(tree.listChanges().length).toBe(before);
  });

  it('on disk: the Tree lists the deletions (what --dry-run prints) and only flushing deletes', () => {
    const root = mkdtempSync(join(tmpdir(), 'ck8s-rm-'));
    try {
      for (const f of [
        'environments/acme-prod/config.yaml',
        'environments/acme-prod/secrets/s.sops.yaml',
        'clusters/acme-prod/m/k.yaml',
        'environments/keep/config.yaml',
      ]) {
        mkdirSync(join(root, f, '..'), { recursive: true });
        writeFileSync(join(root, f), 'x: 1\n');
      }
      const tree = new FsTree(root, false);
      removeEnvironment(tree, { name: 'acme-prod' }, recordingDeps());
      const changes = tree.listChanges();
      expect(changes.filter((c) => c.type === 'DELETE').map((c) => c.path)).toEqual(
        expect.arrayContaining(['environments/acme-prod/config.yaml', 'environments/acme-prod/secrets/s.sops.yaml', 'clusters/acme-prod/m/k.yaml']),
      );
      expect(existsSync(join(root, 'environments/acme-prod/config.yaml'))).toBe(true);
      flushChanges(root, changes);
      expect(existsSync(join(root, 'environments/acme-prod'))).toBe(false);
      expect(existsSync(join(root, 'clusters/acme-prod'))).toBe(false);
      expect(existsSync(join(root, 'environments/keep/config.yaml'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
