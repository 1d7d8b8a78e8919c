import { describe, expect, it } from 'vitest';
import { decryptSops } from 'sops-age';
import { ageIdentityToRecipient } from './age';
import { decryptSopsYaml } from './decrypt';
import { inspectSopsFile } from './inspect';
import { hasSopsFixtures, publicKeyOf, readSopsFixture, sopsFixturesSkipMessage } from './test-support';

/**
 * Files written by the real sops CLI (3.9.0 and 3.10.2, from Flux's kustomize-controller test data):
 * the strongest evidence that what this package reads and checks is the real format.
 */
const available = hasSopsFixtures();
if (!available) console.warn(sopsFixturesSkipMessage());

const CASES = [
  { file: 'age-secret.sops.yaml', key: 'age.agekey', name: 'age', namespace: undefined, value: 'value', version: '3.9.0' },
  { file: 'age-global-secret.sops.yaml', key: 'age-global.agekey', name: 'global-age-secret', namespace: 'default', value: 'global-value', version: '3.10.2' },
] as const;

describe.skipIf(!available)('real sops fixtures (X25519)', () => {
  for (const c of CASES) {
    describe(c.file, () => {
      it('is recognised as encrypted with no problems, recipients and keys listed', () => {
        const keyFile = readSopsFixture(c.key);
        const r = inspectSopsFile(readSopsFixture(c.file), c.file);
        expect(r.problems).toEqual([]);
        expect(r).toMatchObject({
          encrypted: true,
          kind: 'Secret',
          name: c.name,
          namespace: c.namespace,
          keys: ['key'],
          encryptedRegex: '^(data|stringData)$',
          version: c.version,
        });
        expect(r.recipients).toEqual([publicKeyOf(keyFile)]);
      });

      it('decrypts with the built-in decrypter, MAC verified', async () => {
        const plain = await decryptSopsYaml(readSopsFixture(c.file), [readSopsFixture(c.key)], { filename: c.file });
        expect(plain.stringData).toEqual({ key: c.value });
        expect(plain).not.toHaveProperty('sops');
        expect((plain.metadata as Record<string, unknown>).name).toBe(c.name);
      });

      it('decrypts with sops-age (independent implementation) to the same value', async () => {
        const secretKey = readSopsFixture(c.key)
          .split('\n')
          .find((l) => l.startsWith('AGE-SECRET-KEY-'));
        const plain = await decryptSops(readSopsFixture(c.file), { secretKey, fileType: 'yaml' });
        expect(plain.stringData.key).toBe(c.value);
      });

      it('fails with the other fixture key', async () => {
        const other = CASES.find((o) => o.file !== c.file)!;
        await expect(decryptSopsYaml(readSopsFixture(c.file), [readSopsFixture(other.key)], { filename: c.file })).rejects.toThrow(
          new RegExp(`${c.file.replace(/\./g, '\\.')}: none of the given age identities`),
        );
      });
    });
  }
});

describe.skipIf(!available)('real sops fixture (post-quantum age1pq1 recipient)', () => {
  const file = 'age-pq-secret.sops.yaml';

  it('is recognised as encrypted and passes inspection', () => {
    const keyFile = readSopsFixture('age-pq.agekey');
    const r = inspectSopsFile(readSopsFixture(file), file);
    expect(r.problems).toEqual([]);
    expect(r.encrypted).toBe(true);
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatch(/^age1pq1/);
    expect(r.recipients[0]).toBe(publicKeyOf(keyFile));
  });

  it('the identity maps to the recorded recipient (age-encryption supports hybrid identities)', async () => {
    const keyFile = readSopsFixture('age-pq.agekey');
    const identity = keyFile.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-PQ-1'))!;
    expect(await ageIdentityToRecipient(identity)).toBe(publicKeyOf(keyFile));
  });

  it('decrypts with the built-in decrypter via age-encryption, MAC verified', async () => {
    const plain = await decryptSopsYaml(readSopsFixture(file), [readSopsFixture('age-pq.agekey')], { filename: file });
    expect(plain.stringData).toEqual({ key: 'value' });
  });
});
