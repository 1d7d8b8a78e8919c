import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@ck8s/testing';
import { main } from '../cli/main';
import { constraint, DEPLOYMENT, TEMPLATE } from '../test-support';
import { validate } from '../validate';
import { parseKubeconformOutput } from './kubeconform';
import { chooseEngine } from './select';

/** The stand-in's -output json entries (printf formats: %s is the file name). */
const INVALID_DEPLOYMENT =
  '{"filename": "%s", "kind": "Deployment", "name": "web", "version": "apps/v1", "status": "statusInvalid", ' +
  '"msg": "expected integer or null, but got string", ' +
  '"validationErrors": [{"path": "/spec/replicas", "msg": "expected integer or null, but got string"}]}';
const MISSING_SCHEMA =
  '{"filename": "%s", "kind": "HelmRelease", "name": "traefik", "version": "helm.toolkit.fluxcd.io/v2beta1", ' +
  '"status": "statusError", "msg": "could not find schema for HelmRelease"}';

/**
 * A stand-in for the kubeconform binary: records its arguments, keeps a copy of every file it is
 * given, and answers in kubeconform's -output json format (one invalid Deployment per file, plus a
 * missing schema for a removed Flux API when the file mentions one).
 */
const STAND_IN = `#!/bin/sh
printf '%s\\n' "$@" > "$STANDIN_DIR/args"
mkdir -p "$STANDIN_DIR/copies"
patterns="$STANDIN_DIR/patterns"; : > "$patterns"
list="$STANDIN_DIR/files"; : > "$list"
expect=""
for a in "$@"; do
  if [ -n "$expect" ]; then
    [ "$expect" = "-ignore-filename-pattern" ] && printf '%s\\n' "$a" >> "$patterns"
    expect=""
    continue
  fi
  case "$a" in
    -output|-schema-location|-skip|-reject|-kubernetes-version|-n|-cache|-ignore-filename-pattern) expect="$a"; continue ;;
    -*) continue ;;
  esac
  if [ -d "$a" ]; then find "$a" -name '*.yaml' | sort >> "$list"; elif [ -f "$a" ]; then printf '%s\\n' "$a" >> "$list"; fi
done
first=1
printf '{\\n  "resources": [\\n'
while IFS= read -r f; do
  if [ -s "$patterns" ] && printf '%s\\n' "$f" | grep -qEf "$patterns"; then continue; fi
  cp "$f" "$STANDIN_DIR/copies/"
  [ $first = 1 ] || printf ',\\n'
  first=0
  printf '    ${INVALID_DEPLOYMENT}' "$f"
  if grep -q 'v2beta1' "$f"; then
    printf ',\\n    ${MISSING_SCHEMA}' "$f"
  fi
done < "$list"
printf '\\n  ],\\n  "summary": {"valid": 0, "invalid": 1, "errors": 0, "skipped": 0}\\n}\\n'
exit 1
`;

const HELM_V2BETA1 = 'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: traefik\n  namespace: flux-system\nspec: {}\n';

describe('delegation to a kubeconform binary', () => {
  let dir: string;
  let cleanup: () => void;
  let binDir: string;
  let env: Record<string, string | undefined>;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('kcw-delegate-'));
    binDir = join(dir, 'bin');
    mkdirSync(binDir);
    writeFileSync(join(binDir, 'kubeconform'), STAND_IN);
    chmodSync(join(binDir, 'kubeconform'), 0o755);
    // KUBECONFORM_BIN wins over the pinned build in .tools/bin and over PATH, so the stand-in is what runs.
    env = { PATH: process.env.PATH, KUBECONFORM_BIN: join(binDir, 'kubeconform'), STANDIN_DIR: dir };
  });
  afterEach(() => cleanup());

  const args = () => readFileSync(join(dir, 'args'), 'utf8').trimEnd().split('\n');

  it('runs KUBECONFORM_BIN, passes kubeconform flags plus -output json, and maps its results', async () => {
    const report = await validate({
      documents: [{ filename: 'clusters/x/y.yaml', content: `${HELM_V2BETA1}---\n${DEPLOYMENT.replace('replicas: 2', 'replicas: "2"')}` }],
      schemaLocations: ['default', '/schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'],
      strict: true,
      kubernetesVersion: '1.36.0',
      skip: ['Secret'],
      env,
    });
    expect(report.engine).toBe('kubeconform');
    expect(report.ok).toBe(false);
    expect(report.resources).toEqual([
      {
        filename: 'clusters/x/y.yaml',
        document: 0,
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        namespace: 'flux-system',
        name: 'traefik',
        status: 'error',
        errors: [
          {
            path: '',
            reason: 'could not find schema for HelmRelease (helm.toolkit.fluxcd.io/v2beta1 is a removed Flux API version; use helm.toolkit.fluxcd.io/v2)',
          },
        ],
        warnings: [],
      },
      {
        filename: 'clusters/x/y.yaml',
        document: 1,
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        namespace: 'apps',
        name: 'web',
        status: 'invalid',
        errors: [{ path: '/spec/replicas', reason: 'expected integer or null, but got string' }],
        warnings: [],
      },
    ]);
    const a = args();
    expect(a.slice(0, 4)).toEqual(['-output', 'json', '-verbose', '-summary']);
    expect(a).toContain('-strict');
    expect(a.join(' ')).toContain('-schema-location default -schema-location /schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json');
    expect(a.join(' ')).toContain('-skip Secret');
    expect(a.join(' ')).toContain('-kubernetes-version 1.36.0');
  });

  it('hands files on disk over by path', async () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    const file = join(work, 'deploy.yaml');
    writeFileSync(file, DEPLOYMENT);
    const report = await validate({ inputs: [work], env });
    expect(args()).toContain(work);
    expect(report.resources.map((r) => [r.filename, r.document, r.namespace])).toEqual([[file, 0, 'apps']]);
  });

  it('checks Gatekeeper constraints in-process and hands kubeconform copies without them or sops blocks', async () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    const file = join(work, 'policy.yaml');
    const sopsSecret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: ENC[AES256_GCM,data:YQ==,iv:YQ==,tag:YQ==,type:str]\n' +
      'sops:\n  age:\n    - recipient: age1x\n  mac: ENC[AES256_GCM,data:YQ==,iv:YQ==,tag:YQ==,type:str]\n';
    writeFileSync(file, `${TEMPLATE}---\n${constraint('    labels:\n      - key: owner\n        bogus: 1\n')}---\n${sopsSecret}`);
    const report = await validate({ inputs: [work], strict: true, env });
    const a = args();
    expect(a).toContain('-ignore-filename-pattern');
    expect(a[a.indexOf('-ignore-filename-pattern') + 1]).toBe(`^${file.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`);
    const copies = readdirSync(join(dir, 'copies'));
    expect(copies).toHaveLength(1);
    const copy = readFileSync(join(dir, 'copies', copies[0]), 'utf8');
    expect(copy).toContain('kind: ConstraintTemplate');
    expect(copy).not.toContain('K8sRequiredLabels\nmetadata');
    expect(copy).toContain('kind: Secret');
    expect(copy).not.toContain('sops:');
    const constraintResult = report.resources.find((r) => r.kind === 'K8sRequiredLabels');
    expect(constraintResult).toMatchObject({ filename: file, document: 1, status: 'invalid' });
    expect(constraintResult?.errors).toEqual([{ path: '/spec/parameters/labels/0/bogus', reason: 'unknown field "bogus" (additionalProperties false)' }]);
  });

  it('uses KUBECONFORM_BIN, then the pinned build, then PATH, and the builtin engine when KUBECONFORM_WRAPPER_ENGINE=builtin', () => {
    const bin = join(binDir, 'kubeconform');
    const noPinned = join(dir, 'no-pinned-build');
    const pinned = join(dir, 'pinned');
    mkdirSync(pinned);
    writeFileSync(join(pinned, 'kubeconform'), '#!/bin/sh\n');
    chmodSync(join(pinned, 'kubeconform'), 0o755);
    expect(chooseEngine('auto', { PATH: '', KUBECONFORM_BIN: bin }, pinned)).toEqual({ engine: 'kubeconform', binary: bin });
    expect(chooseEngine('auto', { PATH: binDir }, pinned)).toEqual({ engine: 'kubeconform', binary: join(pinned, 'kubeconform') });
    expect(chooseEngine('auto', { PATH: binDir }, noPinned)).toEqual({ engine: 'kubeconform', binary: bin });
    expect(chooseEngine('auto', { PATH: binDir, KUBECONFORM_WRAPPER_ENGINE: 'builtin' }, pinned)).toEqual({ engine: 'builtin' });
    expect(chooseEngine('auto', { PATH: '' }, noPinned)).toEqual({ engine: 'builtin' });
    expect(() => chooseEngine('kubeconform', { PATH: '' }, noPinned)).toThrow(/no kubeconform binary was found/);
    expect(() => chooseEngine('auto', { KUBECONFORM_BIN: join(dir, 'missing') })).toThrow(/is not an executable file/);
  });

  it('reports the engine through the CLI', async () => {
    let out = '';
    const code = await main(['-output', 'json', '-summary', '-'], {
      stdout: (t) => (out += t),
      stderr: () => {},
      env,
      stdinText: () => DEPLOYMENT,
    });
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.engine).toBe('kubeconform');
    expect(json.resources[0]).toMatchObject({ filename: 'stdin', kind: 'Deployment', status: 'statusInvalid', document: 0 });
  });

  it('passes the CLI flags that change downloads on to kubeconform (-insecure-skip-tls-verify, -cache, -n)', async () => {
    const io = { stdout: () => {}, stderr: () => {}, env, stdinText: () => DEPLOYMENT };
    await main(['-insecure-skip-tls-verify', '-cache', join(dir, 'cache'), '-n', '2', '-'], io);
    expect(args()).toContain('-insecure-skip-tls-verify');
    expect(args().join(' ')).toContain(`-n 2 -cache ${join(dir, 'cache')}`);
    await main(['-'], io);
    expect(args()).not.toContain('-insecure-skip-tls-verify');
  });
});

describe('parseKubeconformOutput', () => {
  it('reads every status, including the pre-0.5 spellings and empty documents', () => {
    const out = JSON.stringify({
      resources: [
        { filename: 'a.yaml', kind: 'A', name: 'a', version: 'v1', status: 'statusValid', msg: '' },
        { filename: 'a.yaml', kind: 'B', name: 'b', version: 'v1', status: 'INVALID', msg: 'Additional property x is not allowed' },
        { filename: 'a.yaml', kind: 'C', name: 'c', version: 'v1', status: 'statusSkipped', msg: '' },
        { filename: 'a.yaml', kind: '', name: '', version: '', status: '', msg: '' },
      ],
    });
    expect(parseKubeconformOutput(out).map((r) => [r.status, r.errors])).toEqual([
      ['valid', []],
      ['invalid', [{ path: '', reason: 'Additional property x is not allowed' }]],
      ['skipped', []],
      ['empty', []],
    ]);
  });
});
