import { describe, expect, it } from 'vitest';
import { main } from './cli';

describe('ck8s-render --help', () => {
  it('prints usage and exits 0 for --help, 2 for an unknown command', async () => {
    const out: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    try {
      expect(await main(['--help'])).toBe(0);
      expect(await main(['explode'])).toBe(2);
    } finally {
      process.stdout.write = orig;
    }
    expect(out.join('')).toContain('Usage: ck8s-render <render|drift>');
  });
});
