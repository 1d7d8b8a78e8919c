import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file lives at packages/toolchain/src). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Where tools/toolchain/install.sh puts the binaries it builds (git-ignored). */
export const toolsBin = join(repoRoot, '.tools', 'bin');

export const versionsFile = join(repoRoot, 'tools', 'toolchain', 'versions.txt');

export interface ToolPin {
  name: string;
  version: string;
  how: string;
  target: string;
}

/** Every pinned tool of tools/toolchain/versions.txt, in file order. */
export function readPins(file = versionsFile): ToolPin[] {
  const pins: ToolPin[] = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, version, how, target] = line.split(/\s+/);
    if (!name || !version || !how || !target) throw new Error(`${file}: malformed line "${line}" (expected: name version how target)`);
    pins.push({ name, version, how, target });
  }
  return pins;
}

export function pinOf(name: string): ToolPin | undefined {
  return readPins().find((p) => p.name === name);
}
