import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateAgeIdentity } from './age';
import { encryptSecretManifest } from './encrypt';
import { inspectSopsFile } from './inspect';
import { hasSopsFixtures, readSopsFixture, sopsFixturesSkipMessage } from './test-support';

const FILE = 'environments/acme-prod/secrets/grafana.sops.yaml';
const PLAIN =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: grafana-admin\n  namespace: monitoring\nstringData:\n  password: hunter2\ndata:\n  token: dG9rZW4=\n';

const encrypted = (async () => {
  const { recipient } = await generateAgeIdentity();
  return { recipient, text: await encryptSecretManifest(PLAIN, { recipients: [recipient] }) };
})();

/** Replaces the sops.mac value in an encrypted file. */
function withMac(text: string, mac: string | null): string {
  const doc = YAML.parseDocument(text);
  if (mac === null) doc.deleteIn(['sops', 'mac']);
  else doc.setIn(['sops', 'mac'], mac);
  return doc.toString({ lineWidth: 0 });
}

describe('inspectSopsFile', () => {
  it('reports a plaintext Secret, naming the file and the sops command', () => {
    const r = inspectSopsFile(PLAIN, FILE);
    expect(r.encrypted).toBe(false);
    expect(r).toMatchObject({ kind: 'Secret', name: 'grafana-admin', namespace: 'monitoring', keys: ['password', 'token'] });
    expect(r.problems).toEqual([
      `${FILE}: plaintext Secret "monitoring/grafana-admin": no sops metadata; encrypt it with \`sops --encrypt --in-place ${FILE}\` before committing`,
    ]);
  });

  it('reports a non-Secret without sops metadata as not encrypted', () => {
    expect(inspectSopsFile('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'x.yaml').problems[0]).toMatch(
      /^x\.yaml: not SOPS-encrypted \(ConfigMap "x"\)/,
    );
  });

  it('passes what the built-in encrypter writes', async () => {
    const { recipient, text } = await encrypted;
    expect(inspectSopsFile(text, FILE)).toEqual({
      encrypted: true,
      kind: 'Secret',
      name: 'grafana-admin',
      namespace: 'monitoring',
      keys: ['password', 'token'],
      recipients: [recipient],
      encryptedRegex: '^(data|stringData)$',
      version: '3.9.0',
      problems: [],
    });
  });

  it('reports a missing mac', async () => {
    const r = inspectSopsFile(withMac((await encrypted).text, null), FILE);
    expect(r.encrypted).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(new RegExp(`^${FILE}: sops metadata has no mac`))]);
  });

  it('reports malformed mac fields, each naming the file', async () => {
    const { text } = await encrypted;
    const mac = YAML.parse(text).sops.mac as string;
    const m = /^ENC\[AES256_GCM,data:([^,]+),iv:([^,]+),tag:([^,]+),type:str\]$/.exec(mac)!;
    const [, data, iv, tag] = m;
    const cases: [string, RegExp][] = [
      ['not-encrypted', /sops\.mac is not of the form ENC\[AES256_GCM/],
      [`ENC[AES256_GCM,data:${data},iv:${iv},tag:${tag}]`, /sops\.mac is not of the form/],
      [`ENC[AES256_GCM,data:${data},iv:${iv}!,tag:${tag},type:str]`, /sops\.mac has a iv field that is not valid base64/],
      [`ENC[AES256_GCM,data:${data},iv:${Buffer.alloc(12).toString('base64')},tag:${tag},type:str]`, /sops\.mac has a 12-byte iv \(sops writes 32 bytes\)/],
      [`ENC[AES256_GCM,data:${data},iv:${iv},tag:${Buffer.alloc(8).toString('base64')},type:str]`, /sops\.mac has a 8-byte tag/],
      [`ENC[AES256_GCM,data:${Buffer.alloc(64).toString('base64')},iv:${iv},tag:${tag},type:str]`, /sops\.mac holds 64 bytes of ciphertext, expected 128/],
      [`ENC[AES256_GCM,data:${data},iv:${iv},tag:${tag},type:int]`, /sops\.mac has type int, expected str/],
      [`ENC[AES256_GCM,data:${data},iv:${iv},tag:${tag},type:blob]`, /sops\.mac has unknown type "blob"/],
    ];
    for (const [bad, message] of cases) {
      const r = inspectSopsFile(withMac(text, bad), FILE);
      expect(r.problems, bad).toHaveLength(1);
      expect(r.problems[0].startsWith(`${FILE}: `)).toBe(true);
      expect(r.problems[0]).toMatch(message);
    }
  });

  it('reports a value under stringData that is not encrypted', async () => {
    const { text } = await encrypted;
    const leaked = text.replace(/password: ENC\[[^\]]+\]/, 'password: hunter2');
    expect(inspectSopsFile(leaked, FILE).problems).toEqual([
      `${FILE}: stringData.password is not encrypted although encrypted_regex ^(data|stringData)$ requires it: re-encrypt the file with sops`,
    ]);
  });

  it('honours the default unencrypted_suffix when a file names no rule', async () => {
    const { text } = await encrypted;
    const noRule = text.replace(/\n  encrypted_regex: .*/, '');
    const problems = inspectSopsFile(noRule, FILE).problems;
    expect(problems).toContain(`${FILE}: apiVersion is not encrypted although unencrypted_suffix _unencrypted requires it: re-encrypt the file with sops`);
  });

  it('reports a malformed ENC value under data', async () => {
    const { text } = await encrypted;
    const broken = text.replace(/(token: ENC\[AES256_GCM,data:[^,]+,iv:)[^,]+/, '$1AAAA');
    expect(inspectSopsFile(broken, FILE).problems).toEqual([`${FILE}: data.token has a 3-byte iv (sops writes 32 bytes)`]);
  });

  it('reports several documents in one file', async () => {
    const { text } = await encrypted;
    expect(inspectSopsFile(`${text}---\n${text}`, FILE).problems).toEqual([expect.stringMatching(/2 YAML documents in one file.*one Secret per file/)]);
  });

  it('reports invalid YAML, invalid recipients, missing keys and conflicting rules', async () => {
    const { text, recipient } = await encrypted;
    expect(inspectSopsFile('a: [', FILE).problems[0]).toMatch(new RegExp(`^${FILE}: not valid YAML`));
    expect(inspectSopsFile(text.replace(recipient, 'age1notakey'), FILE).problems).toEqual([
      expect.stringMatching(/age recipient "age1notakey"\.\.\. is not a valid age recipient/),
    ]);
    const noKeys = YAML.parseDocument(text);
    noKeys.setIn(['sops', 'age'], []);
    expect(inspectSopsFile(noKeys.toString({ lineWidth: 0 }), FILE).problems).toEqual([expect.stringMatching(/lists no master keys/)]);
    const twoRules = text.replace('  encrypted_regex:', '  unencrypted_suffix: _plain\n  encrypted_regex:');
    expect(inspectSopsFile(twoRules, FILE).problems).toEqual([expect.stringMatching(/sops rules are invalid: only one of/)]);
    expect(inspectSopsFile(text.replace(/lastmodified: .*/, 'lastmodified: yesterday'), FILE).problems).toEqual([
      expect.stringMatching(/sops\.lastmodified is not an RFC 3339 timestamp/),
    ]);
  });
});

describe.skipIf(!hasSopsFixtures())('inspectSopsFile on real sops output with a broken MAC', () => {
  if (!hasSopsFixtures()) console.warn(sopsFixturesSkipMessage());

  it('names the fixture file when its mac is removed or truncated', () => {
    const text = readSopsFixture('age-secret.sops.yaml');
    expect(inspectSopsFile(text.replace(/\n  mac: .*/, ''), 'age-secret.sops.yaml').problems).toEqual([
      expect.stringMatching(/^age-secret\.sops\.yaml: sops metadata has no mac/),
    ]);
    const truncated = text.replace(/(mac: ENC\[AES256_GCM,data:)[A-Za-z0-9+/]{8}/, '$1');
    expect(inspectSopsFile(truncated, 'age-secret.sops.yaml').problems).toEqual([
      expect.stringMatching(/^age-secret\.sops\.yaml: sops\.mac (holds \d+ bytes|has a data field that is not valid base64)/),
    ]);
  });
});
