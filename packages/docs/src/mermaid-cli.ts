import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The Mermaid CLI installed with the workspace (npm @mermaid-js/mermaid-cli): MMDC_BIN overrides it. */
export function localMmdc(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.MMDC_BIN) return env.MMDC_BIN;
  const bin = resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'mmdc');
  return existsSync(bin) ? bin : undefined;
}

/**
 * Chromium as the Mermaid CLI's browser, started the way this kind of machine allows: as root it needs
 * --no-sandbox, and without the background-networking flags it keeps trying to reach hosts it cannot.
 */
export function puppeteerConfig(chromium: string): object {
  return {
    executablePath: chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

export interface MermaidRun {
  ok: boolean;
  /** The PNG of every diagram, in the order of the Markdown's blocks. */
  images: string[];
  /** What mmdc printed (the parse error, when there is one). */
  output: string;
}

/**
 * Renders every Mermaid block of a Markdown text to PNG with the real Mermaid CLI in one browser
 * session (`mmdc -i x.md -o out.md -e png`). A syntax error in any block makes the run fail.
 */
export function renderMarkdownDiagrams(markdown: string, outDir: string, mmdc: string, chromium: string): MermaidRun {
  const work = mkdtempSync(join(tmpdir(), 'ck8s-mmdc-'));
  try {
    const config = join(work, 'puppeteer.json');
    writeFileSync(config, JSON.stringify(puppeteerConfig(chromium)));
    writeFileSync(join(work, 'in.md'), markdown);
    const r = spawnSync(mmdc, ['-q', '-p', config, '-i', join(work, 'in.md'), '-o', join(outDir, 'diagram.md'), '-e', 'png', '-w', '1600'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    const images = existsSync(outDir)
      ? readdirSync(outDir)
          .filter((f) => /^diagram-\d+\.png$/.test(f))
          .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
          .map((f) => join(outDir, f))
      : [];
    return { ok: r.status === 0, images, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
