import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir, tempDir } from '@ck8s/testing';
import { loadChartDefaults, unknownValueKeys } from './chart-values';

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
