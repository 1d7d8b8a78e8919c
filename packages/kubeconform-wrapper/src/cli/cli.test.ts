import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, repoRoot, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
import { sharedSchemaLocations } from '../locations/template';
import { DEPLOYMENT, HELM_RELEASE } from '../test-support';
import { parseArguments } from './args';
import { main } from './main';

const NO_KUBECONFORM = { PATH: '', KUBECONFORM_WRAPPER_ENGINE: 'builtin' };

async function run(argv: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...NO_KUBECONFORM }, stdinText: () => stdin ?? '' });
  return { code, stdout, stderr };
}

describe('parseArguments', () => {
  it("reads kubeconform's flags the way Go's flag package does", () => {
    const a = parseArguments([
      '-strict',
      '--summary',
      '-schema-location',
      'default',
      '-schema-location=/s/{{.ResourceKind}}.json',
      '-skip',
      'Secret, apps/v1/Deployment',
      '-reject=Pod',
      '-ignore-missing-schemas',
      '-kubernetes-version',
      '1.36.0',
      '-output',
      'json',
      '-n',
      '8',
      '-cache',
      '/tmp/c',
      '-verbose=false',
      'dir',
      '-',
      '--',
      '-odd-file.yaml',
    ]);
    expect(a).toMatchObject({
      strict: true,
      summary: true,
      schemaLocations: ['default', '/s/{{.ResourceKind}}.json'],
      skip: ['Secret', 'apps/v1/Deployment'],
      reject: ['Pod'],
      ignoreMissingSchemas: true,
      kubernetesVersion: '1.36.0',
      output: 'json',
      workers: 8,
      cache: '/tmp/c',
      verbose: false,
      files: ['dir', '-', '-odd-file.yaml'],
    });
    expect(() => parseArguments(['-nope'])).toThrow('flag provided but not defined: -nope');
    expect(() => parseArguments(['-output', 'yaml'])).toThrow(/-output must be one of/);
    expect(() => parseArguments(['-schema-location'])).toThrow('flag needs an argument: -schema-location');
  });
});

describe('CLI', () => {
  it('exits 0 for valid input, 1 for invalid input, and reads stdin when no file is given', async () => {
    const schemas = tempDir('kcw-cli-');
    try {
      const dir = join(schemas.dir, 'v1.36.0-standalone-strict');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'configmap-v1.json'),
        JSON.stringify({ type: 'object', additionalProperties: false, properties: { apiVersion: {}, kind: {}, metadata: {}, data: { type: 'object' } } }),
      );
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
      const ok = await run(['-strict', '-summary', '-kubernetes-version', '1.36.0', '-schema-location', schemas.dir], cm);
      expect(ok).toEqual({ code: 0, stdout: 'Summary: 1 resource found parsing stdin - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0\n', stderr: '' });
      const bad = await run(['-strict', '-kubernetes-version', '1.36.0', '-schema-location', schemas.dir], `${cm}dta: {}\n`);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('stdin#0 ConfigMap/a: /dta: unknown field "dta" (additionalProperties false)\n');
    } finally {
      schemas.cleanup();
    }
  });

  it('reports flag errors and prints help', async () => {
    const bad = await run(['-frobnicate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^failed parsing command line: flag provided but not defined: -frobnicate\nUsage:/);
    const help = await run(['-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubeconform-wrapper/);
  });
});

describe.skipIf(!hasShared('schemas'))('CLI as a process (npx tsx src/cli.ts)', () => {
  it('validates a folder with the shared schemas and prints JSON with a summary', () => {
    const t = tempDir('kcw-proc-');
    try {
      writeFileSync(join(t.dir, 'ok.yaml'), `${DEPLOYMENT}---\n${HELM_RELEASE}`);
      writeFileSync(join(t.dir, 'notes.txt'), 'not a manifest');
      const [core, crds] = sharedSchemaLocations(sharedDir());
      const cli = resolve(repoRoot, 'packages/kubeconform-wrapper/src/cli.ts');
      const tsx = resolve(repoRoot, 'node_modules/.bin/tsx');
      const res = spawnSync(
        tsx,
        [cli, '-strict', '-summary', '-output', 'json', '-kubernetes-version', '1.36.0', '-schema-location', core, '-schema-location', crds, t.dir],
        {
          encoding: 'utf8',
          env: { ...process.env, KUBECONFORM_WRAPPER_ENGINE: 'builtin' },
        },
      );
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ resources: [], summary: { valid: 2, invalid: 0, errors: 0, skipped: 0 }, engine: 'builtin' });
    } finally {
      t.cleanup();
    }
  });
});
if (!hasShared('schemas')) console.log(skipMessage('schemas'));
