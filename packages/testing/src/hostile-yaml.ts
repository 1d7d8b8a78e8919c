/**
 * Seeded generators of random and mutated YAML for property tests of config readers. Seeded (not
 * Math.random) so a failing case is reproduced by its seed, which the tests print.
 */

export type Rand = () => number;

/** mulberry32: a small, well-distributed 32-bit PRNG; enough for test inputs. */
export function seededRandom(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);

/** An anchor chain where each level lists the previous one `width` times: width^depth values from a few lines. */
export function aliasBomb(depth = 9, width = 9, key = 'bomb'): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < depth; i++)
    lines.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  lines.push(`${key}: *l${depth - 1}`);
  return `${lines.join('\n')}\n`;
}

/** Pieces of YAML that stress a reader: structure, anchors, explicit tags, odd scalars, directives. */
export const YAML_FRAGMENTS: readonly string[] = [
  ':',
  ': ',
  '-',
  '- ',
  '? ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '|',
  '>',
  '\n',
  '\n  ',
  '\n    ',
  '\t',
  ' ',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '*missing',
  '<<: *a',
  '---',
  '...',
  '%YAML 1.2\n---\n',
  '%TAG ! tag:x,2000:\n---\n',
  '!!binary aGVsbG8=',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!!pairs [a: 1]',
  '!!timestamp 2001-12-14',
  '!!int 7',
  '!!float x',
  '!!str',
  '!!map',
  '!!seq',
  '!local',
  '!<tag:yaml.org,2002:str> x',
  '.inf',
  '-.inf',
  '.nan',
  '0x1F',
  '0o17',
  '1e999',
  '123456789012345678901234567890',
  'null',
  '~',
  'true',
  'yes',
  'NO',
  '""',
  "''",
  '"\\u0000"',
  '"\\ud800"',
  '__proto__',
  'constructor',
  'toString',
  'version',
  'flavor',
  'provider',
  'domain',
  'clusters',
  'components',
  'name',
  'role',
  'management',
  'workload',
  'prod',
  'dev',
  'exoscale',
  'enabled',
  'replicas',
  '\u00a0',
  '\ufeff',
  '\r\n',
  '\u2028',
];

/** Random token soup built from the fragments and random characters. */
export function randomYaml(rand: Rand, maxTokens = 60): string {
  let out = '';
  const n = 1 + int(rand, maxTokens);
  for (let i = 0; i < n; i++) out += rand() < 0.85 ? pick(rand, YAML_FRAGMENTS) : String.fromCharCode(int(rand, 0x250));
  return out;
}

/** One random edit of `text`: delete, duplicate or move a span, insert a fragment, re-indent or swap lines, or splice in an alias bomb. */
export function mutateYaml(text: string, rand: Rand): string {
  const at = int(rand, text.length + 1);
  const span = 1 + int(rand, 40);
  const lines = text.split('\n');
  const line = int(rand, lines.length);
  switch (int(rand, 8)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + text.slice(at, at + span) + text.slice(at);
    case 2:
      return text.slice(0, at) + pick(rand, YAML_FRAGMENTS) + text.slice(at);
    case 3:
      lines[line] = ' '.repeat(int(rand, 6)) + lines[line].trimStart();
      return lines.join('\n');
    case 4: {
      const other = int(rand, lines.length);
      [lines[line], lines[other]] = [lines[other], lines[line]];
      return lines.join('\n');
    }
    case 5: {
      // Replace a scalar after a colon with something hostile.
      const m = /: (.+)$/.exec(lines[line]);
      if (m) lines[line] = lines[line].slice(0, m.index) + `: ${pick(rand, YAML_FRAGMENTS)}`;
      return lines.join('\n');
    }
    case 6:
      return text + (rand() < 0.5 ? aliasBomb(2 + int(rand, 8), 2 + int(rand, 8), pick(rand, ['bomb', 'components', 'network'])) : randomYaml(rand, 10));
    default: {
      const from = int(rand, text.length);
      return text.slice(0, at) + text.slice(from, from + span) + text.slice(at);
    }
  }
}

/** `seed`-th hostile variant of `text`: one to five mutations, sometimes followed by random YAML. */
export function hostileVariant(text: string, seed: number): string {
  const rand = seededRandom(seed);
  let out = text;
  const n = 1 + int(rand, 5);
  for (let i = 0; i < n; i++) out = mutateYaml(out, rand);
  return out;
}
