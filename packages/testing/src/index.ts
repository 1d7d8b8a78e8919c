import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { describeTool, findTool, missingToolMessage, toolsRequired } from '@ck8s/toolchain';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** The repository root (this file lives at packages/testing/src). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/**
 * Data shared between sessions (schemas, real-tool fixtures, chart values) lives next to the
 * repository, never inside it. `CK8S_SHARED_DIR` points elsewhere when the layout differs.
 */
export function sharedDir(...parts: string[]): string {
  const base = process.env.CK8S_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
  return join(base, ...parts);
}

/**
 * Whether a shared data path exists; tests use it with `describe.skipIf` and say why they skip. With
 * CI=true a missing path throws instead, naming it: CI must never pass by skipping what it was meant to check.
 */
export function hasShared(...parts: string[]): boolean {
  if (existsSync(sharedDir(...parts))) return true;
  if (toolsRequired()) {
    throw new Error(`shared test data missing: ${sharedDir(...parts)} (required with CI=true; set CK8S_SHARED_DIR to the shared data folder)`);
  }
  return false;
}

export function skipMessage(...parts: string[]): string {
  return `skipped: ${sharedDir(...parts)} is absent (shared test data is read from ../shared, never copied into the repo)`;
}

/** A fresh temporary directory and a cleanup function. */
export function tempDir(prefix = 'ck8s-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` with its content, keyed by path relative to `dir` (empty when `dir` is absent). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * A real external tool for a test suite: its path, or undefined outside CI when it is missing (the suite
 * then skips with `describe.skipIf(!bin)` and the fallback is all that ran). With CI=true a missing tool
 * throws while the test file loads, so the file fails naming the tool instead of skipping.
 */
export function realTool(name: string, purpose: string): string | undefined {
  const found = findTool(name);
  if (!found && toolsRequired()) throw new Error(missingToolMessage(name, purpose));
  if (!found) console.warn(`skipped: ${missingToolMessage(name, purpose)}`);
  else console.log(`using ${describeTool(name)} for ${purpose}`);
  return found;
}
export * from './hostile-yaml';
