import { describe, expect, it } from 'vitest';
import { EGRESS_KEY_ANNOTATION } from '@ck8s/config';
import { CATALOG } from '../catalog';
import { renderContext, testEnvironment } from '../testing';
import { egressTo } from './egress';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('egress by destination', () => {
  it('takes the addresses from network.egress.<destination> and names the key on the policy', () => {
    const env = testEnvironment({ config: { network: { egress: { objectStorage: ['198.51.100.0/24', '203.0.113.7/32'] } } } });
    const p = egressTo('velero', env.clusters[1], 'objectStorage', 'velero', 'allow-object-storage', [{ port: 443 }]) as Any;
    expect(p.metadata.annotations).toEqual({ [EGRESS_KEY_ANNOTATION]: 'network.egress.objectStorage' });
    expect(p.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }, { ipBlock: { cidr: '203.0.113.7/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    // Unset keys allow any address, explicitly.
    const other = egressTo('cert-manager', env.clusters[1], 'acme', 'cert-manager', 'allow-acme', [{ port: 443 }]) as Any;
    expect(other.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
  });

  it('is how every component reaches outside the cluster: no any-address rule without its key', () => {
    const env = testEnvironment({ flavor: 'prod', workloadClusters: ['apps'] });
    const unkeyed: string[] = [];
    for (const cluster of env.clusters) {
      for (const c of CATALOG.filter((c) => c.roles.includes(cluster.role))) {
        const out = c.render(renderContext(c, env, cluster.name) as never);
        for (const o of [...(out.objects ?? []), ...(out.config ?? [])] as Any[]) {
          if (o.kind !== 'NetworkPolicy') continue;
          const any = (o.spec.egress ?? []).some((r: Any) => (r.to ?? []).some((p: Any) => p.ipBlock?.cidr === '0.0.0.0/0'));
          if (any && !o.metadata.annotations?.[EGRESS_KEY_ANNOTATION]) unkeyed.push(`${cluster.name}/${c.name}/${o.metadata.name}`);
        }
      }
    }
    expect(unkeyed).toEqual([]);
  });

  it('rejects what is not a CIDR', () => {
    expect(() => testEnvironment({ config: { network: { egress: { registries: ['registry.example.com'] } } } })).toThrow(
      /network\.egress\.registries\[0\]: expected a CIDR/,
    );
    expect(() => testEnvironment({ config: { network: { egress: { registries: [] } } } })).toThrow(/network\.egress\.registries/);
  });
});
