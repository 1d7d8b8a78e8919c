import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectSopsFile } from '@ck8s/secrets';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { inspectSops } from './sops-inspect';

if (!hasShared('fixtures', 'sops')) console.warn(skipMessage('fixtures', 'sops'));
describe.skipIf(!hasShared('fixtures', 'sops'))('SOPS files inspected once per text', () => {
  const good = () => readFileSync(sharedDir('fixtures', 'sops', 'age-secret.sops.yaml'), 'utf8');

  it('gives what inspectSopsFile gives, each file named in its own problems', () => {
    const broken = good().replace(/mac: ENC\[AES256_GCM,data:[^,]+/, 'mac: ENC[AES256_GCM,data:broken');
    const plain = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n';
    for (const text of [good(), broken, plain, 'a: [1\n', ''])
      for (const file of ['environments/e/secrets/a.sops.yaml', 'clusters/e/c/flux/secrets/a.sops.yaml', 'environments/e/secrets/a.sops.yaml'])
        expect(inspectSops(text, file)).toEqual(inspectSopsFile(text, file));
    expect(inspectSops(broken, 'x.sops.yaml').problems.join('\n')).toMatch(/^x\.sops\.yaml: sops\.mac/m);
    expect(inspectSops(broken, 'y.sops.yaml').problems.join('\n')).not.toMatch(/x\.sops\.yaml/);
  });

  it('hands out copies, so a caller cannot change what the next one reads', () => {
    const first = inspectSops(good(), 'a.sops.yaml');
    first.keys.push('added');
    first.problems.push('added');
    expect(inspectSops(good(), 'a.sops.yaml')).toEqual(inspectSopsFile(good(), 'a.sops.yaml'));
  });
});
