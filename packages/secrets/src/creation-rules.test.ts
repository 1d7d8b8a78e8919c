import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { sopsCreationRules } from './creation-rules';

const R1 = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
const R2 = 'age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph';

describe('sopsCreationRules', () => {
  it('writes path_regex, encrypted_regex and comma-joined age recipients', () => {
    const text = sopsCreationRules({ pathRegex: 'secrets/.*\\.sops\\.yaml$', recipients: [R1, R2] });
    expect(text.startsWith('# Generated')).toBe(true);
    expect(YAML.parse(text)).toEqual({
      creation_rules: [{ path_regex: 'secrets/.*\\.sops\\.yaml$', encrypted_regex: '^(data|stringData)$', age: `${R1},${R2}` }],
    });
    expect(text).toContain(`    age: ${R1},${R2}\n`);
  });

  it('accepts several rules and validates recipients and regexes', () => {
    const text = sopsCreationRules([
      { pathRegex: 'a/', recipients: [R1], encryptedRegex: '^data$' },
      { pathRegex: 'b/', recipients: [R2] },
    ]);
    expect(YAML.parse(text).creation_rules).toHaveLength(2);
    expect(() => sopsCreationRules({ pathRegex: 'x', recipients: [] })).toThrow(/at least one/);
    expect(() => sopsCreationRules({ pathRegex: 'x', recipients: ['age1bad'] })).toThrow(/not age recipients/);
    expect(() => sopsCreationRules({ pathRegex: '(', recipients: [R1] })).toThrow(/invalid regex/);
  });
});
