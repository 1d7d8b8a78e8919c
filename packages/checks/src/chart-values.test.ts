import { describe, expect, it } from 'vitest';
import { hasShared, sharedDir } from '@ck8s/testing';
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

  it.skipIf(!hasShared('charts', 'traefik', '41.3.0'))('reads the real Traefik chart defaults and schema', () => {
    const traefik = loadChartDefaults(sharedDir('charts'), 'traefik', '41.3.0')!;
    expect(unknownValueKeys({ deployment: { replicas: 2 }, ports: { websecure: { http: { tls: { enabled: true } } } } }, traefik)).toEqual([]);
    expect(unknownValueKeys({ deployment: { replica: 2 } }, traefik)).toEqual(['deployment.replica']);
  });
});

describe('chart values keys with subcharts and documented keys', () => {
  const grafana = { values: { replicas: 1, ingress: { enabled: false } } };
  const parent = { values: { grafana: { enabled: true }, alertmanager: { ingress: { enabled: false } } }, commented: new Set(['pathType']), subcharts: { grafana } };

  it('accepts keys read by the subchart or by the parent under the subchart name', () => {
    expect(unknownValueKeys({ grafana: { enabled: true, replicas: 2, ingress: { enabled: true } } }, parent)).toEqual([]);
    expect(unknownValueKeys({ grafana: { replica: 2 } }, parent)).toEqual(['grafana.replica']);
  });

  it('accepts keys the defaults document in comments', () => {
    expect(unknownValueKeys({ alertmanager: { ingress: { pathType: 'Prefix', pathTyp: 'x' } } }, parent)).toEqual(['alertmanager.ingress.pathTyp']);
  });
});
