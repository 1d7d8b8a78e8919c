import { describe, expect, it } from 'vitest';
import { checkValue, compileSchema } from './compile';

function issues(schema: unknown, value: unknown, sops = false) {
  return checkValue(compileSchema(schema).validate, value, { sops });
}

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
    expect(issues({ const: 'v1' }, 'v2')).toEqual([{ path: '', reason: 'must be "v1", but got "v2"' }]);
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

  it('handles int-or-string in both the catalog (anyOf) and the x-kubernetes form', () => {
    const anyOf = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    const bare = { 'x-kubernetes-int-or-string': true };
    for (const s of [anyOf, bare]) {
      expect(issues(s, 8080)).toEqual([]);
      expect(issues(s, '25%')).toEqual([]);
      expect(issues(s, true)).toEqual([{ path: '', reason: 'expected integer or string, but got boolean' }]);
    }
  });

  it('rejects null where both oneOf alternatives accept it, as kubeconform does', () => {
    const s = { oneOf: [{ type: ['string', 'null'] }, { type: ['integer', 'null'] }] };
    expect(issues(s, 1)).toEqual([]);
    expect(issues(s, null)).toEqual([{ path: '', reason: 'must match exactly one schema in oneOf, but matched 2' }]);
  });

  it('shows the details of the only oneOf alternative that fits the value', () => {
    const s = {
      oneOf: [
        { type: 'object', required: ['path'], additionalProperties: false, properties: { path: { type: 'string' } } },
        { type: 'string' },
      ],
    };
    expect(issues(s, { pth: 'x' })).toEqual([
      { path: '', reason: 'missing required field "path"' },
      { path: '/pth', reason: 'unknown field "pth" (additionalProperties false)' },
    ]);
  });

  it('supports allOf, not and local $ref (recursive too)', () => {
    expect(issues({ allOf: [{ type: 'string' }, { minLength: 2 }] }, 'a')[0].reason).toBe('length must be >= 2, but got 1');
    expect(issues({ not: { type: 'string' } }, 'a')[0].reason).toBe('must not match the schema in "not"');
    const tree = {
      definitions: { node: { type: 'object', additionalProperties: false, properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } } },
      $ref: '#/definitions/node',
    };
    expect(issues(tree, { children: [{ children: [{ bad: 1 }] }] })).toEqual([
      { path: '/children/0/children/0/bad', reason: 'unknown field "bad" (additionalProperties false)' },
    ]);
    expect(() => compileSchema({ $ref: 'https://example.com/x.json' })).toThrow(/unsupported \$ref/);
  });

  it('checks format byte and date-time, and ignores other formats', () => {
    expect(issues({ type: 'string', format: 'byte' }, 'aGVsbG8=')).toEqual([]);
    expect(issues({ type: 'string', format: 'byte' }, 'not base64!')[0].reason).toBe('"not base64!" is not a valid base64 value (format: byte)');
    expect(issues({ type: 'string', format: 'date-time' }, '2024-01-01T00:00:00Z')).toEqual([]);
    expect(issues({ type: 'string', format: 'date-time' }, 'yesterday')).toHaveLength(1);
    expect(issues({ type: 'string', format: 'int-or-string' }, 'anything')).toEqual([]);
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
