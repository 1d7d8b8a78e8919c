import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATALOG, settingsKey } from '@ck8s/components';
import { repoRoot } from '@ck8s/testing';
import { catalogEntries, chartsOf, environmentSettings, flatten, typeOf, undocumented, type JsonSchema } from './scripts/catalog-model';

const catalog = readFileSync(join(repoRoot, 'packages/components/CATALOG.md'), 'utf8');
const rowKeys = new Set([...catalog.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));

describe('CATALOG.md', () => {
  const components = catalogEntries();
  const environment = environmentSettings();

  it('lists every key of the environment schema outside components, with a description', () => {
    expect(environment.map((r) => r.path)).toEqual(
      expect.arrayContaining(['storage.objectStorage.type', 'network.loadBalancerMode', 'flux.interval', 'notifications.webhooks[].type', 'clusters[].role']),
    );
    expect(undocumented(environment)).toEqual([]);
    expect(environment.map((r) => r.path).filter((p) => !rowKeys.has(p))).toEqual([]);
  });

  it('lists every key of every component, with a description', () => {
    const missing = components.flatMap((c) =>
      c.settings.filter((s) => !rowKeys.has(`components.${c.key}.${s.path}`)).map((s) => `components.${c.key}.${s.path}`),
    );
    expect(missing).toEqual([]);
    expect(components.flatMap((c) => undocumented(c.settings).map((p) => `components.${c.key}.${p}`))).toEqual([]);
    expect(components.map((c) => c.name)).toEqual(CATALOG.map((c) => c.name));
  });

  it('names the charts a setting chooses between, with their pinned versions', () => {
    const ingress = CATALOG.find((c) => c.name === 'ingress')!;
    const charts = chartsOf(ingress);
    expect(charts.map((c) => c.when)).toEqual(['controller: traefik', 'controller: ingress-nginx']);
    for (const c of charts) expect(catalog).toContain(`\`${c.chart}\` ${c.version} (${c.when})`);
    expect(catalog).not.toContain('chosen by settings');
    expect(components.find((c) => c.key === settingsKey('cert-manager'))?.charts.map((c) => c.when)).toEqual(['']);
  });

  it('finds a key without a description, and reads types as a person would', () => {
    const schema = z.toJSONSchema(
      z.strictObject({ a: z.string().describe('A'), b: z.strictObject({ c: z.number() }), d: z.array(z.strictObject({ e: z.boolean() })) }),
      { io: 'input' },
    ) as JsonSchema;
    const rows = flatten(schema);
    expect(rows.map((r) => r.path)).toEqual(['a', 'b.c', 'd', 'd[].e']);
    expect(undocumented(rows)).toEqual(['b.c', 'd', 'd[].e']);
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'string' }] })).toBe('string');
    expect(typeOf({ anyOf: [{ type: 'string' }, { const: '' }] })).toBe('string \\| `""`');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'string' } })).toBe('map of string');
  });
});
