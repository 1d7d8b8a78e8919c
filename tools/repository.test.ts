import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@ck8s/testing';

const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
  .stdout.split('\0')
  .filter((f) => f && existsSync(join(repoRoot, f)));

describe('the repository stands on its own', () => {
  it('no file points at the design brief outside the repository', () => {
    const offenders = tracked.filter(
      (f) => !f.endsWith('package-lock.json') && /shared\/DESIGN\.md|\bDESIGN\.md\b/.test(readFileSync(join(repoRoot, f), 'latin1')),
    );
    expect(offenders).toEqual([]);
  });

  it('every package explains itself in a README', () => {
    const packages = tracked.filter((f) => /^packages\/[^/]+\/package\.json$/.test(f)).map((f) => f.split('/')[1]);
    expect(packages.length).toBeGreaterThan(5);
    expect(packages.filter((p) => !tracked.includes(`packages/${p}/README.md`))).toEqual([]);
  });

  it('the contributor docs exist and the README links them', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const doc of ['docs/architecture.md', 'docs/adding-a-component.md']) {
      expect(tracked).toContain(doc);
      expect(readme).toContain(doc);
    }
  });
});
