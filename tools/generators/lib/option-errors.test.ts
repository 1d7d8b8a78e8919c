import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@ck8s/testing';

/**
 * Nx checks a generator's schema.json before the generator runs, stops at the first problem and prints
 * it as a regular expression. The generators check every option themselves and report all problems
 * together in their own words, so their schemas leave those constraints out.
 */
const CHECKED_BY_NX = ['pattern', 'enum', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'];
const OURS = ['new-environment', 'add-workload-cluster', 'remove-environment', 'sync-secrets', 'import-ck8s'];

function constraints(schema: unknown, path = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const here = CHECKED_BY_NX.filter((k) => k in s).map((k) => `${path || '(root)'}: ${k}`);
  const props = Object.entries((s.properties as Record<string, unknown>) ?? {}).flatMap(([k, v]) => constraints(v, k));
  return [...here, ...props, ...(s.items ? constraints(s.items, `${path}[]`) : [])];
}

/** `nx g` as a person runs it: a dry run, no prompts, the daemon off. */
function generate(generator: string, ...args: string[]) {
  const r = spawnSync(join(repoRoot, 'node_modules/.bin/nx'), ['g', `@ck8s/tools:${generator}`, ...args, '--dry-run', '--no-interactive'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('generator option errors', () => {
  it('leave every value check to the generator, none to Nx', () => {
    for (const g of OURS) expect(constraints(JSON.parse(readFileSync(join(repoRoot, 'tools/generators', g, 'schema.json'), 'utf8'))), g).toEqual([]);
  });

  it('new-environment reports every bad option at once, in its own words, and writes nothing', () => {
    const r = generate(
      'new-environment',
      '--name',
      'Bad_Name',
      '--flavor',
      'prd',
      '--provider',
      'foo',
      '--domain',
      'x',
      '--ageRecipient',
      'nope',
      '--gitUrl',
      'git@x:y',
      '--email',
      'no',
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('new-environment: 7 invalid options; nothing was written');
    for (const flag of ['--name', '--flavor', '--provider', '--domain', '--ageRecipient', '--gitUrl', '--email'])
      expect(r.out).toMatch(new RegExp(`^\\s+${flag}: `, 'm'));
    expect(r.out).toContain('"prd" is not one of dev, prod, air-gapped');
    expect(r.out).not.toMatch(/should match|\^\[a-z\]/);
  });

  it('add-workload-cluster does the same', () => {
    const r = generate('add-workload-cluster', '--environment', 'example-prod', '--name', 'Apps_C', '--provider', 'nowhere');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('add-workload-cluster: 2 invalid options; nothing was written');
    expect(r.out).toMatch(/--name: "Apps_C" is not a valid cluster name/);
    expect(r.out).toMatch(/--provider: "nowhere" is not one of exoscale/);
    expect(r.out).not.toMatch(/should match/);
  });
});
