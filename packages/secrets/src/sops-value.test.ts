import { describe, expect, it } from 'vitest';
import { decryptValue, encryptValue, parseEncValue, SopsValueAuthError } from './sops-value';

const KEY = new Uint8Array(32).fill(1);
const IV = new Uint8Array(32).fill(2);

describe('ENC[] values', () => {
  it('round-trips every type sops writes, with the Go renderings', () => {
    const cases = [
      ['pässword', 'str'],
      [42n, 'int'],
      [0.5, 'float'],
      [true, 'bool'],
    ] as const;
    for (const [value, type] of cases) {
      const enc = encryptValue(value, KEY, 'stringData:k:', IV);
      expect(enc).toMatch(
        new RegExp(`^ENC\\[AES256_GCM,data:[^,]+,iv:${Buffer.from(IV).toString('base64').replace(/[+/]/g, '\\$&')},tag:[^,]+,type:${type}\\]$`),
      );
      expect(decryptValue(enc, KEY, 'stringData:k:')).toEqual(value);
    }
    // booleans are encrypted as Title-case text, as sops (after its Python original) does
    const enc = encryptValue(false, KEY, 'a:', IV);
    const { value } = parseEncValue(enc) as { value: { data: Buffer } };
    expect(value.data.length).toBe('False'.length);
  });

  it('authenticates the key path', () => {
    const enc = encryptValue('x', KEY, 'stringData:a:', IV);
    expect(() => decryptValue(enc, KEY, 'stringData:b:')).toThrow(SopsValueAuthError);
    expect(() => decryptValue(enc, new Uint8Array(32), 'stringData:a:')).toThrow(/stringData:a: failed AES-GCM authentication/);
  });

  it('parses strictly', () => {
    expect(parseEncValue('ENC[AES256_GCM,data:,iv:AA==,tag:AA==,type:str]')).toEqual({ error: 'has a data field that is not valid base64' });
    expect(parseEncValue('ENC[AES256_GCM,data:AA==,iv:AA=,tag:AA==,type:str]')).toEqual({ error: 'has a iv field that is not valid base64' });
    expect(parseEncValue('ENC[AES128_GCM,data:AA==,iv:AA==,tag:AA==,type:str]')).toMatchObject({ error: expect.stringMatching(/not of the form/) });
  });
});
