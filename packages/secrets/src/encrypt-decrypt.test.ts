import { gcm } from '@noble/ciphers/aes.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { decryptSops } from 'sops-age';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateAgeIdentity, unwrapDataKey } from './age';
import { decryptSopsYaml, decryptSopsYamlDocuments, SopsMacError } from './decrypt';
import { encryptSecretManifest } from './encrypt';
import { inspectSopsFile } from './inspect';
import { encryptValue, SopsValueAuthError } from './sops-value';
import { hasSopsFixtures, publicKeyOf, readSopsFixture, sopsFixturesSkipMessage } from './test-support';

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'grafana-admin', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } },
  type: 'Opaque',
  stringData: { username: 'admin', password: 's3cr3t: with "quotes" & ünïcödé\nand a newline', empty: '' },
  data: { token: Buffer.from('token-bytes').toString('base64') },
};

const keys = (async () => {
  const x = await generateAgeIdentity();
  const pq = await generateAgeIdentity({ postQuantum: true });
  return { x, pq };
})();

const FIXED_NOW = () => new Date('2025-01-02T03:04:05.678Z');

/** sops' MAC recomputed from sops-age's plain output with @noble primitives: independent of our code. */
function independentMac(plain: unknown, lastmodified: string, encryptedMac: string, dataKey: Uint8Array): { stored: string; computed: string } {
  const parts: Uint8Array[] = [];
  const render = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
  const walk = (v: unknown, top: boolean): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) v.forEach((x) => walk(x, false));
    else if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!(top && k === 'sops')) walk(x, false);
    } else parts.push(new TextEncoder().encode(render(v)));
  };
  walk(plain, true);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
  const computed = Buffer.from(sha512(all)).toString('hex').toUpperCase();
  const m = /data:([^,]+),iv:([^,]+),tag:([^,]+),/.exec(encryptedMac)!;
  const sealed = Buffer.concat([Buffer.from(m[1], 'base64'), Buffer.from(m[3], 'base64')]);
  const stored = new TextDecoder().decode(gcm(dataKey, Buffer.from(m[2], 'base64'), new TextEncoder().encode(lastmodified)).decrypt(sealed));
  return { stored, computed };
}

describe('encryptSecretManifest + decryptSopsYaml', () => {
  it('round-trips through the built-in decrypter with the MAC verified', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient], now: FIXED_NOW });
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('username: admin');
    expect(await decryptSopsYaml(text, [x.identity])).toEqual(SECRET);
  });

  it('writes what sops-age (an independent implementation) decrypts to the same values, and its MAC checks out independently', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient], now: FIXED_NOW });
    const viaSopsAge = await decryptSops(text, { secretKey: x.identity, fileType: 'yaml' });
    expect(viaSopsAge).toEqual(SECRET);
    const { sops } = YAML.parse(text);
    expect(sops.lastmodified).toBe('2025-01-02T03:04:05Z');
    const dataKey = await unwrapDataKey(sops.age[0].enc, [x.identity]);
    const { stored, computed } = independentMac(viaSopsAge, sops.lastmodified, sops.mac, dataKey);
    expect(stored).toBe(computed);
  });

  it('encrypts ints, floats and bools with their sops types and restores them', async () => {
    const { x } = await keys;
    const manifest =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: typed\n' +
      'stringData:\n  port: 5432\n  ratio: 0.25\n  big: 1e21\n  on: true\n  list:\n    - a\n    - 7\n  nothing: null\n';
    const text = await encryptSecretManifest(manifest, { recipients: [x.recipient] });
    expect(text).toMatch(/port: ENC\[AES256_GCM,.*type:int\]/);
    expect(text).toMatch(/ratio: ENC\[AES256_GCM,.*type:float\]/);
    expect(text).toMatch(/"on": ENC\[AES256_GCM,.*type:bool\]/);
    expect(text).toMatch(/nothing: null/);
    const plain = await decryptSopsYaml(text, [x.identity]);
    expect(plain.stringData).toEqual({ port: 5432, ratio: 0.25, big: 1e21, on: true, list: ['a', 7], nothing: null });
    const viaSopsAge = await decryptSops(text, { secretKey: x.identity, fileType: 'yaml' });
    expect(viaSopsAge.stringData).toMatchObject({ port: 5432, ratio: 0.25, on: true, list: ['a', 7] });
  });

  it('wraps the data key for every recipient, post-quantum included', async () => {
    const { x, pq } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient, pq.recipient] });
    expect(inspectSopsFile(text, 's.sops.yaml')).toMatchObject({ problems: [], recipients: [x.recipient, pq.recipient] });
    expect(await decryptSopsYaml(text, [x.identity])).toEqual(SECRET);
    expect(await decryptSopsYaml(text, [pq.identity])).toEqual(SECRET);
  });

  it('leaves keys outside encrypted_regex readable but covered by the MAC', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient] });
    expect(text).toContain('name: grafana-admin');
    const renamed = text.replace('name: grafana-admin', 'name: grafana-admin2');
    await expect(decryptSopsYaml(renamed, [x.identity], { filename: 'grafana.sops.yaml' })).rejects.toThrow(SopsMacError);
    await expect(decryptSopsYaml(renamed, [x.identity], { filename: 'grafana.sops.yaml' })).rejects.toThrow(/grafana\.sops\.yaml: MAC mismatch/);
  });

  it('with macOnlyEncrypted, metadata may change but encrypted values may not', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient], macOnlyEncrypted: true });
    expect(text).toContain('mac_only_encrypted: true');
    const relabelled = text.replace('name: grafana-admin', 'name: other');
    expect((await decryptSopsYaml(relabelled, [x.identity])).stringData).toEqual(SECRET.stringData);
    const viaSopsAge = await decryptSops(relabelled, { secretKey: x.identity, fileType: 'yaml' });
    expect(viaSopsAge.stringData).toEqual(SECRET.stringData);
  });

  it('supports the other sops rules (unencrypted_suffix)', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest({ a: 'hidden', b_unencrypted: 'shown' }, { recipients: [x.recipient], unencryptedSuffix: '_unencrypted' });
    expect(text).toContain('b_unencrypted: shown');
    expect(text).toMatch(/a: ENC\[/);
    expect(text).toContain('unencrypted_suffix: _unencrypted');
    expect(text).not.toContain('encrypted_regex');
    expect(await decryptSopsYaml(text, [x.identity])).toEqual({ a: 'hidden', b_unencrypted: 'shown' });
  });

  it('takes lastmodified from the injected clock, without fractional seconds', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient], now: FIXED_NOW });
    expect(text).toContain('lastmodified: "2025-01-02T03:04:05Z"');
  });

  it('drops comments so none can leak plaintext, and keeps key order', async () => {
    const { x } = await keys;
    const text = await encryptSecretManifest('kind: Secret\napiVersion: v1\nstringData:\n  # the password is hunter2\n  z: a\n  a: z\n', {
      recipients: [x.recipient],
    });
    expect(text).not.toContain('hunter2');
    expect(text.indexOf('kind:')).toBeLessThan(text.indexOf('apiVersion:'));
    expect(text.indexOf('  z:')).toBeLessThan(text.indexOf('  a:'));
  });

  it('rejects bad input', async () => {
    const { x } = await keys;
    await expect(encryptSecretManifest(SECRET, { recipients: [] })).rejects.toThrow(/at least one age recipient/);
    await expect(encryptSecretManifest(SECRET, { recipients: ['age1nope'] })).rejects.toThrow(/not age recipients/);
    const encrypted = await encryptSecretManifest(SECRET, { recipients: [x.recipient] });
    await expect(encryptSecretManifest(encrypted, { recipients: [x.recipient] })).rejects.toThrow(/already encrypted/);
    await expect(encryptSecretManifest('a: 1\n---\nb: 2\n', { recipients: [x.recipient] })).rejects.toThrow(/one Secret per file/);
    await expect(encryptSecretManifest('- a\n', { recipients: [x.recipient] })).rejects.toThrow(/mapping/);
  });
});

describe('tampering', () => {
  async function encrypted() {
    const { x } = await keys;
    return { x, text: await encryptSecretManifest(SECRET, { recipients: [x.recipient], now: FIXED_NOW }) };
  }

  it('a flipped ciphertext byte fails authentication, naming file and key path', async () => {
    const { x, text } = await encrypted();
    const tampered = text.replace(/(username: ENC\[AES256_GCM,data:)(.)/, (_m, p: string, c: string) => p + (c === 'A' ? 'B' : 'A'));
    expect(tampered).not.toBe(text);
    const attempt = decryptSopsYaml(tampered, [x.identity], { filename: 'grafana.sops.yaml' });
    await expect(attempt).rejects.toThrow(SopsValueAuthError);
    await expect(decryptSopsYaml(tampered, [x.identity], { filename: 'grafana.sops.yaml' })).rejects.toThrow(
      /grafana\.sops\.yaml: value at stringData:username: failed/,
    );
  });

  it('a value moved to another key fails authentication (the key path is authenticated)', async () => {
    const { x, text } = await encrypted();
    const doc = YAML.parse(text);
    const swapped = text.replace(doc.stringData.username, doc.stringData.password).replace(/(password: )ENC\[[^\]]*\]/, `$1${doc.stringData.username}`);
    await expect(decryptSopsYaml(swapped, [x.identity])).rejects.toThrow(SopsValueAuthError);
  });

  it('a validly re-encrypted value (someone holding the data key) fails the MAC check', async () => {
    const { x, text } = await encrypted();
    const doc = YAML.parse(text);
    const dataKey = await unwrapDataKey(doc.sops.age[0].enc, [x.identity]);
    const forged = encryptValue('attacker', dataKey, 'stringData:username:', new Uint8Array(32).fill(7));
    const tampered = text.replace(doc.stringData.username, forged);
    await expect(decryptSopsYaml(tampered, [x.identity], { filename: 'f.sops.yaml' })).rejects.toThrow(/f\.sops\.yaml: MAC mismatch/);
  });

  it('a changed lastmodified or mac is a MAC error', async () => {
    const { x, text } = await encrypted();
    const later = text.replace('2025-01-02T03:04:05Z', '2025-01-02T03:04:06Z');
    await expect(decryptSopsYaml(later, [x.identity])).rejects.toThrow(SopsMacError);
    const doc = YAML.parse(text);
    const otherMac = text.replace(doc.sops.mac, doc.stringData.username);
    await expect(decryptSopsYaml(otherMac, [x.identity])).rejects.toThrow(SopsMacError);
  });

  it('a removed value is a MAC error', async () => {
    const { x, text } = await encrypted();
    const removed = text.replace(/\n  username: ENC\[[^\]]*\]/, '');
    await expect(decryptSopsYaml(removed, [x.identity])).rejects.toThrow(SopsMacError);
  });
});

describe('decryptSopsYamlDocuments', () => {
  it('rejects files without sops metadata and multi-document input to the single-document API', async () => {
    const { x } = await keys;
    await expect(decryptSopsYaml('a: 1\n', [x.identity], { filename: 'p.yaml' })).rejects.toThrow(/p\.yaml: sops metadata not found/);
    const text = await encryptSecretManifest(SECRET, { recipients: [x.recipient] });
    expect(await decryptSopsYamlDocuments(text, [x.identity])).toEqual([SECRET]);
  });
});

describe.skipIf(!hasSopsFixtures())('layout matches real sops 3.9.0 output', () => {
  if (!hasSopsFixtures()) console.warn(sopsFixturesSkipMessage());

  /** Blanks out everything random (ciphertexts, armor bodies, times) so only the layout is compared. */
  const layout = (text: string): string =>
    text
      .replace(/ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:(\w+)\]/g, 'ENC[$1]')
      .replace(/^(\s+)[A-Za-z0-9+/=]{1,64}$/gm, '$1<armor>')
      .replace(/lastmodified: "[^"]+"/, 'lastmodified: "<time>"');

  it('same manifest, same recipient: identical layout to the fixture written by sops 3.9.0', async () => {
    const fixture = readSopsFixture('age-secret.sops.yaml');
    const recipient = publicKeyOf(readSopsFixture('age.agekey'));
    const ours = await encryptSecretManifest(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'age' }, stringData: { key: 'value' } },
      { recipients: [recipient] },
    );
    expect(layout(ours)).toBe(layout(fixture));
    expect(await decryptSopsYaml(ours, [readSopsFixture('age.agekey')])).toEqual(await decryptSopsYaml(fixture, [readSopsFixture('age.agekey')]));
  });
});
