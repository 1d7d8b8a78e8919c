import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { emitYaml } from './emit';

/** What go-yaml (YAML 1.1 rules) and a YAML 1.2 parser both must read back. */
function roundTrips(value: unknown) {
  const text = emitYaml(value);
  expect(YAML.parse(text, { version: '1.1' }), text).toEqual(value);
  expect(YAML.parse(text), text).toEqual(value);
}

const TRICKY = [
  '',
  ' ',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '~',
  'null',
  'true',
  '1',
  '-1',
  '1.0',
  '1e3',
  '0x1F',
  '0o17',
  '017',
  '0b101',
  '1_000',
  '1:20',
  '190:20:30',
  '.inf',
  '-.Inf',
  '.nan',
  '2024-01-01',
  '2024-1-1T00:00:00Z',
  '=',
  '<<',
  '-',
  '- x',
  '-x',
  '--kubelet-insecure-tls',
  '?',
  '? x',
  ':',
  ':x',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#x',
  '&a',
  '*a',
  '!tag',
  '|',
  '>',
  "'",
  '"',
  '%x',
  '@x',
  '`x',
  '[a]',
  '{a}',
  'a, b',
  'trailing ',
  ' leading',
  'tab\there',
  'x:',
  'https://example.com/a?b=c#d',
  'line\n',
  'two\nlines',
  'three\n\n',
  'no-newline\nend',
  '  indented\nfirst',
  '\nleading newline',
  'ctrl\u0001',
  'bom\ufeff',
  'ünïcödé',
  '${VAR}',
  '{{ .Values }}',
  'a\r\nb',
  '*.example.com',
  'ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]',
  '0',
  '+1',
  '.5',
  '5.',
  'Infinity',
  'NaN',
];

describe('emitYaml', () => {
  it('reads back every tricky string exactly, as value and as key', () => {
    for (const s of TRICKY) {
      roundTrips({ v: s });
      roundTrips({ [s]: 'k' });
      roundTrips([s]);
    }
  });

  it('reads back nested maps, sequences, empty collections, numbers, booleans and null', () => {
    roundTrips({ a: { b: [1, 2.5, -3, true, false, null, { c: 'd', e: [] }, [], {}, [['x', 'y'], { z: 1 }]] }, f: {}, g: [], h: 0 });
    roundTrips([{ a: 1, b: { c: [{ d: 'e' }] } }, [1, [2, [3]]]]);
  });

  it('keeps multi-line text as a literal block', () => {
    expect(emitYaml({ script: 'set -e\necho hi\n' })).toBe('script: |\n  set -e\n  echo hi\n');
    expect(emitYaml({ list: ['a\nb'] })).toBe('list:\n  - |-\n    a\n    b\n');
  });

  it('writes Kubernetes-style block YAML', () => {
    expect(
      emitYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'yes' } }, data: { k: '1' }, list: [{ name: 'a', value: 'b' }] }),
    ).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: "yes"\ndata:\n  k: "1"\nlist:\n  - name: a\n    value: b\n');
  });

  it('survives random strings from a hostile alphabet', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      '9',
      ' ',
      '-',
      ':',
      '#',
      '?',
      ',',
      '[',
      ']',
      '{',
      '}',
      '&',
      '*',
      '!',
      '|',
      '>',
      "'",
      '"',
      '%',
      '@',
      '`',
      '\n',
      '\t',
      '.',
      '_',
      '~',
      'é',
      '\\',
      '/',
      '=',
    ];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
      roundTrips({ [s || 'k']: s, list: [s] });
    }
  });
});
