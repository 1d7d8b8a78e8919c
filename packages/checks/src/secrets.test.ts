import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { checkRenderedSecrets, findSecretShapes, mayHoldSecret } from './secrets';

describe('secret scan', () => {
  it('flags a plaintext Secret', () => {
    const tree = new Map([
      ['clusters/e/c/components/x/objects.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: x\nstringData:\n  password: hunter2\n'],
    ]);
    expect(checkRenderedSecrets(tree).map((f) => `${f.object} ${f.message}`)).toEqual([
      'Secret/x/db plaintext Secret in rendered output; encrypt it with `sops --encrypt --in-place` under environments/<env>/secrets/',
    ]);
  });

  // Every way a hand-edited file can spell kind Secret; the scan parses only files that mayHoldSecret, so each must pass it.
  it.each([
    ['block style', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n'],
    ['flow style', '{apiVersion: v1, kind: Secret, metadata: {name: db}}\n'],
    ['JSON', '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"}}\n'],
    ['single quotes', "apiVersion: v1\nkind: 'Secret'\nmetadata:\n  name: db\n"],
    ['a comment after it', 'apiVersion: v1\nkind:   Secret   # the password\nmetadata:\n  name: db\n'],
    ['a !!str tag', 'apiVersion: v1\nkind: !!str Secret\nmetadata:\n  name: db\n'],
    ['a block scalar', 'apiVersion: v1\nkind: |-\n  Secret\nmetadata:\n  name: db\n'],
    ['an alias', 'apiVersion: v1\nmetadata:\n  name: db\n  labels: {k: &k Secret}\nkind: *k\n'],
    ['a hex escape', 'apiVersion: v1\nkind: "\\x53ecret"\nmetadata:\n  name: db\n'],
    ['a unicode escape', 'apiVersion: v1\nkind: "Secr\\u0065t"\nmetadata:\n  name: db\n'],
    ['an escaped line break', 'apiVersion: v1\nkind: "Sec\\\n  ret"\nmetadata:\n  name: db\n'],
    ['a second document', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n'],
  ])('flags a plaintext Secret written in %s', (_, text) => {
    expect(mayHoldSecret(text)).toBe(true);
    expect(checkRenderedSecrets(new Map([['clusters/e/c/components/x/objects.yaml', text]])).map((f) => f.object)).toEqual(['Secret/db']);
  });

  it('parses no file that cannot hold a Secret: folding makes "Sec ret", and other kinds only contain the word', () => {
    expect(mayHoldSecret('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n')).toBe(false);
    const folded = 'apiVersion: v1\nkind: "Sec\n  ret"\nmetadata:\n  name: db\n';
    expect(mayHoldSecret(folded)).toBe(false);
    expect(checkRenderedSecrets(new Map([['clusters/e/c/x.yaml', folded]]))).toEqual([]);
    expect(mayHoldSecret('kind: ExternalSecret\n')).toBe(true);
    expect(checkRenderedSecrets(new Map([['clusters/e/c/x.yaml', 'apiVersion: v1\nkind: ExternalSecret\nmetadata:\n  name: e\n']]))).toEqual([]);
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
