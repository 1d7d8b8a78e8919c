import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { checkRenderedSecrets, findSecretShapes } from './secrets';

describe('secret scan', () => {
  it('flags a plaintext Secret', () => {
    const tree = new Map([
      ['clusters/e/c/components/x/objects.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: x\nstringData:\n  password: hunter2\n'],
    ]);
    expect(checkRenderedSecrets(tree).map((f) => `${f.object} ${f.message}`)).toEqual([
      'Secret/x/db plaintext Secret in rendered output; encrypt it with `sops --encrypt --in-place` under environments/<env>/secrets/',
    ]);
  });

  it('flags private keys and tokens in any file', () => {
    expect(findSecretShapes('key: |\n  -----BEGIN RSA PRIVATE KEY-----\n')).toEqual(['a PEM private key']);
    expect(findSecretShapes(`x: AGE-SECRET-KEY-1${'Q'.repeat(58)}`)).toEqual(['an age identity (private key)']);
    expect(findSecretShapes(`x: AGE-SECRET-KEY-PQ-1${'Q'.repeat(58)}`)).toEqual(['an age identity (private key)']);
    expect(findSecretShapes(`token: ghp_${'a'.repeat(36)}`)).toEqual(['a GitHub token']);
    expect(findSecretShapes('harmless: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]')).toEqual([]);
  });

  if (!hasShared('fixtures', 'sops')) console.warn(skipMessage('fixtures', 'sops'));
  describe.skipIf(!hasShared('fixtures', 'sops'))('with real sops output', () => {
    it('passes a Secret encrypted by the real sops CLI through', () => {
      const text = readFileSync(sharedDir('fixtures', 'sops', 'age-secret.sops.yaml'), 'utf8');
      expect(checkRenderedSecrets(new Map([['clusters/e/c/components/x/secrets/age.sops.yaml', text]]))).toEqual([]);
    });

    it('finds every real age identity, post-quantum ones included', () => {
      for (const key of ['age.agekey', 'age-pq.agekey'])
        expect(findSecretShapes(readFileSync(sharedDir('fixtures', 'sops', key), 'utf8')), key).toEqual(['an age identity (private key)']);
    });

    it('reports a broken MAC field naming the file', () => {
      const text = readFileSync(sharedDir('fixtures', 'sops', 'age-secret.sops.yaml'), 'utf8').replace(
        /mac: ENC\[AES256_GCM,data:[^,]+/,
        'mac: ENC[AES256_GCM,data:broken',
      );
      const findings = checkRenderedSecrets(new Map([['clusters/e/c/s.sops.yaml', text]]));
      expect(findings.length).toBeGreaterThan(0);
      expect(findings[0].file).toBe('clusters/e/c/s.sops.yaml');
      expect(findings[0].message).toMatch(/mac/i);
    });
  });
});
