import { describe, expect, it } from 'vitest';
import type { ResourceResult, ValidationReport } from '../types';
import { formatReport } from './index';

function resource(over: Partial<ResourceResult>): ResourceResult {
  return {
    filename: 'clusters/x/y.yaml',
    document: 0,
    kind: 'ConfigMap',
    apiVersion: 'v1',
    namespace: 'apps',
    name: 'cm',
    status: 'valid',
    errors: [],
    warnings: [],
    ...over,
  };
}

const REPORT: ValidationReport = {
  engine: 'builtin',
  resources: [
    resource({}),
    resource({
      document: 2,
      kind: 'HelmRelease',
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      namespace: 'flux-system',
      name: 'traefik',
      status: 'invalid',
      errors: [
        { path: '/spec/foo', reason: 'unknown field "foo" (additionalProperties false)' },
        { path: '/spec/interval', reason: 'expected string, but got integer' },
      ],
    }),
    resource({
      filename: 'b.yaml',
      kind: 'Widget',
      apiVersion: 'example.com/v1',
      namespace: '',
      name: 'w',
      status: 'error',
      errors: [{ path: '', reason: 'could not find schema for Widget' }],
    }),
    resource({ filename: 'b.yaml', document: 1, kind: 'Secret', name: 's', status: 'skipped' }),
    resource({ filename: 'c.yaml', document: 0, kind: '', apiVersion: '', namespace: '', name: '', status: 'empty' }),
  ],
  summary: { valid: 1, invalid: 1, errors: 1, skipped: 1, resources: 4, files: 3 },
  ok: false,
  stdin: false,
  durationMs: 12,
};

describe('formatReport', () => {
  it('text: one line per problem with file#document, object, path and reason', () => {
    expect(formatReport(REPORT, 'text')).toBe(
      [
        'clusters/x/y.yaml#2 HelmRelease/flux-system/traefik: /spec/foo: unknown field "foo" (additionalProperties false)',
        'clusters/x/y.yaml#2 HelmRelease/flux-system/traefik: /spec/interval: expected string, but got integer',
        'b.yaml#0 Widget/w: could not find schema for Widget',
        '',
      ].join('\n'),
    );
  });

  it("text: -verbose lists valid and skipped resources and the engine, -summary adds kubeconform's summary", () => {
    const text = formatReport(REPORT, 'text', { verbose: true, summary: true }).trimEnd().split('\n');
    expect(text[0]).toBe('clusters/x/y.yaml#0 ConfigMap/apps/cm: valid');
    expect(text).toContain('b.yaml#1 Secret/apps/s: skipped');
    expect(text.slice(-2)).toEqual(['Engine: builtin', 'Summary: 4 resources found in 3 files - Valid: 1, Invalid: 1, Errors: 1, Skipped: 1']);
    expect(
      formatReport({ ...REPORT, stdin: true }, 'text', { summary: true })
        .trimEnd()
        .split('\n')
        .pop(),
    ).toBe('Summary: 4 resources found parsing stdin - Valid: 1, Invalid: 1, Errors: 1, Skipped: 1');
  });

  it("json: kubeconform's shape, problems only unless verbose, summary on request", () => {
    const json = JSON.parse(formatReport(REPORT, 'json', { summary: true }));
    expect(Object.keys(json)).toEqual(['resources', 'summary', 'engine']);
    expect(json.summary).toEqual({ valid: 1, invalid: 1, errors: 1, skipped: 1 });
    expect(json.engine).toBe('builtin');
    expect(json.resources).toEqual([
      {
        filename: 'clusters/x/y.yaml',
        kind: 'HelmRelease',
        name: 'traefik',
        version: 'helm.toolkit.fluxcd.io/v2',
        status: 'statusInvalid',
        msg: '/spec/foo: unknown field "foo" (additionalProperties false) - /spec/interval: expected string, but got integer',
        validationErrors: [
          { path: '/spec/foo', msg: 'unknown field "foo" (additionalProperties false)' },
          { path: '/spec/interval', msg: 'expected string, but got integer' },
        ],
        namespace: 'flux-system',
        document: 2,
      },
      {
        filename: 'b.yaml',
        kind: 'Widget',
        name: 'w',
        version: 'example.com/v1',
        status: 'statusError',
        msg: 'could not find schema for Widget',
        namespace: '',
        document: 0,
      },
    ]);
    const verbose = JSON.parse(formatReport(REPORT, 'json', { verbose: true }));
    expect(verbose.summary).toBeUndefined();
    expect(verbose.resources.map((r: { status: string }) => r.status)).toEqual(['statusValid', 'statusInvalid', 'statusError', 'statusSkipped']);
  });

  it('tap: kubeconform lines and plan', () => {
    expect(formatReport(REPORT, 'tap')).toBe(
      [
        'TAP version 13',
        'ok 1 - clusters/x/y.yaml (v1/ConfigMap/apps/cm)',
        'not ok 2 - clusters/x/y.yaml (helm.toolkit.fluxcd.io/v2/HelmRelease/flux-system/traefik): ' +
          '/spec/foo: unknown field "foo" (additionalProperties false) - /spec/interval: expected string, but got integer',
        'not ok 3 - b.yaml: could not find schema for Widget',
        'ok 4 - b.yaml (v1/Secret/apps/s) # skip',
        'ok 5 - c.yaml (empty)',
        '1..5',
        '',
      ].join('\n'),
    );
    expect(formatReport({ ...REPORT, resources: [] }, 'tap')).toBe('1..0\n');
  });

  it('junit: one testsuite per file, failures, errors and skips', () => {
    const xml = formatReport(REPORT, 'junit');
    expect(xml.split('\n')[0]).toBe('<testsuites name="kubeconform" time="0.012" tests="4" failures="1" disabled="1" errors="1">');
    expect(xml).toContain('<testsuite name="clusters/x/y.yaml" id="1" tests="2" failures="1" errors="0" disabled="0" skipped="0">');
    expect(xml).toContain('<testcase name="apps/cm" classname="ConfigMap@v1"></testcase>');
    expect(xml).toContain(
      '<failure message="/spec/foo: unknown field &#34;foo&#34; (additionalProperties false) - ' +
        '/spec/interval: expected string, but got integer" type=""></failure>',
    );
    expect(xml).toContain('<error message="could not find schema for Widget" type=""></error>');
    expect(xml).toContain('<skipped message=""></skipped>');
    expect(xml).not.toContain('c.yaml');
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });
});
