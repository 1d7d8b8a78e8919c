import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, snapshot, tempDir } from '@ck8s/testing';
import { renderCommand } from './commands';
import { writeEnvironment } from './workspace';

describe('writeEnvironment', () => {
  let t: ReturnType<typeof tempDir>;
  const clusters = () => join(t.dir, 'clusters');
  beforeEach(() => {
    t = tempDir('ck8s-write-');
    mkdirSync(join(clusters(), 'e'), { recursive: true });
    writeFileSync(join(clusters(), 'e', 'committed.yaml'), 'a: 1\n');
  });
  afterEach(() => t.cleanup());

  it('replaces the folder as a whole', async () => {
    await writeEnvironment(t.dir, 'e', new Map([['clusters/e/c/new.yaml', 'b: 2\n']]));
    expect(snapshot(join(clusters(), 'e'))).toEqual({ 'c/new.yaml': 'b: 2\n' });
    expect(readdirSync(clusters())).toEqual(['e']);
  });

  it('writes nothing when the folder already holds exactly these files, and everything when one byte or file differs', async () => {
    const file = join(clusters(), 'e', 'committed.yaml');
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    expect(await writeEnvironment(t.dir, 'e', new Map([['clusters/e/committed.yaml', 'a: 1\n']]))).toBe('unchanged');
    expect(statSync(file).mtime).toEqual(past);
    expect(await writeEnvironment(t.dir, 'e', new Map([['clusters/e/committed.yaml', 'a: 2\n']]))).toBe('written');
    expect(snapshot(join(clusters(), 'e'))).toEqual({ 'committed.yaml': 'a: 2\n' });
    writeFileSync(join(clusters(), 'e', 'stray.yaml'), 'b: 1\n');
    expect(await writeEnvironment(t.dir, 'e', new Map([['clusters/e/committed.yaml', 'a: 2\n']]))).toBe('written');
    expect(snapshot(join(clusters(), 'e'))).toEqual({ 'committed.yaml': 'a: 2\n' });
  });

  it('leaves the folder as it was and no temporary folder behind when a write fails midway', async () => {
    const before = snapshot(clusters());
    // "c" is both a file and a folder: its folder is created, then writing it as a file fails.
    const files = new Map([...Array.from({ length: 100 }, (_, i) => [`clusters/e/c/f${i}.yaml`, 'x: 1\n'] as [string, string]), ['clusters/e/c', 'boom\n']]);
    await expect(writeEnvironment(t.dir, 'e', files)).rejects.toThrow(/EISDIR|illegal operation on a directory/);
    expect(snapshot(clusters())).toEqual(before);
    expect(readdirSync(clusters())).toEqual(['e']);
  });

  it('removes work folders of renders that were killed, but not of running ones', async () => {
    const dead = spawnSync('true').pid;
    for (const entry of [`.e.tmp-${dead}`, `.e.old-${dead}`, `.e.tmp-${process.ppid}`, `.other.tmp-${dead}`]) mkdirSync(join(clusters(), entry));
    await writeEnvironment(t.dir, 'e', new Map([['clusters/e/x.yaml', 'x: 1\n']]));
    expect(readdirSync(clusters()).sort()).toEqual([`.e.tmp-${process.ppid}`, `.other.tmp-${dead}`, 'e']);
  });
});

describe('renderCommand', () => {
  it('reports a failed write, and leaves clusters/ as it was', async () => {
    const t = tempDir('ck8s-write-');
    try {
      cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
      writeFileSync(join(t.dir, 'clusters'), 'not a folder\n');
      const r = await renderCommand(t.dir, 'example-dev');
      expect(r.ok).toBe(false);
      expect(r.output).toMatch(/^example-dev: could not write clusters\/example-dev\/: .*\nclusters\/example-dev\/ was left unchanged\.\n$/);
    } finally {
      t.cleanup();
    }
  });
});
