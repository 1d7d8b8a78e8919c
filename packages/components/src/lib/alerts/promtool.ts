import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '@ck8s/manifest';
import type { PromtoolSuite } from './unit-tests';

/** One rule file to check: a name for messages and the `{ groups: [...] }` document. */
export interface RuleFile {
  name: string;
  content: unknown;
}

export interface PromtoolResult {
  ok: boolean;
  /** promtool's stdout and stderr, for the failure message. */
  output: string;
}

function run(bin: string, args: string[], cwd: string): PromtoolResult {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { ok: false, output: `${bin}: ${r.error.message}` };
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A file name promtool's messages can be traced back with (the source path, made filesystem-safe). */
const fileName = (name: string, i: number) => `${String(i).padStart(3, '0')}-${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-150)}.yaml`;

/**
 * `promtool check rules` over several rule files in one run: syntax, PromQL, templates, durations,
 * and duplicate rules (linted as fatal, so a rule rendered twice fails).
 */
export function checkRuleFiles(bin: string, files: readonly RuleFile[]): PromtoolResult {
  if (files.length === 0) return { ok: true, output: '' };
  return inTempDir((dir) => {
    const names = files.map((f, i) => {
      const name = fileName(f.name, i);
      writeFileSync(join(dir, name), toYaml(f.content));
      return name;
    });
    return run(bin, ['check', 'rules', '--lint=duplicate-rules', '--lint-fatal', ...names], dir);
  });
}

/** `promtool test rules` on a generated suite (rules and tests written next to each other). */
export function runPromtoolSuite(bin: string, suite: PromtoolSuite): PromtoolResult {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'rules.yaml'), toYaml(suite.rules));
    writeFileSync(join(dir, 'tests.yaml'), toYaml(suite.tests));
    return run(bin, ['test', 'rules', 'tests.yaml'], dir);
  });
}
