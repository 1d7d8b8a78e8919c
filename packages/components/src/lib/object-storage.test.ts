import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../testing';
import { endpointPorts, ownObjectStorage, ownStoreHint } from './object-storage';

describe('endpointPorts', () => {
  it('always opens 443 and adds the port each endpoint names', () => {
    expect(endpointPorts()).toEqual([443]);
    expect(endpointPorts('', 'https://s3.example.com')).toEqual([443]);
    expect(endpointPorts('https://keystone.example.com:5000/v3', 'https://rgw.example.com:8080')).toEqual([443, 5000, 8080]);
  });

  it('knows plain http means port 80, and ignores what is not a URL', () => {
    expect(endpointPorts('http://minio.example.com')).toEqual([443, 80]);
    expect(endpointPorts('minio.example.com:9000')).toEqual([443]);
  });
});

describe('ownObjectStorage', () => {
  const cluster = (env: ReturnType<typeof testEnvironment>, name: string) => env.clusters.find((c) => c.name === name)!;

  it("is undefined for clusters on the environment's store, and names both stores for one at another provider", () => {
    const env = testEnvironment({ provider: 'safespring', workloadClusters: ['apps-a', 'apps-b'], clusterOverrides: { 'apps-b': { provider: 'exoscale' } } });
    expect(ownObjectStorage(env, cluster(env, 'management'))).toBeUndefined();
    expect(ownObjectStorage(env, cluster(env, 'apps-a'))).toBeUndefined();
    expect(ownObjectStorage(env, cluster(env, 'apps-b'))).toBe(
      "cluster apps-b stores objects in s3 at https://sos-ch-gva-2.exo.io, not in the environment's s3 at https://s3.sto2.safedc.net",
    );
    expect(ownStoreHint(env, cluster(env, 'apps-b'), 'access key')).toBe("access key, for s3 at https://sos-ch-gva-2.exo.io (cluster apps-b's own store)");
    expect(ownStoreHint(env, cluster(env, 'apps-a'), 'access key')).toBe('access key');
  });

  it('sees a region or endpoint override on the same provider, and ignores a bucket prefix or a store-less cluster', () => {
    const env = testEnvironment({
      provider: 'exoscale',
      workloadClusters: ['other-region', 'prefixed', 'no-store'],
      clusterOverrides: {
        'other-region': { storage: { objectStorage: { region: 'de-fra-1', endpoint: 'https://sos-de-fra-1.exo.io' } } },
        prefixed: { storage: { objectStorage: { bucketPrefix: 'elsewhere' } } },
        'no-store': { provider: 'none' },
      },
    });
    expect(ownObjectStorage(env, cluster(env, 'other-region'))).toMatch(
      /^cluster other-region stores objects in s3 at https:\/\/sos-de-fra-1\.exo\.io, not in/,
    );
    expect(ownObjectStorage(env, cluster(env, 'prefixed'))).toBeUndefined();
    expect(ownObjectStorage(env, cluster(env, 'no-store'))).toBeUndefined();
  });
});
