import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle } from './bundle-loader';

// The fixture must live inside the workspace (bundles record workspace-relative inputs); tmp/ is git-ignored.
const workspace = resolve(__dirname, '..', '..');
let dir: string;
let entry: string;

function load(bundle: string): { describe: () => string; here: string } {
  // A fresh require per build: the test loads two versions of the same bundle path.
  const req = createRequire(__filename);
  delete req.cache[bundle];
  return req(bundle);
}

beforeAll(() => {
  mkdirSync(join(workspace, 'tmp'), { recursive: true });
  dir = mkdtempSync(join(workspace, 'tmp', 'bundle-'));
  process.env.CK8S_EXECUTOR_CACHE = join(dir, 'cache');
  mkdirSync(join(dir, 'lib'));
  entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      "import { word } from './lib/word';",
      "import YAML from 'yaml';",
      'export const here = __dirname;',
      'export const describe = (): string => YAML.stringify({ word });',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'lib', 'word.ts'), "export const word: string = 'first';\n");
});

afterAll(() => {
  delete process.env.CK8S_EXECUTOR_CACHE;
  rmSync(dir, { recursive: true, force: true });
});

describe('executor bundles', () => {
  it('bundle the TypeScript module with its imports; each module keeps its own __dirname', async () => {
    const { bundle, built } = await ensureBundle(entry);
    expect(built).toBe(true);
    expect(bundle.startsWith(join(dir, 'cache'))).toBe(true);
    const m = load(bundle);
    expect(m.describe()).toBe('word: first\n');
    expect(m.here).toBe(dir);
  });

  it('hold npm packages too, unless asked to leave them to Node (the generators share @nx/devkit with Nx)', async () => {
    const bundled = await ensureBundle(entry);
    const external = await ensureBundle(entry, { packages: 'external' });
    expect(external.bundle).not.toBe(bundled.bundle);
    expect(readFileSync(bundled.bundle, 'utf8')).not.toMatch(/require\("yaml"\)/);
    expect(readFileSync(external.bundle, 'utf8')).toMatch(/require\("yaml"\)/);
    expect(load(external.bundle).describe()).toBe(load(bundled.bundle).describe());
  });

  it('are reused while no input changed, and rebuilt when one did', async () => {
    await ensureBundle(entry);
    expect((await ensureBundle(entry)).built).toBe(false);
    writeFileSync(join(dir, 'lib', 'word.ts'), "export const word: string = 'second';\n");
    const again = await ensureBundle(entry);
    expect(again.built).toBe(true);
    expect(load(again.bundle).describe()).toBe('word: second\n');
  });

  it('report a module that does not compile instead of loading a stale bundle', async () => {
    await ensureBundle(entry);
    writeFileSync(join(dir, 'lib', 'word.ts'), 'export const word: string = ;\n');
    await expect(ensureBundle(entry)).rejects.toThrow(/word\.ts/);
    writeFileSync(join(dir, 'lib', 'word.ts'), "export const word: string = 'first';\n");
  });
});
