import { describe, expect, it } from 'vitest';
import type { FieldError, ResourceResult } from '../types';
import { compareResults, expectedFromBuiltin, kubeconformPaths, verdictOf } from './compare';
import type { RawResult } from './raw-kubeconform';

const unknown = (path: string): FieldError => ({ path, reason: `unknown field "${path.split('/').pop()}" (additionalProperties false)` });
const wrong = (path: string, group?: string): FieldError => ({ path, reason: 'expected integer, but got string', ...(group === undefined ? {} : { group }) });

describe('kubeconformPaths (jsonschema v6 grouping, as kubeconform prints it)', () => {
  it('passes a single error up to the top unchanged', () => {
    expect(kubeconformPaths([wrong('/spec/replicas')])).toEqual(['/spec/replicas']);
  });
  it('reports unknown fields at the object that holds them, once for several', () => {
    expect(kubeconformPaths([unknown('/spec/a'), unknown('/spec/b')])).toEqual(['/spec']);
  });
  it('lists the failing children of the first node where errors branch', () => {
    expect(kubeconformPaths([wrong('/spec/a/x'), wrong('/spec/b')])).toEqual(['/spec/a/x', '/spec/b']);
  });
  it('stops at a node that has several failing children below a branch', () => {
    // The root branches into /metadata and /spec; /spec itself branches, so kubeconform prints /spec.
    expect(kubeconformPaths([unknown('/metadata/x'), wrong('/spec/a'), wrong('/spec/b')])).toEqual(['/metadata', '/spec']);
  });
  it('counts a node with its own error and failing children as a branch', () => {
    expect(kubeconformPaths([{ path: '/spec', reason: 'missing required field "a"' }, wrong('/spec/b')])).toEqual(['/spec', '/spec/b']);
  });
  it('reports errors inside a combinator or $ref at its node, and does not escape "/" in keys', () => {
    expect(kubeconformPaths([wrong('/spec/x/y', '/spec/x'), wrong('/metadata/labels/a~1b')])).toEqual(['/metadata/labels/a/b', '/spec/x']);
  });
  it('reports nothing without errors', () => {
    expect(kubeconformPaths([])).toEqual([]);
  });
});

describe('verdictOf', () => {
  it('tells missing schemas, unreadable YAML, rejected kinds and signature problems apart', () => {
    expect(verdictOf('error', 'could not find schema for Widget')).toBe('missing schema');
    expect(verdictOf('error', 'error unmarshalling resource: yaml: line 3: mapping values are not allowed')).toBe('error: unmarshalling');
    expect(verdictOf('error', 'duplicate key "a" (line 4)')).toBe('error: unmarshalling');
    expect(verdictOf('error', 'prohibited resource kind Secret')).toBe('error: prohibited kind');
    expect(verdictOf('error', "error while parsing: missing 'kind' key")).toBe("error: missing 'kind' key");
    expect(verdictOf('error', 'error while parsing: kind is not a string')).toBe('error: signature');
    expect(verdictOf('valid')).toBe('valid');
  });
});

function builtin(extra: Partial<ResourceResult>): ResourceResult {
  return { filename: 'f.yaml', document: 0, kind: 'Secret', apiVersion: 'v1', namespace: 'a', name: 'n', status: 'valid', errors: [], warnings: [], ...extra };
}

describe('expectedFromBuiltin (intended differences)', () => {
  it('expects kubeconform to have no schema for a Gatekeeper constraint', () => {
    const r = builtin({ kind: 'K8sRequiredLabels', apiVersion: 'constraints.gatekeeper.sh/v1beta1', status: 'invalid', errors: [wrong('/spec/parameters/x')] });
    expect(expectedFromBuiltin(r, {})).toEqual({ verdict: 'missing schema', paths: [], intended: ['gatekeeper constraint'] });
  });
  it('expects kubeconform to see the sops block as an unknown top-level field', () => {
    const sops = { apiVersion: 'v1', kind: 'Secret', sops: { mac: 'ENC[x]', age: [] } };
    expect(expectedFromBuiltin(builtin({}), sops)).toEqual({ verdict: 'invalid', paths: [''], intended: ['sops'] });
    expect(expectedFromBuiltin(builtin({ status: 'invalid', errors: [wrong('/spec/a/b')] }), sops).paths).toEqual(['', '/spec/a/b']);
  });
  it('leaves out base64 errors, which only the builtin engine finds', () => {
    const r = builtin({ status: 'invalid', errors: [{ path: '/data/k', reason: '"x!" is not a valid base64 value (format: byte)' }] });
    expect(expectedFromBuiltin(r, {})).toEqual({ verdict: 'valid', paths: [], intended: ['format: byte'] });
  });
});

describe('compareResults', () => {
  const raw = (status: string, paths: string[] = []): Map<string, RawResult[]> =>
    new Map([['f.yaml', [{ kind: 'Secret', apiVersion: 'v1', name: 'n', status, msg: '', errors: paths.map((path) => ({ path, msg: 'x' })) }]]]);
  const files = [{ filename: 'f.yaml', origin: 'path' as const, content: '', documents: [{ value: {}, duplicates: [], start: 0, end: 0 }] }];

  it('agrees when verdict and paths match', () => {
    const { comparisons } = compareResults(files, [builtin({ status: 'invalid', errors: [unknown('/spec/x')] })], raw('invalid', ['/spec']));
    expect(comparisons.map((c) => c.agree)).toEqual([true]);
  });
  it('disagrees on a different verdict or different paths, and on a different number of resources', () => {
    expect(compareResults(files, [builtin({ status: 'invalid', errors: [unknown('/spec/x')] })], raw('valid')).comparisons[0].agree).toBe(false);
    expect(compareResults(files, [builtin({ status: 'invalid', errors: [wrong('/spec/x')] })], raw('invalid', ['/spec'])).comparisons[0].agree).toBe(false);
    expect(compareResults(files, [builtin({}), builtin({ document: 1 })], raw('valid')).problems).toEqual([
      'f.yaml: the builtin engine reports 2 resources, kubeconform 1',
    ]);
  });
});
