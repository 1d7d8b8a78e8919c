import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, snapshot, tempDir } from '@ck8s/testing';
import { main } from './cli';

async function run(root: string, ...args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main([...args, '--root', root]), err: err.join('') };
  } finally {
    write.mockRestore();
    out.mockRestore();
  }
}

/** Each bad input: how to break example-dev, and what the error must say (file:line:column key: reason). */
const CASES: { name: string; file: string; edit: (text: string) => string; expect: RegExp }[] = [
  {
    name: 'YAML syntax error',
    file: 'config.yaml',
    edit: (t) => t.replace('flavor: dev', 'flavor: [dev'),
    expect: /environments\/example-dev\/config\.yaml:\d+:\d+: YAML syntax error/,
  },
  {
    name: 'unknown key',
    file: 'config.yaml',
    edit: (t) => t.replace('flavor: dev', 'flavor: dev\nflavour: prod'),
    expect: /config\.yaml:\d+:1: flavour: unknown key \(did you mean "flavor"\?\)/,
  },
  {
    name: 'wrong type',
    file: 'config.yaml',
    edit: (t) => `${t}\ncomponents:\n  ingress:\n    replicas: three\n`,
    expect: /config\.yaml:\d+:5: components\.ingress\.replicas: expected number, got string "three"/,
  },
  {
    name: 'bad domain name',
    file: 'config.yaml',
    edit: (t) => t.replace('domain: dev.example.com', 'domain: dev_example'),
    expect: /config\.yaml:\d+:1: domain: expected a lower-case DNS name with at least two labels/,
  },
  {
    name: 'duplicate cluster names',
    file: 'config.yaml',
    edit: (t) => t.replace('- name: workload', '- name: management'),
    expect: /config\.yaml:\d+:5: clusters\[1\]\.name: duplicate cluster name "management"/,
  },
  {
    name: 'missing required field',
    file: 'config.yaml',
    edit: (t) => t.replace(/^domain: .*\n/m, ''),
    expect: /config\.yaml:\d+:1: domain: missing required key \(expected string\); add it/,
  },
  {
    name: 'unknown key in a cluster file',
    file: 'workload.yaml',
    edit: () => 'components:\n  ingress:\n    replicaz: 2\n',
    expect: /environments\/example-dev\/workload\.yaml:3:5: components\.ingress\.replicaz: unknown key \(did you mean "replicas"\?\)/,
  },
];

describe('bad input: clear error, exit 1, clusters/ unchanged', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    t = tempDir('ck8s-bad-input-');
    cpSync(join(repoRoot, 'environments'), join(t.dir, 'environments'), { recursive: true });
    mkdirSync(join(t.dir, 'clusters'));
    expect((await run(t.dir, 'render')).code).toBe(0);
  });
  afterAll(() => t.cleanup());

  for (const c of CASES) {
    it(c.name, async () => {
      const path = join(t.dir, 'environments/example-dev', c.file);
      let original: string | undefined;
      try {
        original = readFileSync(path, 'utf8');
      } catch {
        original = undefined;
      }
      const before = snapshot(join(t.dir, 'clusters'));
      writeFileSync(path, c.edit(original ?? ''));
      try {
        for (const command of ['render', 'drift']) {
          const r = await run(t.dir, command, '--env', 'example-dev');
          expect(r.code, command).toBe(1);
          expect(r.err, command).toMatch(c.expect);
          expect(r.err).toContain('clusters/example-dev/ was left unchanged');
        }
        expect(snapshot(join(t.dir, 'clusters'))).toEqual(before);
      } finally {
        if (original === undefined) rmSync(path);
        else writeFileSync(path, original);
      }
    });
  }

  it('reports every problem of a run together', async () => {
    const path = join(t.dir, 'environments/example-dev/config.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace('flavor: dev', 'flavor: dev\nflavour: x').replace('domain: dev.example.com', 'domain: nope'));
    try {
      const r = await run(t.dir, 'render', '--env', 'example-dev');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/2 configuration errors:/);
      expect(r.err).toContain('flavour: unknown key');
      expect(r.err).toContain('domain: expected a lower-case DNS name');
    } finally {
      writeFileSync(path, original);
    }
  });
});
