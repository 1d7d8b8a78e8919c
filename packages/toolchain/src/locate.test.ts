import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binVariable, locateTool, missingToolMessage, toolsRequired } from './locate';
import { readPins } from './pins';

const dir = mkdtempSync(join(tmpdir(), 'toolchain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeTool(folder: string, name: string): string {
  mkdirSync(folder, { recursive: true });
  const p = join(folder, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
}

describe('locateTool', () => {
  const pinned = join(dir, 'pinned');
  const onPath = join(dir, 'path');
  fakeTool(pinned, 'both');
  fakeTool(onPath, 'both');
  fakeTool(onPath, 'pathonly');
  writeFileSync(join(pinned, 'notexec'), 'x');

  it('prefers the pinned build over PATH', () => {
    expect(locateTool('both', { PATH: onPath }, pinned)).toEqual({ path: join(pinned, 'both'), source: 'pinned' });
  });
  it('falls back to PATH', () => {
    expect(locateTool('pathonly', { PATH: `/nonexistent:${onPath}` }, pinned)).toEqual({ path: join(onPath, 'pathonly'), source: 'path' });
  });
  it('ignores non-executable files and reports absence', () => {
    expect(locateTool('notexec', { PATH: pinned }, pinned)).toBeUndefined();
  });
  it('lets <NAME>_BIN win and rejects a non-executable one', () => {
    expect(locateTool('both', { PATH: onPath, BOTH_BIN: join(onPath, 'pathonly') }, pinned)?.source).toBe('variable');
    expect(() => locateTool('both', { BOTH_BIN: join(pinned, 'notexec') }, pinned)).toThrow(/BOTH_BIN=.*not an executable/);
  });
  it('names the variable after the tool', () => {
    expect(binVariable('kube-apiserver')).toBe('KUBE_APISERVER_BIN');
  });
});

describe('missing tools', () => {
  it('requireTool names the tool, the purpose and the install command', () => {
    const message = missingToolMessage('gator', 'policy suites');
    expect(message).toMatch(/^gator not found \(policy suites\): run `npm run install-tools` \(builds gator v3\.20\.\d+/);
  });
  it('CI=true makes tools required', () => {
    expect(toolsRequired({ CI: 'true' })).toBe(true);
    expect(toolsRequired({})).toBe(false);
  });
});

describe('versions.txt', () => {
  it('pins every tool the checks rely on, each once', () => {
    const names = readPins().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['kubeconform', 'kustomize', 'sops', 'gator', 'promtool']));
  });
});
