import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { formatReport } from '../format';
import { check, constraint, DEPLOYMENT, HELM_RELEASE, sharedOptions, TEMPLATE } from '../test-support';
import type { ValidateOptions } from '../types';
import { validateDocuments } from '../validate';

const SHARED = hasShared('schemas');
if (!SHARED) console.log(skipMessage('schemas'));

/** The text lines a report prints, without the summary. */
function lines(content: string, options: ValidateOptions): string[] {
  const report = validateDocuments({ ...options, documents: [{ filename: 'clusters/x/y.yaml', content }] });
  return formatReport(report, 'text').trimEnd().split('\n');
}

describe.skipIf(!SHARED)('builtin engine against ../shared/schemas', () => {
  it('accepts valid core and Flux resources', () => {
    const results = check(`${DEPLOYMENT}---\n${HELM_RELEASE}`);
    expect(results.map((r) => [r.kind, r.status, r.errors])).toEqual([
      ['Deployment', 'valid', []],
      ['HelmRelease', 'valid', []],
    ]);
  });

  it('rejects an unknown field, naming file, document, object, path and reason', () => {
    const bad = HELM_RELEASE.replace('  interval: 10m\n', '  interval: 10m\n  foo: bar\n');
    const [, r] = check(`${DEPLOYMENT}---\n${bad}`);
    expect(r.status).toBe('invalid');
    expect(r.errors).toEqual([{ path: '/spec/foo', reason: 'unknown field "foo" (additionalProperties false)' }]);
    const report = validateDocuments({ ...sharedOptions(), documents: [{ filename: 'clusters/x/y.yaml', content: `${DEPLOYMENT}---\n---\n${bad}` }] });
    expect(formatReport(report, 'text')).toBe(
      'clusters/x/y.yaml#2 HelmRelease/flux-system/traefik: /spec/foo: unknown field "foo" (additionalProperties false)\n',
    );
  });

  it('rejects an unknown field deep inside a core kind', () => {
    const [r] = check(DEPLOYMENT.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: IfNotPresent\n          imagePullPolcy: Always'));
    expect(r.errors).toEqual([
      { path: '/spec/template/spec/containers/0/imagePullPolcy', reason: 'unknown field "imagePullPolcy" (additionalProperties false)' },
    ]);
  });

  it('rejects a wrong type', () => {
    const [r] = check(DEPLOYMENT.replace('replicas: 2', 'replicas: "2"'));
    expect(r.status).toBe('invalid');
    expect(r.errors).toEqual([{ path: '/spec/replicas', reason: 'expected integer or null, but got string' }]);
  });

  it('rejects a missing required field', () => {
    const [r] = check(DEPLOYMENT.replace('        - name: web\n          image', '        - image'));
    expect(r.errors).toEqual([{ path: '/spec/template/spec/containers/0', reason: 'missing required field "name"' }]);
    const [cm] = check('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - name: http\n');
    expect(cm.errors).toEqual([{ path: '/spec/ports/0', reason: 'missing required field "port"' }]);
  });

  it('reports a removed Flux API version as a missing schema, with a hint', () => {
    const [r] = check(HELM_RELEASE.replace('helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta1'));
    expect(r.status).toBe('error');
    expect(r.errors[0].reason).toBe(
      'could not find schema for HelmRelease (helm.toolkit.fluxcd.io/v2beta1 is a removed Flux API version; use helm.toolkit.fluxcd.io/v2)',
    );
    const [plain] = check('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    expect(plain.errors[0].reason).toBe('could not find schema for Widget');
  });

  it('skips kinds without a schema under -ignore-missing-schemas, keeping the hint as a warning', () => {
    const [r] = check(HELM_RELEASE.replace('/v2\n', '/v2beta2\n'), { ignoreMissingSchemas: true });
    expect(r.status).toBe('skipped');
    expect(r.warnings).toEqual(['helm.toolkit.fluxcd.io/v2beta2 is a removed Flux API version; use helm.toolkit.fluxcd.io/v2']);
    expect(lines(HELM_RELEASE.replace('/v2\n', '/v2beta2\n'), sharedOptions({ ignoreMissingSchemas: true }))).toEqual([
      'clusters/x/y.yaml#0 HelmRelease/flux-system/traefik: ' +
        'warning: helm.toolkit.fluxcd.io/v2beta2 is a removed Flux API version; use helm.toolkit.fluxcd.io/v2',
    ]);
  });

  it('rejects duplicate keys only under -strict', () => {
    const dup = DEPLOYMENT.replace('  namespace: apps\n', '  namespace: apps\n  namespace: other\n');
    const [strict] = check(dup);
    expect(strict.status).toBe('error');
    expect(strict.errors).toEqual([{ path: '/metadata/namespace', reason: 'duplicate key "namespace" (line 6)', line: 6 }]);
    const [lenient] = check(dup, {
      strict: false,
      schemaLocations: [`${sharedDir('schemas', 'kubernetes')}/{{.NormalizedKubernetesVersion}}-standalone-strict/{{.ResourceKind}}{{.KindSuffix}}.json`],
    });
    expect(lenient.status).toBe('valid');
    expect(lenient.namespace).toBe('other');
  });

  it('applies -skip and -reject by kind and by group/version/Kind', () => {
    const both = `${DEPLOYMENT}---\n${HELM_RELEASE}`;
    expect(check(both, { skip: ['Deployment'] }).map((r) => r.status)).toEqual(['skipped', 'valid']);
    expect(check(both, { skip: ['helm.toolkit.fluxcd.io/v2/HelmRelease'] }).map((r) => r.status)).toEqual(['valid', 'skipped']);
    expect(check(both, { skip: ['apps/v2/Deployment'] }).map((r) => r.status)).toEqual(['valid', 'valid']);
    const [rejected] = check(DEPLOYMENT, { reject: ['apps/v1/Deployment'] });
    expect(rejected.status).toBe('error');
    expect(rejected.errors[0].reason).toBe('prohibited resource kind Deployment');
  });

  it('reports YAML that is not a resource like kubeconform', () => {
    const [noKind] = check('apiVersion: v1\nmetadata:\n  name: x\n');
    expect(noKind.errors[0].reason).toBe("error while parsing: missing 'kind' key");
    const [broken] = check('a: [1, 2\n');
    expect(broken.status).toBe('error');
    expect(broken.errors[0].reason).toMatch(/^error unmarshalling resource: /);
    expect(check('---\n# nothing\n').map((r) => r.status)).toEqual(['empty']);
  });

  it('validates each item of a List', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n' +
      '  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n' +
      '  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    dta: {}\n';
    const results = check(list);
    expect(results.map((r) => [r.name, r.listItem, r.status])).toEqual([
      ['a', 0, 'valid'],
      ['b', 1, 'invalid'],
    ]);
  });

  it('checks Secret data is base64 and treats -strict as kubeconform does for core kinds', () => {
    const [r] = check('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: hunter2!\n');
    expect(r.errors).toEqual([{ path: '/data/password', reason: '"hunter2!" is not a valid base64 value (format: byte)' }]);
  });
});

describe.skipIf(!SHARED)('Gatekeeper constraints', () => {
  const owner = '    labels:\n      - key: owner\n';

  it('validates parameters against the ConstraintTemplate in the same input set', () => {
    const results = check(`${constraint(owner)}---\n${TEMPLATE}`);
    expect(results.map((r) => [r.kind, r.status, r.errors])).toEqual([
      ['K8sRequiredLabels', 'valid', []],
      ['ConstraintTemplate', 'valid', []],
    ]);
  });

  it('rejects parameters that break the template schema', () => {
    const [r] = check(`${constraint('    labels:\n      - key: owner\n        allowedRgx: "^a"\n    mesage: hi\n')}---\n${TEMPLATE}`);
    expect(r.status).toBe('invalid');
    expect(r.errors).toEqual([
      { path: '/spec/parameters/labels/0/allowedRgx', reason: 'unknown field "allowedRgx" (additionalProperties false)' },
      { path: '/spec/parameters/mesage', reason: 'unknown field "mesage" (additionalProperties false)' },
    ]);
    const [wrongType] = check(`${constraint('    labels: owner\n')}---\n${TEMPLATE}`);
    expect(wrongType.errors).toEqual([{ path: '/spec/parameters/labels', reason: 'expected array, but got string' }]);
  });

  it('checks match and enforcementAction with the built-in constraint schema', () => {
    const bad = constraint(owner).replace('enforcementAction: deny', 'enforcementAction: block').replace('    kinds:', '    kind:');
    const [r] = check(`${bad}---\n${TEMPLATE}`);
    expect(r.errors).toEqual([
      { path: '/spec/enforcementAction', reason: 'must be one of "deny", "dryrun", "warn", "scoped", but got "block"' },
      { path: '/spec/match/kind', reason: 'unknown field "kind" (additionalProperties false)' },
    ]);
  });

  it('accepts unknown parameters when the template uses a legacy schema', () => {
    const legacy = TEMPLATE.replace('      validation:\n', '      validation:\n        legacySchema: true\n');
    expect(check(`${constraint(`${owner}    extra: 1\n`)}---\n${legacy}`)[0].status).toBe('valid');
    // templates.gatekeeper.sh/v1beta1 defaults to legacySchema: true
    const beta = TEMPLATE.replace('templates.gatekeeper.sh/v1', 'templates.gatekeeper.sh/v1beta1');
    expect(check(`${constraint(`${owner}    extra: 1\n`)}---\n${beta}`)[0].status).toBe('valid');
  });

  it('reports a constraint whose template is not in the input', () => {
    const [r] = check(constraint(owner));
    expect(r.status).toBe('error');
    expect(r.errors[0].reason).toBe('no ConstraintTemplate for kind K8sRequiredLabels');
    expect(check(constraint(owner), { ignoreMissingSchemas: true })[0].status).toBe('skipped');
  });

  it('finds the template in another file of the same run', () => {
    const report = validateDocuments({
      ...sharedOptions(),
      documents: [
        { filename: 'a/constraint.yaml', content: constraint(owner) },
        { filename: 'b/template.yaml', content: TEMPLATE },
      ],
    });
    expect(report.ok).toBe(true);
  });
});

describe.skipIf(!SHARED || !hasShared('fixtures', 'sops'))('SOPS-encrypted manifests', () => {
  it('passes the real sops fixtures (sops block tolerated, ENC values accepted)', () => {
    for (const f of ['age-secret.sops.yaml', 'age-global-secret.sops.yaml', 'age-pq-secret.sops.yaml']) {
      const [r] = check(readFileSync(sharedDir('fixtures', 'sops', f), 'utf8'), {}, f);
      expect([f, r.status, r.errors]).toEqual([f, 'valid', []]);
    }
  });

  it('accepts ENC values in base64 data fields and checks the rest of the document', () => {
    const text = readFileSync(sharedDir('fixtures', 'sops', 'age-secret.sops.yaml'), 'utf8');
    const enc = 'ENC[AES256_GCM,data:mHeXsmQ=,iv:vUMpILz3xchORqkzDFvgwENY7EqIHHGJdEF6C8xqbFE=,tag:IroV7hykADvD0IUaq6kikA==,type:str]';
    const withData = text.replace('stringData:\n', `data:\n  cert: ${enc}\nstringData:\n`);
    expect(check(withData)[0].status).toBe('valid');
    const typo = text.replace('stringData:', 'stringDta:');
    expect(check(typo)[0].errors).toEqual([{ path: '/stringDta', reason: 'unknown field "stringDta" (additionalProperties false)' }]);
  });

  it('does not tolerate a sops block without a mac', () => {
    const text = readFileSync(sharedDir('fixtures', 'sops', 'age-secret.sops.yaml'), 'utf8').replace(/  mac: .*\n/, '');
    expect(check(text)[0].errors.map((e) => e.path)).toContain('/sops');
  });
});
