import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRenderedEnvironment } from '@ck8s/render';
import { hasShared, repoRoot, sharedDir, tempDir } from '@ck8s/testing';
import { checkChartValues, loadChartDefaults, unknownValueKeys, type ChartDefaults } from './chart-values';
import { forgetCachedJson } from './json-cache';

describe('chart values keys', () => {
  const chart = { values: { replicaCount: 1, resources: {}, podAnnotations: {}, webhook: { replicaCount: 1 }, extraArgs: [] } };

  it('accepts keys the chart knows and anything under free-form maps', () => {
    expect(unknownValueKeys({ replicaCount: 2, resources: { requests: { cpu: '1' } }, webhook: { replicaCount: 2 } }, chart)).toEqual([]);
  });

  it('names a mistyped key with its full path', () => {
    expect(unknownValueKeys({ replicas: 2, webhook: { replicaCont: 2 } }, chart)).toEqual(['replicas', 'webhook.replicaCont']);
  });

  it('honours values.schema.json properties and additionalProperties:false', () => {
    const withSchema = { values: { image: {} }, schema: { properties: { image: { properties: { tag: {} }, additionalProperties: false } } } };
    expect(unknownValueKeys({ image: { tag: 'v1', tga: 'x' } }, withSchema)).toEqual(['image.tga']);
  });

  it('follows $ref and patternProperties in values.schema.json', () => {
    const schema = {
      $ref: '#/$defs/values',
      $defs: {
        values: { additionalProperties: false, properties: { webhook: { $ref: '#/$defs/values.webhook' } } },
        'values.webhook': { additionalProperties: false, properties: { replicaCount: {} }, patternProperties: { '^extra[A-Z]': {} } },
      },
    };
    const withRefs = { values: { webhook: { replicaCount: 1 } }, schema: schema as never };
    expect(unknownValueKeys({ webhook: { replicaCount: 2, extraFoo: 1, replicaCont: 2 }, webhok: {} }, withRefs)).toEqual(['webhook.replicaCont', 'webhok']);
  });

  it.skipIf(!hasShared('charts', 'cert-manager', 'v1.18.3'))('reads the real cert-manager schema, which is all $refs', () => {
    const cm = loadChartDefaults(sharedDir('charts'), 'cert-manager', 'v1.18.3')!;
    expect(
      unknownValueKeys(
        { replicaCount: 2, webhook: { replicaCount: 2, networkPolicy: { enabled: true } }, prometheus: { servicemonitor: { enabled: true } } },
        cm,
      ),
    ).toEqual([]);
    expect(unknownValueKeys({ webhook: { replicaCont: 2 } }, cm)).toEqual(['webhook.replicaCont']);
  });

  it.skipIf(!hasShared('charts', 'traefik', '41.3.0'))('reads the real Traefik chart defaults and schema', () => {
    const traefik = loadChartDefaults(sharedDir('charts'), 'traefik', '41.3.0')!;
    expect(unknownValueKeys({ deployment: { replicas: 2 }, ports: { websecure: { http: { tls: { enabled: true } } } } }, traefik)).toEqual([]);
    expect(unknownValueKeys({ deployment: { replica: 2 } }, traefik)).toEqual(['deployment.replica']);
  });
});

describe('chart values keys with subcharts and documented keys', () => {
  const grafana = { values: { replicas: 1, ingress: { enabled: false } } };
  const parent = {
    values: { grafana: { enabled: true }, alertmanager: { ingress: { enabled: false } } },
    commented: new Set(['pathType']),
    subcharts: { grafana },
  };

  it('accepts keys read by the subchart or by the parent under the subchart name', () => {
    expect(unknownValueKeys({ grafana: { enabled: true, replicas: 2, ingress: { enabled: true } } }, parent)).toEqual([]);
    expect(unknownValueKeys({ grafana: { replica: 2 } }, parent)).toEqual(['grafana.replica']);
  });

  it("checks a subchart's keys against its own defaults when the parent's defaults do not name it", () => {
    const silent = { values: { alertmanager: {} }, subcharts: { grafana } };
    expect(unknownValueKeys({ grafana: { replicas: 2, replica: 2 } }, silent)).toEqual(['grafana.replica']);
  });

  it('accepts keys the defaults document in comments', () => {
    expect(unknownValueKeys({ alertmanager: { ingress: { pathType: 'Prefix', pathTyp: 'x' } } }, parent)).toEqual(['alertmanager.ingress.pathTyp']);
  });
});

describe('loading chart defaults', () => {
  it('reads a subchart at the version the parent pins, else the newest one available', () => {
    const t = tempDir('ck8s-charts-');
    const put = (path: string, text: string) => {
      mkdirSync(join(t.dir, path, '..'), { recursive: true });
      writeFileSync(join(t.dir, path), text);
    };
    try {
      put('parent/1.0.0/values.yaml', 'sub: {}\n');
      put('parent/1.0.0/Chart.yaml', 'dependencies:\n  - { name: sub, version: 1.0.0 }\n  - { name: other, version: 3.0.0, alias: renamed }\n');
      put('sub/1.0.0/values.yaml', 'pinned: 1\n');
      put('sub/10.0.0/values.yaml', 'newer: 1\n');
      put('other/9.0.0/values.yaml', 'nine: 1\n');
      put('other/10.0.0/values.yaml', 'ten: 1\n');
      const parent = loadChartDefaults(t.dir, 'parent', '1.0.0')!;
      expect(parent.subcharts?.sub?.values).toEqual({ pinned: 1 });
      expect(parent.subcharts?.renamed?.values).toEqual({ ten: 1 });
      expect(loadChartDefaults(t.dir, 'parent', '2.0.0')).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});

describe('parsed chart defaults kept as JSON between runs', () => {
  const put = (dir: string, path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const plain = (d: ChartDefaults | undefined): unknown =>
    d && {
      ...d,
      commented: [...(d.commented ?? [])].sort(),
      subcharts: d.subcharts && Object.fromEntries(Object.entries(d.subcharts).map(([k, v]) => [k, plain(v)])),
    };

  it('a hit gives what a parse gives; a changed file is parsed again; an unreadable entry is replaced', () => {
    const charts = tempDir('ck8s-charts-');
    const cache = tempDir('ck8s-chart-defaults-');
    try {
      put(charts.dir, 'app/1.0.0/values.yaml', 'image:\n  tag: v1\n# extraThing: documented\n');
      put(charts.dir, 'app/1.0.0/values.schema.json', '{"properties":{"image":{"additionalProperties":false,"properties":{"tag":{}}}}}');
      put(charts.dir, 'app/1.0.0/Chart.yaml', 'dependencies:\n  - { name: sub, version: 2.0.0 }\n');
      put(charts.dir, 'sub/2.0.0/values.yaml', 'replicas: 1\n');
      forgetCachedJson();
      const fresh = loadChartDefaults(charts.dir, 'app', '1.0.0')!;
      forgetCachedJson();
      const miss = loadChartDefaults(charts.dir, 'app', '1.0.0', true, cache.dir);
      const entries = readdirSync(cache.dir);
      expect(entries).toHaveLength(2);
      forgetCachedJson();
      const hit = loadChartDefaults(charts.dir, 'app', '1.0.0', true, cache.dir);
      expect(plain(miss)).toEqual(plain(fresh));
      expect(plain(hit)).toEqual(plain(fresh));
      expect(plain(hit)).toMatchObject({ values: { image: { tag: 'v1' } }, commented: ['extraThing'], subcharts: { sub: { values: { replicas: 1 } } } });
      const values = { image: { tag: 'v2', tga: 1 }, sub: { replicas: 2, replica: 3 }, extraThing: true };
      expect(unknownValueKeys(values, hit!)).toEqual(unknownValueKeys(values, fresh));
      expect(unknownValueKeys(values, hit!)).toEqual(['image.tga', 'sub.replica']);
      // The entry is what a hit reads: proof that the second process would not parse YAML.
      const appEntry = entries.map((e) => join(cache.dir, e)).find((f) => readFileSync(f, 'utf8').includes('extraThing'))!;
      writeFileSync(appEntry, readFileSync(appEntry, 'utf8').replace('"tag":"v1"', '"tag":"from-cache"'));
      forgetCachedJson();
      expect(loadChartDefaults(charts.dir, 'app', '1.0.0', true, cache.dir)?.values).toMatchObject({ image: { tag: 'from-cache' } });
      // A changed values.yaml is another key: parsed again.
      put(charts.dir, 'app/1.0.0/values.yaml', 'image:\n  tag: v1\n  digest: ""\n');
      expect(loadChartDefaults(charts.dir, 'app', '1.0.0', true, cache.dir)?.values).toEqual({ image: { tag: 'v1', digest: '' } });
      // A broken entry is parsed again and rewritten.
      for (const e of readdirSync(cache.dir)) writeFileSync(join(cache.dir, e), '{"values": ');
      forgetCachedJson();
      expect(plain(loadChartDefaults(charts.dir, 'app', '1.0.0', true, cache.dir))).toEqual(plain(loadChartDefaults(charts.dir, 'app', '1.0.0')));
      // Both current entries (the stale one of the old values.yaml stays broken: nothing reads it).
      const readable = readdirSync(cache.dir).filter((e) => {
        try {
          return !!JSON.parse(readFileSync(join(cache.dir, e), 'utf8'));
        } catch {
          return false;
        }
      });
      expect(readable).toHaveLength(2);
    } finally {
      charts.cleanup();
      cache.cleanup();
    }
  });

  it('writes no entry for values JSON would change (.inf), and still reads them', () => {
    const charts = tempDir('ck8s-charts-');
    const cache = tempDir('ck8s-chart-defaults-');
    try {
      put(charts.dir, 'odd/1.0.0/values.yaml', 'limit: .inf\nnested:\n  ok: 1\n');
      forgetCachedJson();
      expect(loadChartDefaults(charts.dir, 'odd', '1.0.0', true, cache.dir)?.values).toEqual({ limit: Infinity, nested: { ok: 1 } });
      expect(readdirSync(cache.dir)).toEqual([]);
    } finally {
      charts.cleanup();
      cache.cleanup();
    }
  });

  it.skipIf(!hasShared('charts'))('checkChartValues on example-prod finds the same with a cold and a warm cache', () => {
    const cache = tempDir('ck8s-chart-defaults-');
    const saved = process.env.CK8S_CHART_DEFAULTS_CACHE;
    process.env.CK8S_CHART_DEFAULTS_CACHE = cache.dir;
    try {
      const tree = readRenderedEnvironment(repoRoot, 'example-prod');
      // A values key no chart knows, so the comparison has findings to compare.
      const file = [...tree.keys()].find((f) => f.endsWith('/cert-manager/values.yaml'))!;
      const bad = new Map(tree).set(file, `${tree.get(file)}notAKey: 1\nalsoNotAKey:\n  x: 2\n`);
      forgetCachedJson();
      const cold = checkChartValues(repoRoot, bad);
      expect(readdirSync(cache.dir).length).toBeGreaterThan(5);
      forgetCachedJson();
      const warm = checkChartValues(repoRoot, bad);
      expect(warm).toEqual(cold);
      expect(cold.map((f) => f.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/values key "notAKey" is not in chart cert-manager/), expect.stringMatching(/"alsoNotAKey"/)]),
      );
    } finally {
      if (saved === undefined) delete process.env.CK8S_CHART_DEFAULTS_CACHE;
      else process.env.CK8S_CHART_DEFAULTS_CACHE = saved;
      cache.cleanup();
    }
  });
});
