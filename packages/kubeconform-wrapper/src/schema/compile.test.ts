import { describe, expect, it } from 'vitest';
import { checkValue, compileSchema, draftOf, type CompileOptions } from './compile';

function issues(schema: unknown, value: unknown, sops = false, options: CompileOptions = {}) {
  return checkValue(compileSchema(schema, options).validate, value, { sops });
}

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
/** What the core Kubernetes schemas declare; v6 reads it as the latest draft (2020-12). */
const LATEST = 'http://json-schema.org/schema#';

describe('compileSchema', () => {
  it('checks types, including type arrays with null', () => {
    const s = { type: 'object', properties: { n: { type: ['integer', 'null'] } } };
    expect(issues(s, { n: 1 })).toEqual([]);
    expect(issues(s, { n: null })).toEqual([]);
    expect(issues(s, { n: 'x' })).toEqual([{ path: '/n', reason: 'expected integer or null, but got string' }]);
    expect(issues({ type: 'number' }, 2)).toEqual([]);
    expect(issues({ type: 'integer' }, 2.5)).toEqual([{ path: '', reason: 'expected integer, but got number' }]);
  });

  it('reports unknown fields at their own path and missing required fields at the parent', () => {
    const s = { type: 'object', required: ['a'], additionalProperties: false, properties: { a: { type: 'string' } } };
    expect(issues(s, { a: 'x', b: 1, 'c/d': 2 })).toEqual([
      { path: '/b', reason: 'unknown field "b" (additionalProperties false)' },
      { path: '/c~1d', reason: 'unknown field "c/d" (additionalProperties false)' },
    ]);
    expect(issues(s, {})).toEqual([{ path: '', reason: 'missing required field "a"' }]);
  });

  it('applies additionalProperties schemas and patternProperties', () => {
    const s = { type: 'object', patternProperties: { '^x-': { type: 'integer' } }, additionalProperties: { type: 'string' } };
    expect(issues(s, { 'x-a': 1, b: 'ok' })).toEqual([]);
    expect(issues(s, { 'x-a': 'no', b: 2 })).toEqual([
      { path: '/x-a', reason: 'expected integer, but got string' },
      { path: '/b', reason: 'expected string, but got integer' },
    ]);
  });

  it('checks enum, const, pattern, lengths, bounds and array rules', () => {
    expect(issues({ enum: ['Always', 'Never'] }, 'Sometimes')).toEqual([{ path: '', reason: 'must be one of "Always", "Never", but got "Sometimes"' }]);
    expect(issues({ $schema: DRAFT_07, const: 'v1' }, 'v2')).toEqual([{ path: '', reason: 'must be "v1", but got "v2"' }]);
    // const arrived in draft-06; kubeconform's validator ignores it in a draft-04 schema (no $schema).
    expect(issues({ const: 'v1' }, 'v2')).toEqual([]);
    expect(issues({ type: 'string', pattern: '^[a-z]+$' }, 'A')).toEqual([{ path: '', reason: '"A" does not match pattern ^[a-z]+$' }]);
    // Go's inline (?i) (used by prometheus-operator CRDs) is honoured.
    expect(issues({ type: 'string', pattern: '^(?i)(abort|warn)?$' }, 'WARN')).toEqual([]);
    expect(issues({ type: 'string', pattern: '^(?i)(abort|warn)?$' }, 'stop')).toHaveLength(1);
    expect(issues({ type: 'string', minLength: 2, maxLength: 3 }, 'a')).toHaveLength(1);
    expect(issues({ type: 'string', maxLength: 3 }, 'abcd')[0].reason).toBe('length must be <= 3, but got 4');
    expect(issues({ type: 'integer', minimum: 1, maximum: 3 }, 0)[0].reason).toBe('must be >= 1, but got 0');
    expect(issues({ type: 'integer', minimum: 1, exclusiveMinimum: true }, 1)[0].reason).toBe('must be > 1, but got 1');
    expect(issues({ type: 'integer', exclusiveMaximum: 5 }, 5)[0].reason).toBe('must be < 5, but got 5');
    expect(issues({ type: 'array', minItems: 1 }, [])[0].reason).toBe('must have at least 1 items, but has 0');
    expect(issues({ type: 'array', maxItems: 1 }, [1, 2])[0].reason).toBe('must have at most 1 items, but has 2');
    expect(issues({ type: 'array', uniqueItems: true }, [{ a: 1 }, { a: 1 }])[0].reason).toBe('items 0 and 1 are equal, but items must be unique');
    expect(issues({ type: 'array', items: { type: 'string' } }, ['a', 3])).toEqual([{ path: '/1', reason: 'expected string, but got integer' }]);
  });

  it('handles int-or-string in the catalog (anyOf) form, and the bare x-kubernetes form only when asked to', () => {
    const anyOf = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    const bare = { 'x-kubernetes-int-or-string': true };
    const cases: [unknown, CompileOptions][] = [
      [anyOf, {}],
      [bare, { kubernetesExtensions: true }],
    ];
    for (const [s, options] of cases) {
      expect(issues(s, 8080, false, options)).toEqual([]);
      expect(issues(s, '25%', false, options)).toEqual([]);
      expect(issues(s, true, false, options)).toEqual([{ path: '', reason: 'expected integer or string, but got boolean' }]);
    }
    // kubeconform treats x-kubernetes-* as annotations: the bare form accepts anything there.
    expect(issues(bare, true)).toEqual([]);
  });

  it('rejects null where both oneOf alternatives accept it, as kubeconform does', () => {
    const s = { oneOf: [{ type: ['string', 'null'] }, { type: ['integer', 'null'] }] };
    expect(issues(s, 1)).toEqual([]);
    expect(issues(s, null)).toEqual([{ path: '', reason: 'must match exactly one schema in oneOf, but matched 2' }]);
  });

  it('shows the details of the only oneOf alternative that fits the value', () => {
    const s = {
      oneOf: [{ type: 'object', required: ['path'], additionalProperties: false, properties: { path: { type: 'string' } } }, { type: 'string' }],
    };
    // group: kubeconform reports both as one oneOf error at the root.
    expect(issues(s, { pth: 'x' })).toEqual([
      { path: '', reason: 'missing required field "path"', group: '' },
      { path: '/pth', reason: 'unknown field "pth" (additionalProperties false)', group: '' },
    ]);
    expect(issues({ type: 'object', properties: { a: s } }, { a: { path: 1 } })).toEqual([
      { path: '/a/path', reason: 'expected string, but got integer', group: '/a' },
    ]);
  });

  it('supports allOf, not and local $ref (recursive too)', () => {
    expect(issues({ allOf: [{ type: 'string' }, { minLength: 2 }] }, 'a')[0].reason).toBe('length must be >= 2, but got 1');
    expect(issues({ not: { type: 'string' } }, 'a')[0].reason).toBe('must not match the schema in "not"');
    const tree = {
      definitions: {
        node: { type: 'object', additionalProperties: false, properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } },
      },
      $ref: '#/definitions/node',
    };
    // The outermost $ref (at the root) is where kubeconform reports it.
    expect(issues(tree, { children: [{ children: [{ bad: 1 }] }] })).toEqual([
      { path: '/children/0/children/0/bad', reason: 'unknown field "bad" (additionalProperties false)', group: '' },
    ]);
    expect(() => compileSchema({ $ref: 'https://example.com/x.json' })).toThrow(/unsupported \$ref/);
  });

  it('ignores keywords beside $ref before draft 2019-09 and applies them from then on', () => {
    const schema = (draft?: string) => ({
      ...(draft ? { $schema: draft } : {}),
      definitions: { ref: { type: 'object', properties: { name: { type: 'string' } } } },
      type: 'object',
      properties: { r: { $ref: '#/definitions/ref', required: ['namespace'] } },
    });
    expect(issues(schema(), { r: { name: 'a' } })).toEqual([]);
    expect(issues(schema(DRAFT_07), { r: { name: 'a' } })).toEqual([]);
    expect(issues(schema(LATEST), { r: { name: 'a' } })).toEqual([{ path: '/r', reason: 'missing required field "namespace"' }]);
    expect(issues(schema(LATEST), { r: { name: 1 } })).toEqual([
      { path: '/r/name', reason: 'expected string, but got integer', group: '/r' },
      { path: '/r', reason: 'missing required field "namespace"' },
    ]);
  });

  it('reads the draft from $schema as kubeconform does (draft-04 without one)', () => {
    const drafts = [undefined, DRAFT_07, LATEST, 'https://json-schema.org/draft/2019-09/schema', 'http://json-schema.org/draft-06/schema#'];
    expect(drafts.map((d) => draftOf({ $schema: d }))).toEqual([4, 7, 2020, 2019, 6]);
  });

  it('checks format byte always, and the other formats only before draft 2019-09, as kubeconform does', () => {
    const byte = { type: 'string', format: 'byte' };
    expect(issues(byte, 'aGVsbG8=')).toEqual([]);
    expect(issues(byte, 'aGVs\nbG8=')).toEqual([]);
    expect(issues(byte, 'not base64!')[0].reason).toBe('"not base64!" is not a valid base64 value (format: byte)');
    expect(issues({ ...byte, $schema: LATEST }, 'not base64!')).toHaveLength(1);
    expect(issues({ type: 'string', format: 'date-time' }, 'yesterday')[0].reason).toBe('"yesterday" is not a valid date-time');
    expect(issues({ type: 'string', format: 'date-time', $schema: LATEST }, 'yesterday')).toEqual([]);
    expect(issues({ type: 'string', format: 'int-or-string' }, 'anything')).toEqual([]);
  });

  it("checks formats with the rules of kubeconform's validator", () => {
    const valid = (format: string, value: string) => issues({ type: 'string', format }, value).length === 0;
    const table: [string, string, boolean][] = [
      ['date-time', '2024-01-01T00:00:00Z', true],
      ['date-time', '2024-01-01t00:00:00.5z', true],
      ['date-time', '2024-01-01T00:00:00+01:00', true],
      ['date-time', '2024-12-31T23:59:60Z', true], // a leap second at 23:59 UTC
      ['date-time', '2024-12-31T23:59:60+01:00', false], // 22:59 UTC
      ['date-time', '2024-01-01 00:00:00Z', false],
      ['date-time', '2024-02-30T00:00:00Z', false],
      ['date-time', '2023-02-29T00:00:00Z', false],
      ['date-time', '2024-02-29T00:00:00Z', true],
      ['date-time', '2024-01-01T24:00:00Z', false],
      ['date-time', '2024-01-01T00:00:00', false],
      ['date-time', '2024-01-01T00:00:00.Z', false],
      ['date', '2024-02-29', true],
      ['date', '2024-2-29', false],
      ['time', '10:00:00+05:30', true],
      ['duration', '1h30m', true],
      ['duration', '-1.5h', true],
      ['duration', 'P1W', true],
      ['duration', 'PT1H30M', true],
      ['duration', 'P1Y2M3DT4H5M6S', true],
      ['duration', 'P1M1Y', false],
      ['duration', 'PT', false],
      ['duration', '90 minutes', false],
      ['ipv4', '10.0.0.1', true],
      ['ipv4', '10.0.0.256', false],
      ['ipv4', '10.0.0.01', false],
      ['ipv6', 'fe80::1', true],
      ['ipv6', '::ffff:10.0.0.1', true],
      ['ipv6', '1:2:3:4:5:6:7:8', true],
      ['ipv6', '1:2:3:4:5:6:7:8:9', false],
      ['ipv6', 'fe80::1::2', false],
      ['ipv6', 'fe80::1%eth0', false],
      ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
      ['uuid', '123e4567e89b12d3a456426614174000', false],
      ['hostname', 'api.example.com', true],
      ['hostname', '-api.example.com', false],
      ['hostname', 'under_score.example.com', false],
    ];
    expect(table.map(([f, v]) => [f, v, valid(f, v)])).toEqual(table);
  });

  it('lets SOPS ENC values stand for the type they record', () => {
    const enc = (type: string) => `ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:${type}]`;
    const s = {
      type: 'object',
      properties: { data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } }, replicas: { type: 'integer' } },
    };
    expect(issues(s, { data: { k: enc('str') }, replicas: enc('int') }, true)).toEqual([]);
    expect(issues(s, { replicas: enc('str') }, true)).toEqual([{ path: '/replicas', reason: 'encrypted value of type string, but expected integer' }]);
    // Outside a SOPS document an ENC string is just a string.
    expect(issues(s, { data: { k: enc('str') } })).toHaveLength(1);
  });
});
