import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localMmdc, mermaidBlocks, renderMarkdownDiagrams } from '@ck8s/docs';
import { realTool, repoRoot, tempDir } from '@ck8s/testing';
import { toolsRequired } from '@ck8s/toolchain';
import { listEnvironments } from '../workspace';

/**
 * The Mermaid CLI (npm @mermaid-js/mermaid-cli, installed by `npm ci`) with Debian's chromium as its
 * browser. With CI=true a missing one fails the file, naming it; otherwise the suite skips saying so.
 */
function mermaidCli(): { mmdc: string; chromium: string } | undefined {
  const mmdc = localMmdc();
  if (!mmdc) {
    const message = 'mmdc not found (rendering the README diagrams): run `npm ci` (devDependency @mermaid-js/mermaid-cli of packages/docs)';
    if (toolsRequired()) throw new Error(message);
    console.warn(`skipped: ${message}`);
    return undefined;
  }
  const chromium = realTool('chromium', 'the browser the Mermaid CLI renders the README diagrams in (apt-get install -y chromium)');
  return chromium ? { mmdc, chromium } : undefined;
}

const cli = mermaidCli();
// DIAGRAMS_OUT keeps the PNGs for a person to look at; by default they go to a temporary folder.
const out = process.env.DIAGRAMS_OUT ? { dir: process.env.DIAGRAMS_OUT, cleanup: () => {} } : tempDir('ck8s-diagrams-');

describe.skipIf(!cli)('README diagrams rendered by the Mermaid CLI', () => {
  afterAll(() => out.cleanup());

  for (const env of listEnvironments(repoRoot)) {
    it(`${env}: every diagram of clusters/${env}/README.md renders without an error`, () => {
      const readme = readFileSync(join(repoRoot, 'clusters', env, 'README.md'), 'utf8');
      const dir = join(out.dir, env);
      mkdirSync(dir, { recursive: true });
      const run = renderMarkdownDiagrams(readme, dir, cli!.mmdc, cli!.chromium);
      expect(run.output).not.toMatch(/error/i);
      expect(run.ok).toBe(true);
      expect(run.images).toHaveLength(mermaidBlocks(readme).length);
      // A diagram that rendered has boxes and text: far more than an empty canvas.
      for (const png of run.images) expect(statSync(png).size).toBeGreaterThan(10_000);
    }, 300_000);
  }

  it('fails on a syntax error, naming it', () => {
    const dir = join(out.dir, 'broken');
    mkdirSync(dir, { recursive: true });
    const run = renderMarkdownDiagrams(
      '# x\n\n```mermaid\nflowchart LR\n  a["ok"] --> b["ok"]\n```\n\n```mermaid\nflowchart LR\n  a --> --> b[\n```\n',
      dir,
      cli!.mmdc,
      cli!.chromium,
    );
    expect(run.ok).toBe(false);
    expect(run.output).toMatch(/Parse error/);
    expect(existsSync(join(dir, 'diagram-2.png'))).toBe(false);
  }, 300_000);
});
