import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasShared, realTool, repoRoot, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
import { parseYamlDocuments, parseYamlFast, parseYamlFastEach, parseYamlWithLibrary } from './index';
import { resolvePlainScalar } from './scalars';

/** What both parsers must agree on (offsets differ by design only in how they are computed). */
function comparable(docs: ReturnType<typeof parseYamlWithLibrary>) {
  return docs.map((d) => ({ value: d.value, duplicates: d.duplicates, nonFinite: d.nonFinite }));
}

/** Inputs the fast parser must handle itself, and agree with the library on. */
const FAST_CASES: Record<string, string> = {
  empty: '',
  commentOnly: '# nothing\n',
  single: 'a: 1\n',
  noTrailingNewline: 'a: 1',
  leadingMarker: '---\na: 1\n',
  trailingMarker: 'a: 1\n---\n',
  twoMarkers: '---\n---\n',
  commentBeforeMarker: '# c\n---\na: 1\n',
  markerWithComment: '--- # first\na: 1\n---\nb: 2\n',
  emptyMiddle: 'a: 1\n---\n\n---\nb: 2\n',
  nested: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app: web\ndata:\n  k: v\n',
  sequences: 'items:\n  - a\n  - b\n  -\n    c: 1\n  - - nested\n    - seq\n',
  indentless: 'containers:\n- name: a\n  image: b\n- name: c\nother: 1\n',
  compactMapping: 'ports:\n  - containerPort: 80\n    name: http\n    protocol: TCP\n  - containerPort: 443\n',
  scalars1_1: [
    'yes',
    'No',
    'on',
    'OFF',
    '~',
    'null',
    '017',
    '0x1F',
    '0b101',
    '1_000',
    '1.5',
    '.inf',
    '-.Inf',
    '1e3',
    'y',
    'n',
    '2024-01-01',
    '1:20',
    '+12',
    '-0',
    '1.',
    '.5',
  ]
    .map((v, i) => `k${i}: ${v}`)
    .join('\n'),
  strings:
    'a: hello world\nb: "quoted: yes"\nc: \'it\'\'s\'\nd: "esc \\"x\\" \\n \\t \\u00e9 \\x41"\n' +
    'e: http://x:80/y\nf: a#b\ng: value # comment\nh: "" \ni: \'\'\nj: -dash\nk: 10.0.0.1/24\n',
  emptyValues: 'a:\nb: # comment\nc:\n  d:\n',
  quotedKeys: '"a b": 1\n\'c\': 2\n"x/y~z": 3\n',
  flow: 'a: []\nb: {}\nc: [a, "b", 1, true]\nd: {x: 1, "y": [2, 3]}\ne: [ALL]\n',
  literal: 'a: |\n  line1\n  line2\n\n  line4\nb: |-\n  stripped\nc: |+\n  kept\n\nd: x\n',
  literalWithComment: 'script: |\n  # not a comment\n  echo "hi"  # still content\n  \n',
  folded: 'a: >\n  one\n  two\n\n  three\nb: >-\n  x\n  y\n',
  literalInSequence: 'args:\n  - |\n    multi\n    line\n  - plain\n',
  duplicates: 'a: 1\nb:\n  c: 1\n  c: 2\na: 3\nl:\n  - k: 1\n    k: 2\n',
  deepIndent: 'a:\n      b:\n            c: 1\n      d: 2\n',
  commentsEverywhere: '# top\na: 1 # one\n# middle\nb:\n  # inside\n  c: 2\n\n\n',
  rootScalar: 'just a string\n',
  rootSequence: '- 1\n- 2\n',
  longDocs: Array.from({ length: 5 }, (_, i) => `kind: K\nmetadata:\n  name: n${i}\n`).join('---\n'),
};

/** Inputs outside the fast subset: the fast parser must give up (the library then decides). */
const LIBRARY_CASES: Record<string, string> = {
  anchors: 'a: &x 1\nb: *x\n',
  tags: 'a: !!str 1\n',
  multiLinePlain: 'a: one\n  two\n',
  multiLineQuoted: 'a: "one\n  two"\n',
  flowMultiLine: 'a: [1,\n  2]\n',
  complexKey: '? a\n: b\n',
  merge: 'base: &b {x: 1}\nd:\n  <<: *b\n',
  boolKey: 'on: push\n',
  tabs: 'a:\n\tb: 1\n',
  crlf: 'a: 1\r\nb: 2\r\n',
  badIndent: 'a: 1\n  b: 2\n',
  explicitIndent: 'a: |2\n   x\n',
  moreIndentedFolded: 'a: >\n  x\n    y\n  z\n',
  json: '{"apiVersion": "v1",\n "kind": "ConfigMap"}\n',
  directive: '%YAML 1.1\n---\na: 1\n',
  syntaxError: 'a: b: c\n',
};

describe('fast YAML parser', () => {
  for (const [name, text] of Object.entries(FAST_CASES)) {
    it(`handles ${name} exactly like the yaml library`, () => {
      const fast = parseYamlFast(text);
      expect(fast, 'fast parser gave up').toBeDefined();
      expect(comparable(fast!)).toEqual(comparable(parseYamlWithLibrary(text)));
    });
  }

  for (const [name, text] of Object.entries(LIBRARY_CASES)) {
    it(`leaves ${name} to the library`, () => {
      expect(parseYamlFast(text)).toBeUndefined();
      expect(parseYamlDocuments(text)).toEqual(parseYamlWithLibrary(text));
    });
  }

  it('reports duplicate keys with their JSON pointer and line', () => {
    const [doc] = parseYamlDocuments('metadata:\n  labels:\n    app: a\n    app: b\n');
    expect(doc.duplicates).toEqual([{ path: '/metadata/labels/app', key: 'app', line: 4 }]);
    expect(doc.value).toEqual({ metadata: { labels: { app: 'b' } } });
  });

  it('records where each document sits in the file', () => {
    const text = 'a: 1\n---\nb: 2\n';
    const docs = parseYamlDocuments(text);
    expect(docs.map((d) => text.slice(d.start, d.end))).toEqual(['a: 1\n', 'b: 2\n']);
  });

  it('resolves plain scalars as go-yaml v2 does (corpus/48-go-yaml-scalars.yaml pins the same against kubeconform)', () => {
    const table: [string, unknown][] = [
      ['yes', true],
      ['Yes', true],
      ['YES', true],
      ['y', true],
      ['on', true],
      ['no', false],
      ['n', false],
      ['Off', false],
      ['yEs', 'yEs'],
      ['null', null],
      ['Null', null],
      ['~', null],
      ['nope', 'nope'],
      ['0', 0],
      ['007', 7],
      ['017', 15],
      ['08', 8],
      ['018', 18],
      ['0o17', 15],
      ['0O17', 15],
      ['0x1F', 31],
      ['0X1f', 31],
      ['0x_1', 1],
      ['0x', '0x'],
      ['0b101', 5],
      ['0B11', 3],
      ['-0b101', -5],
      ['0b2', '0b2'],
      ['1_0', 10],
      ['-1', -1],
      ['+1', 1],
      ['+0x1f', 31],
      ['.5', 0.5],
      ['+.5', 0.5],
      ['5.', 5],
      ['1e5', 100000],
      ['1.5e-3', 0.0015],
      ['.5_0', 0.5],
      ['._5', '._5'],
      ['.', '.'],
      ['+.', '+.'],
      ['.e5', '.e5'],
      ['+e5', '+e5'],
      ['1e400', '1e400'],
      ['1e-400', 0],
      ['1.2.3', '1.2.3'],
      ['v1', 'v1'],
      ['12:30', '12:30'],
      ['2024-01-01', '2024-01-01'],
      ['.inf', Infinity],
      ['-.Inf', -Infinity],
      ['+.INF', Infinity],
      ['.nan', NaN],
      ['-.nan', '-.nan'],
      // The literals are the float64 values go-yaml produces for these integers, imprecision included.
      /* eslint-disable no-loss-of-precision */
      ['9223372036854775807', 9223372036854775807],
      ['18446744073709551615', 18446744073709551615],
      ['18446744073709551616', 18446744073709551616],
      /* eslint-enable no-loss-of-precision */
    ];
    expect(table.map(([w]) => [w, resolvePlainScalar(w)])).toEqual(table);
    // The library parser resolves untagged plain scalars with the same function; tags still decide for tagged ones.
    const lib = parseYamlWithLibrary('a: &x 0o17\nb: *x\nc: !!str 017\nd: !!int "8"\n')[0].value;
    expect(lib).toEqual({ a: 15, b: 15, c: '017', d: 8 });
  });

  it('marks documents holding .inf or .nan, which have no JSON form', () => {
    expect(parseYamlFast('a: .inf\n---\nb: 1\n')!.map((d) => d.nonFinite)).toEqual([true, undefined]);
    expect(parseYamlWithLibrary('a: &x .nan\n---\nb: 1\n').map((d) => d.nonFinite)).toEqual([true, undefined]);
  });

  it('merges keys in document order, as go-yaml does, and counts merged keys as duplicates', () => {
    const [doc] = parseYamlWithLibrary('base: &b {a: 1, b: 1}\nm1:\n  a: 2\n  <<: *b\nm2:\n  <<: *b\n  a: 2\nm3:\n  <<: [{a: 3}, *b]\n');
    expect(doc.value).toEqual({ base: { a: 1, b: 1 }, m1: { a: 1, b: 1 }, m2: { a: 2, b: 1 }, m3: { a: 3, b: 1 } });
    expect(doc.duplicates.map((d) => d.path)).toEqual(['/m1/a', '/m2/a', '/m3/a']);
  });
});

describe.skipIf(!hasShared('fixtures', 'sops'))('fast YAML parser on real sops output', () => {
  it('agrees with the library on every fixture', () => {
    const dir = sharedDir('fixtures', 'sops');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const fast = parseYamlFast(text);
      expect(fast, f).toBeDefined();
      expect(comparable(fast!)).toEqual(comparable(parseYamlWithLibrary(text)));
    }
  });
});

if (!hasShared('fixtures', 'sops')) console.log(skipMessage('fixtures', 'sops'));

function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yamlFilesUnder(join(dir, e.name), out);
    else if (/\.ya?ml$/.test(e.name)) out.push(join(dir, e.name));
  }
  return out;
}

/** Real-world YAML: upstream chart values (comments, anchors, long block scalars) and the rendered output. */
const CORPUS = [...yamlFilesUnder(sharedDir('charts')), ...yamlFilesUnder(join(repoRoot, 'clusters'))];

describe.skipIf(CORPUS.length === 0)('fast YAML parser on real files', () => {
  it('agrees with the library on every chart values file and rendered manifest it accepts', () => {
    let accepted = 0;
    for (const file of CORPUS) {
      const text = readFileSync(file, 'utf8');
      const fast = parseYamlFast(text);
      if (!fast) continue;
      accepted++;
      expect(comparable(fast), file).toEqual(comparable(parseYamlWithLibrary(text)));
    }
    // Nearly everything real takes the fast path; otherwise the speed-up would be theoretical.
    expect(accepted / CORPUS.length).toBeGreaterThan(0.9);
  }, 120_000); // thousands of files through both parsers; the shared 2-core machine is often loaded

  it('never disagrees with the library on randomly damaged input (it gives up instead)', () => {
    const texts = CORPUS.slice(0, 150)
      .map((f) => readFileSync(f, 'utf8'))
      .filter((t) => t.length < 20_000);
    const inserts = [
      ': ',
      ':',
      '- ',
      ' #',
      '#',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      ',',
      '\n',
      '\n  ',
      ' ',
      '|',
      '>',
      '---\n',
      '&a ',
      '*a',
      '!',
      '\\',
      '?',
      'yes',
      '~',
      '\t',
      '|-\n',
      '>+\n',
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const disagreements: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const lines = texts[rnd(texts.length)].split('\n');
      const from = rnd(Math.max(1, lines.length - 8));
      let t = lines.slice(from, from + 3 + rnd(10)).join('\n');
      for (let m = 1 + rnd(3); m > 0; m--) {
        const pos = rnd(t.length + 1);
        const op = rnd(4);
        if (op === 0) t = t.slice(0, pos) + inserts[rnd(inserts.length)] + t.slice(pos);
        else if (op === 1) t = t.slice(0, pos) + t.slice(pos + 1 + rnd(3));
        else if (op === 2) t = t.slice(0, pos) + ' ' + t.slice(pos);
        else t = t.replace(/\n {1,2}/, '\n');
      }
      const fast = parseYamlFast(t);
      if (!fast) continue;
      const lib = parseYamlWithLibrary(t);
      const same = isDeepStrictEqual(
        fast.map((d) => [d.value, d.duplicates, d.error, d.nonFinite]),
        lib.map((d) => [d.value, d.duplicates, d.error, d.nonFinite]),
      );
      if (!same) disagreements.push(t);
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});

/** What a file's documents must agree on, however they were parsed: everything but the offsets. */
const agreed = (docs: ReturnType<typeof parseYamlWithLibrary>) => docs.map((d) => [d.value, d.duplicates, d.error, d.nonFinite]);

describe('a file of several documents: only the ones outside the fast subset go to the library', () => {
  const mixed = 'kind: A\nmetadata:\n  name: a\n---\nkind: B\nspec:\n  text: one\n    two\n  again: 1\n  again: 2\n---\nkind: C\nv: yes\n';

  it('parses the others fast, and the result is the library’s for the whole file, duplicate lines included', () => {
    const each = parseYamlFastEach(mixed)!;
    expect(each.map((d) => !!d.parsed)).toEqual([true, false, true]);
    const docs = parseYamlDocuments(mixed);
    expect(agreed(docs)).toEqual(agreed(parseYamlWithLibrary(mixed)));
    expect(docs[1].value).toEqual({ kind: 'B', spec: { text: 'one two', again: 2 } });
    expect(docs[1].duplicates).toEqual([{ path: '/spec/again', key: 'again', line: 10 }]);
    expect(docs.map((d) => mixed.slice(d.start, d.end).split('\n')[0])).toEqual(['kind: A', 'kind: B', 'kind: C']);
  });

  it.each([
    ['an unclosed quote that the library runs past ---', 'a: 1\n---\nb: "open\n---\nc: 1"\n---\nd: 2\n'],
    ['a syntax error', 'a: 1\n---\nb: c: d\n---\ne: 1\n'],
  ])('hands the whole file to the library on %s', (_, text) => {
    expect(parseYamlFastEach(text)?.some((d) => d.parsed)).toBe(true);
    expect(parseYamlDocuments(text)).toEqual(parseYamlWithLibrary(text));
  });

  it('reads an alias to an anchor of another document as the library does (no value)', () => {
    const text = 'a: &x 1\n---\nb: *x\n---\nc: 1\n';
    expect(agreed(parseYamlDocuments(text))).toEqual(agreed(parseYamlWithLibrary(text)));
    expect(parseYamlDocuments(text).map((d) => d.value)).toEqual([{ a: 1 }, { b: null }, { c: 1 }]);
  });

  it('agrees with the library on randomly damaged files of several documents', () => {
    const texts = CORPUS.slice(0, 150)
      .map((f) => readFileSync(f, 'utf8'))
      .filter((t) => t.length < 20_000);
    const inserts = [': ', '- ', ' #', '"', "'", '[', '{', '\n  ', '|', '---\n', '&a ', '*a', '!', '\\', '?', 'yes', '\t', '\n    more words'];
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const snippet = () => {
      const lines = texts[rnd(texts.length)].split('\n');
      const from = rnd(Math.max(1, lines.length - 8));
      return lines.slice(from, from + 3 + rnd(10)).join('\n');
    };
    const disagreements: string[] = [];
    let mixed = 0;
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 2 + rnd(3) }, snippet);
      const k = rnd(parts.length);
      for (let m = 1 + rnd(2); m > 0; m--) {
        const pos = rnd(parts[k].length + 1);
        parts[k] = parts[k].slice(0, pos) + inserts[rnd(inserts.length)] + parts[k].slice(pos);
      }
      const t = parts.join('\n---\n');
      const each = parseYamlFastEach(t);
      if (each?.some((d) => d.parsed) && each.some((d) => !d.parsed)) mixed++;
      if (!isDeepStrictEqual(agreed(parseYamlDocuments(t)), agreed(parseYamlWithLibrary(t)))) disagreements.push(t);
    }
    expect(disagreements).toEqual([]);
    expect(mixed).toBeGreaterThan(100);
  }, 120_000);
});

const kustomize = realTool('kustomize', 'parsing real kustomize output (long strings wrapped over lines)');

describe.skipIf(!kustomize)('real kustomize output', () => {
  it('every built file parses as the library parses it, and most documents of the wrapped ones fast', () => {
    const t = tempDir('ck8s-yaml-kustomize-');
    try {
      let partly = 0;
      for (const cluster of ['management', 'apps-a']) {
        const root = join(repoRoot, 'clusters', 'example-prod', cluster, 'components');
        const dir = join(t.dir, cluster);
        mkdirSync(dir);
        const resources = readdirSync(root).map((c) => `  - ${relative(dir, join(root, c))}`);
        writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${resources.join('\n')}\n`);
        const out = execFileSync(kustomize!, ['build', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        // By component folder, as validate hands them over.
        const byKind = new Map<string, string[]>();
        for (const doc of out.split(/^---\n/m)) {
          const kind = /^kind: (.*)$/m.exec(doc)?.[1] ?? '';
          byKind.set(kind, [...(byKind.get(kind) ?? []), doc]);
        }
        for (const docs of [...byKind.values(), [out]]) {
          const text = docs.join('---\n');
          expect(agreed(parseYamlDocuments(text))).toEqual(agreed(parseYamlWithLibrary(text)));
          const each = parseYamlFastEach(text)!;
          if (each.some((d) => !d.parsed) && each.some((d) => d.parsed)) partly++;
        }
      }
      expect(partly).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
