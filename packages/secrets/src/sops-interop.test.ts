import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { realTool, tempDir } from '@ck8s/testing';
import { decryptSopsYaml, SopsMacError } from './decrypt';
import { encryptSecretManifest, type EncryptOptions } from './encrypt';
import { inspectSopsFile } from './inspect';
import { encryptSecret, encryptWithSopsBinary } from './sops-binary';
import { SopsValueAuthError } from './sops-value';
import { runSops, writeAgeKeyFile, type SopsRun } from './test-support';

/**
 * The built-in encrypter and decrypter against the real sops CLI (the pinned v3.11.0 from .tools/bin):
 * every file the built-in encrypter writes must decrypt with `sops decrypt` to the plain text it was
 * given, and to exactly what sops itself makes of the same input; every file sops writes must decrypt
 * with the built-in decrypter to what `sops decrypt` prints; a tampered file is refused by both.
 */
const sops = realTool('sops', 'SOPS interoperability of the built-in encrypter and decrypter');

type Keys = Awaited<ReturnType<typeof writeAgeKeyFile>>;
type Manifest = Record<string, unknown>;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PEM = `-----BEGIN CERTIFICATE-----\n${'MIIBszCCAVmgAwIBAgIUJ0Qm1u5S8Gd3Y2xhbmNlLXRlc3QtY2VydGlmaWNhdGU'.repeat(3)}\n-----END CERTIFICATE-----\n`;
const secret = (name: string, body: Manifest): Manifest => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'interop' },
  type: 'Opaque',
  ...body,
});

/** Strings a YAML reader could take for something else: each must come back as the same string. */
const LOOKALIKES = [
  'true',
  'False',
  'yes',
  'no',
  'on',
  'OFF',
  'y',
  'n',
  'null',
  '~',
  'Null',
  '0',
  '0755',
  '08',
  '089',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1e3',
  '1.',
  '.5',
  '-0',
  '+12',
  '.inf',
  '-.Inf',
  '.NaN',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '2024-1-2 3:04:05',
  '1:20',
  '12:30:45',
  '9223372036854775808',
  // read as numbers or times by go-yaml v3 only (neither YAML 1.2 core nor 1.1 would)
  '0X1F',
  '0B101',
  '0O17',
  '0_x1F',
  '2024-01-02T10:4:5Z',
  '2024-1-2 3:4:5',
  '3.14159265358979323846',
  'ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]',
  '=',
  '<<',
  '- x',
  '? y',
  ': z',
  '#hash',
  '&anchor',
  '*alias',
  '!tag',
  '%percent',
  '@at',
  '`tick',
  '{a: 1}',
  '[1, 2]',
  '"quoted"',
  "'single'",
  '|',
  '>',
  ' ',
  'a: b',
];

/** Secrets as the generators pass them (objects), one per shape of value. */
const OBJECT_SHAPES: Record<string, Manifest> = {
  'stringData and data': secret('both', {
    stringData: { username: 'admin', password: 'p@ss: "w0rd" #not-a-comment' },
    data: { token: b64('token-bytes'), 'ca.crt': b64(PEM) },
  }),
  'multi-line values': secret('lines', {
    stringData: {
      'tls.crt': PEM,
      noFinalNewline: 'line 1\nline 2',
      blankLines: 'a\n\n\nb\n\n',
      crlf: 'a\r\nb\r\n',
      indentation: '  leading\n\ttab\ntrailing  \n',
      long: `${'x'.repeat(300)}\n${'y '.repeat(200)}`,
    },
  }),
  unicode: secret('unicode', {
    stringData: {
      german: 'Grüße, Jürgen',
      cjk: '秘密の値',
      emoji: '🔐👩🏽‍💻',
      rtl: 'مفتاح سري',
      combining: 'e\u0301',
      nbsp: 'a\u00a0b',
      'schlüssel-ключ': 'wert',
    },
    data: { 'ünicode.txt': b64('ǅ ß ﬁ') },
  }),
  'empty strings': secret('empty', { stringData: { empty: '', space: ' ', after: 'x' }, data: { empty: '' } }),
  'number-, boolean- and null-looking strings, as values and keys': secret('lookalikes', {
    stringData: {
      ...Object.fromEntries(LOOKALIKES.map((v, i) => [`v${i}`, v])),
      '0755': 'octal-looking key',
      true: 'bool-looking key',
      null: 'null-looking key',
      '1e3': 'float-looking key',
      '2024-01-01': 'date-looking key',
    },
    data: { '0x1F': b64('hex-looking key') },
  }),
  'nested keys and lists': {
    apiVersion: 'example.com/v1',
    kind: 'Bundle',
    metadata: { name: 'nested', labels: { 'app.kubernetes.io/name': 'x', 'example.com/tier': '1' } },
    stringData: { config: { database: { user: 'u', password: 'p', ports: ['5432', '5433'] } }, list: ['a', { nested: 'b' }, ['c', 'd']] },
    data: { deep: { deeper: { deepest: b64('x') } } },
  },
  'typed values (not a Secret)': {
    kind: 'Values',
    metadata: { replicas: 3, ratio: 0.25, enabled: true, nothing: null },
    stringData: { int: 42, negative: -7, zero: 0, float: 1.5, small: 0.1, large: 1e21, tiny: 1e-7, yes: true, no: false, nothing: null, empty: [], none: {} },
  },
};

/** Hand-written input: plain scalars go-yaml v3 reads differently from YAML 1.2 core, block scalars, flow style. */
const TEXT_SHAPES: Record<string, string> = {
  'plain scalars go-yaml reads as numbers and times': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: typed',
    '  annotations:',
    '    mode: 0755',
    '    count: 1_000',
    '    bits: 0b101',
    '    date: 2024-01-01',
    '    at: 2024-1-2T3:04:05.120+02:00',
    'stringData:',
    '  mode: 0755',
    '  big: 9223372036854775807',
    '  exp: 1e3',
    '  date: 2024-01-01',
    '  local: 2024-01-02 10:00:00',
    '  hex: 0x1F',
    '  lead: 089',
    '  yes: yes',
    '  on: off',
    '',
  ].join('\n'),
  'block scalars and flow collections': [
    'kind: Secret',
    'stringData:',
    ...['  literal: |', '    a', '    b', '  folded: >', '    one', '    two', '  keep: |+', '    x', '', '  strip: |-', '    y'],
    '  flow: {a: b, c: [d, "e"]}',
    '',
  ].join('\n'),
};

/** A parsed plain tree as the built-in decrypter returns it: YAML 1.2 core, integers as numbers where exact. */
function plainOf(yamlText: string): unknown {
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    // go-yaml writes the string "<<" as `!!merge <<`, which the yaml library reads as a symbol
    if (typeof v === 'symbol') return v.description;
    return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  return fix(YAML.parse(yamlText, { version: '1.2', intAsBigInt: true }));
}

describe.skipIf(!sops)('SOPS interop with the real sops CLI', () => {
  const tmp = tempDir('ck8s-sops-interop-');
  afterAll(() => tmp.cleanup());
  let a: Keys, b: Keys, c: Keys, outsider: Keys, pq: Keys;
  beforeAll(async () => {
    [a, b, c, outsider] = await Promise.all(['a', 'b', 'c', 'outsider'].map((n) => writeAgeKeyFile(tmp.dir, n)));
    pq = await writeAgeKeyFile(tmp.dir, 'pq', { postQuantum: true });
  });

  let n = 0;
  /** `sops decrypt` of a SOPS text (written to its own file: only ciphertext reaches the disk). */
  function sopsDecrypt(text: string, key: Keys): SopsRun {
    const file = join(tmp.dir, `f${n++}.sops.yaml`);
    writeFileSync(file, text);
    return runSops(sops!, ['decrypt', '--input-type', 'yaml', '--output-type', 'yaml', file], { home: tmp.dir, keyFile: key.path });
  }
  function sopsPlain(text: string, key: Keys): string {
    const r = sopsDecrypt(text, key);
    expect(r.stderr, 'sops decrypt').toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  }
  const sopsEncrypt = (input: Manifest | string, o: Partial<EncryptOptions> = {}) =>
    encryptWithSopsBinary(input, { recipients: [a.recipient], ...o, sopsBin: sops });
  const builtinEncrypt = (input: Manifest | string, o: Partial<EncryptOptions> = {}) => encryptSecretManifest(input, { recipients: [a.recipient], ...o });

  describe('(a) what the built-in encrypter writes, sops decrypts to the same plain text', () => {
    it.each(Object.entries(OBJECT_SHAPES))('%s', async (_, manifest) => {
      const ours = await builtinEncrypt(manifest);
      expect(inspectSopsFile(ours, 'ours.sops.yaml').problems).toEqual([]);
      const fromSops = sopsPlain(ours, a);
      // the values come back as given, and byte for byte as sops prints its own encryption of the same object
      expect(plainOf(fromSops)).toEqual(manifest);
      expect(fromSops).toBe(sopsPlain(await sopsEncrypt(manifest), a));
    });

    it.each(Object.entries(TEXT_SHAPES))('%s: the same values sops makes of that text', async (_, text) => {
      const fromSops = sopsPlain(await builtinEncrypt(text), a);
      expect(fromSops).toBe(sopsPlain(await sopsEncrypt(text), a));
    });

    it('the go-yaml readings hold: 0755 is octal, 1_000 an integer, a date a time (sops prints the RFC 3339 form)', async () => {
      const plain = YAML.parse(sopsPlain(await builtinEncrypt(TEXT_SHAPES['plain scalars go-yaml reads as numbers and times']), a));
      expect(plain.metadata.annotations).toEqual({ mode: 493, count: 1000, bits: 5, date: '2024-01-01T00:00:00Z', at: '2024-01-02T03:04:05.12+02:00' });
      expect(plain.stringData).toMatchObject({
        mode: 493,
        exp: 1000,
        date: '2024-01-01T00:00:00Z',
        local: '2024-01-02T10:00:00Z',
        hex: 31,
        lead: 89,
        yes: 'yes',
        on: 'off',
      });
    });

    it('comments are dropped by the built-in encrypter (sops would encrypt those under encrypted keys)', async () => {
      const text = 'kind: Secret\n# top comment\nstringData:\n  # the password of x\n  password: hunter2 # inline\n';
      const ours = await builtinEncrypt(text);
      expect(ours).not.toMatch(/#/);
      expect(sopsPlain(ours, a)).toBe('kind: Secret\nstringData:\n    password: hunter2\n');
    });

    const RULES: [string, Partial<EncryptOptions>, Manifest][] = [
      ['encrypted_regex (default)', {}, secret('r0', { stringData: { k: 'v' } })],
      ['unencrypted_suffix', { unencryptedSuffix: '_unencrypted' }, secret('r1', { stringData: { k: 'v', note_unencrypted: 'readable' } })],
      ['encrypted_suffix', { encryptedSuffix: '_secret' }, secret('r2', { stringData: { k_secret: 'v', plain: 'readable' } })],
      ['unencrypted_regex', { unencryptedRegex: '^(apiVersion|kind|metadata|type)$' }, secret('r3', { stringData: { k: 'v' } })],
      ['mac_only_encrypted', { macOnlyEncrypted: true }, secret('r4', { stringData: { k: 'v' } })],
    ];
    it.each(RULES)('rule %s: both directions, same encrypted keys', async (_, rules, manifest) => {
      const ours = await builtinEncrypt(manifest, rules);
      const theirs = await sopsEncrypt(manifest, rules);
      expect(YAML.parse(sopsPlain(ours, a))).toEqual(manifest);
      expect(await decryptSopsYaml(theirs, [a.identity])).toEqual(manifest);
      const encryptedLines = (t: string) =>
        t
          .split('\n')
          .filter((l) => l.includes('ENC[') && !/^\s*mac:/.test(l))
          .map((l) => l.trim().split(':')[0]);
      expect(encryptedLines(ours)).toEqual(encryptedLines(theirs));
      for (const t of [ours, theirs]) expect(inspectSopsFile(t, 'r.sops.yaml').problems).toEqual([]);
    });

    it('several X25519 recipients: each key alone decrypts with sops and with the built-in decrypter, another key with neither', async () => {
      const manifest = OBJECT_SHAPES['stringData and data'];
      const ours = await builtinEncrypt(manifest, { recipients: [a.recipient, b.recipient, c.recipient] });
      expect(inspectSopsFile(ours, 'x.sops.yaml').recipients).toEqual([a.recipient, b.recipient, c.recipient]);
      for (const key of [a, b, c]) {
        expect(YAML.parse(sopsPlain(ours, key))).toEqual(manifest);
        expect(await decryptSopsYaml(ours, [key.identity])).toEqual(manifest);
      }
      const refused = sopsDecrypt(ours, outsider);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Failed to get the data key/);
      await expect(decryptSopsYaml(ours, [outsider.identity])).rejects.toThrow(/none of the given age identities decrypts the data key/);
    });

    // sops 3.11.0 links filippo.io/age v1.2.1, which has no ML-KEM hybrid recipients (age 1.3 added them).
    // When the pinned sops moves to age 1.3 these expectations fail: update them and the README notes.
    it('post-quantum age1pq1 recipients: sops 3.11 decrypts a mixed file with the X25519 key, but cannot use the PQ identity', async () => {
      const manifest = OBJECT_SHAPES['stringData and data'];
      const ours = await builtinEncrypt(manifest, { recipients: [a.recipient, pq.recipient] });
      expect(YAML.parse(sopsPlain(ours, a))).toEqual(manifest);
      expect(await decryptSopsYaml(ours, [pq.identity])).toEqual(manifest);
      const refused = sopsDecrypt(ours, pq);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/unknown identity type/);
    });

    it('post-quantum recipients: sops 3.11 cannot encrypt for them (no age-plugin-pq), so encryptSecret falls back to the built-in encrypter', async () => {
      const manifest = OBJECT_SHAPES['stringData and data'];
      await expect(sopsEncrypt(manifest, { recipients: [a.recipient, pq.recipient] })).rejects.toThrow(/age-plugin-pq/);
      const result = await encryptSecret(manifest, { recipients: [a.recipient, pq.recipient], sopsBin: sops });
      expect(result.engine).toBe('builtin');
      expect(result.note).toMatch(/could not encrypt for age1pq1.*plugin.*used the built-in encrypter/);
      expect(inspectSopsFile(result.text, 'pq.sops.yaml').recipients).toEqual([a.recipient, pq.recipient]);
      expect(YAML.parse(sopsPlain(result.text, a))).toEqual(manifest);
      expect(await decryptSopsYaml(result.text, [pq.identity])).toEqual(manifest);
      // X25519 recipients only: the real sops does the work
      expect((await encryptSecret(manifest, { recipients: [a.recipient], sopsBin: sops })).engine).toBe('sops');
    });
  });

  describe('what sops writes, the built-in decrypter reads as sops does', () => {
    it.each([...Object.entries(OBJECT_SHAPES), ...Object.entries(TEXT_SHAPES)])('%s', async (_, input) => {
      const theirs = await sopsEncrypt(input, { recipients: [a.recipient, b.recipient] });
      expect(inspectSopsFile(theirs, 'theirs.sops.yaml').problems).toEqual([]);
      const expected = plainOf(sopsPlain(theirs, b));
      expect(await decryptSopsYaml(theirs, [a.identity])).toEqual(expected);
      expect(await decryptSopsYaml(theirs, [b.identity])).toEqual(expected);
      if (typeof input !== 'string') expect(expected).toEqual(input);
    });

    it('encrypted comments (type:comment) are skipped, as sops skips them in the MAC', async () => {
      const theirs = await sopsEncrypt('kind: Secret\nstringData:\n  # the password of x\n  password: hunter2\n');
      expect(theirs).toMatch(/#ENC\[AES256_GCM,.*type:comment\]/);
      expect(inspectSopsFile(theirs, 'c.sops.yaml').problems).toEqual([]);
      expect(await decryptSopsYaml(theirs, [a.identity])).toEqual({ kind: 'Secret', stringData: { password: 'hunter2' } });
    });
  });

  describe('(c) a tampered file is refused by sops and by the built-in decrypter', () => {
    const manifest = secret('tamper', { stringData: { username: 'admin', password: 'hunter2' } });
    const valueOf = (text: string, key: string) => new RegExp(`^\\s*${key}: (ENC\\[[^\\]]+\\])$`, 'm').exec(text)![1];
    const flipData = (text: string, key: string) =>
      text.replace(new RegExp(`^(\\s*${key}: ENC\\[AES256_GCM,data:)(.)`, 'm'), (_, head: string, ch: string) => head + (ch === 'A' ? 'B' : 'A'));
    const TAMPERS: [string, (t: string) => string, 'value' | 'mac'][] = [
      ['a flipped ciphertext byte', (t) => flipData(t, 'password'), 'value'],
      [
        'two encrypted values swapped (the key path is authenticated)',
        (t) => t.replace(valueOf(t, 'password'), '@@P').replace(valueOf(t, 'username'), valueOf(t, 'password')).replace('@@P', valueOf(t, 'username')),
        'value',
      ],
      ['a plain (unencrypted) value changed', (t) => t.replace(/name: tamper/, 'name: tampered'), 'mac'],
      ['a key removed', (t) => t.replace(/^\s*username: ENC\[[^\]]+\]\n/m, ''), 'mac'],
      ['a plain key added', (t) => `extra: value\n${t}`, 'mac'],
      ['a flipped byte in sops.mac', (t) => flipData(t, 'mac'), 'mac'],
      [
        'lastmodified changed (it authenticates the MAC)',
        (t) => t.replace(/lastmodified: "(\d{4})/, (_, y: string) => `lastmodified: "${Number(y) - 1}`),
        'mac',
      ],
    ];
    const makers: [string, () => Promise<string>][] = [
      ['built-in', () => builtinEncrypt(manifest)],
      ['sops', () => sopsEncrypt(manifest)],
    ];
    for (const [maker, make] of makers) {
      it.each(TAMPERS)(`${maker}-written file: %s`, async (_, tamper, kind) => {
        const original = await make();
        const tampered = tamper(original);
        expect(tampered).not.toBe(original);
        const r = sopsDecrypt(tampered, a);
        expect(r.code).not.toBe(0);
        expect(r.stdout).not.toContain('hunter2');
        expect(r.stderr).toMatch(kind === 'value' ? /message authentication failed/ : /MAC mismatch|Failed to decrypt MAC|message authentication failed/);
        const err = await decryptSopsYaml(tampered, [a.identity], { filename: 't.sops.yaml' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(kind === 'value' ? SopsValueAuthError : SopsMacError);
        // and untouched, both read it
        expect(YAML.parse(sopsPlain(original, a))).toEqual(manifest);
        expect(await decryptSopsYaml(original, [a.identity])).toEqual(manifest);
      });
    }
  });
});
