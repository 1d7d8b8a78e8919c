import { describe, expect, it } from 'vitest';
import { hasShared, realTool, skipMessage } from '@ck8s/testing';
import { constraint, DEPLOYMENT, HELM_RELEASE, sharedOptions, TEMPLATE } from '../test-support';
import { validate } from '../validate';

/**
 * The wrapper's kubeconform engine with the real, pinned kubeconform (not a stand-in): flags, JSON output,
 * the rewritten copies for SOPS files and constraints, and the fields filled in from the wrapper's own parse.
 */
const bin = realTool('kubeconform', "the wrapper's kubeconform engine");
const SHARED = hasShared('schemas');
if (!SHARED) console.log(skipMessage('schemas'));

const SOPS_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: credentials
  namespace: apps
stringData:
  password: ENC[AES256_GCM,data:YWJj,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
sops:
  age:
    - recipient: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
      enc: fake
  mac: ENC[AES256_GCM,data:YWJj,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
  version: 3.11.0
`;

describe.skipIf(!bin || !SHARED)('kubeconform engine with the real binary', () => {
  const env = { PATH: process.env.PATH, KUBECONFORM_BIN: bin };

  it('validates through kubeconform and maps its results, with the same verdicts as the builtin engine', async () => {
    const content = [
      DEPLOYMENT,
      DEPLOYMENT.replace('replicas: 2', 'replicas: "2"').replace('name: web\n  namespace', 'name: web2\n  namespace'),
      HELM_RELEASE.replace('  interval: 10m\n', '  interval: 10m\n  foo: bar\n'),
      TEMPLATE,
      constraint('    labels:\n      - key: owner\n        bogus: 1\n'),
      SOPS_SECRET,
      HELM_RELEASE.replace('helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta1'),
    ].join('---\n');
    const documents = [{ filename: 'clusters/x/y.yaml', content }];
    const real = await validate({ ...sharedOptions(), documents, engine: 'kubeconform', env });
    expect(real.engine).toBe('kubeconform');
    const rows = real.resources.map((r) => [r.document, r.kind, r.namespace, r.name, r.status, r.errors.map((e) => e.path)]);
    expect(rows).toEqual([
      [0, 'Deployment', 'apps', 'web', 'valid', []],
      [1, 'Deployment', 'apps', 'web2', 'invalid', ['/spec/replicas']],
      // kubeconform names the object holding an unknown field, not the field.
      [2, 'HelmRelease', 'flux-system', 'traefik', 'invalid', ['/spec']],
      [3, 'ConstraintTemplate', '', 'k8srequiredlabels', 'valid', []],
      // Constraints are checked in-process against the template, even with the kubeconform engine.
      [4, 'K8sRequiredLabels', '', 'must-have-owner', 'invalid', ['/spec/parameters/labels/0/bogus']],
      // kubeconform got a copy without the sops block, so the encrypted Secret is valid.
      [5, 'Secret', 'apps', 'credentials', 'valid', []],
      [6, 'HelmRelease', 'flux-system', 'traefik', 'error', ['']],
    ]);
    expect(real.resources[1].errors[0].reason).toBe('got string, want null or integer');
    expect(real.resources[6].errors[0].reason).toMatch(/^could not find schema for HelmRelease \(.*use helm\.toolkit\.fluxcd\.io\/v2\)$/);

    const builtin = await validate({ ...sharedOptions(), documents, engine: 'builtin' });
    expect(builtin.resources.map((r) => [r.kind, r.name, r.status])).toEqual(real.resources.map((r) => [r.kind, r.name, r.status]));
  });

  it('reports duplicate keys under -strict as kubeconform does: an unmarshalling error', async () => {
    const documents = [{ filename: 'dup.yaml', content: DEPLOYMENT.replace('  namespace: apps\n', '  namespace: apps\n  namespace: other\n') }];
    const real = await validate({ ...sharedOptions(), documents, engine: 'kubeconform', env });
    expect(real.resources.map((r) => r.status)).toEqual(['error']);
    expect(real.resources[0].errors[0].reason).toMatch(/^error unmarshalling resource: .*key "namespace" already set in map/s);
    const relaxed = await validate({ ...sharedOptions({ strict: false }), documents, engine: 'kubeconform', env });
    // Without -strict the schema folder has no -strict suffix, which ../shared does not have: a missing schema, not a YAML error.
    expect(relaxed.resources.map((r) => [r.status, r.errors[0]?.reason])).toEqual([['error', 'could not find schema for Deployment']]);
  });
});
