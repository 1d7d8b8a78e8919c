import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '@ck8s/config';
import { CATALOG, componentSettings } from '../catalog';
import { componentSecrets, testEnvironment } from '../testing';
import type { GeneratedValue } from './component';
import { workloadClusters } from './wiring';

/**
 * The wiring between components and clusters, seen through what each side declares: a password
 * that one side sends and another checks must come from the same generated value (`shareAs`), under
 * the same user name. These tests know no component: they read every enabled component's secret
 * requirements, so a new sender without its receiver (or the reverse) fails here.
 */
interface Use {
  cluster: string;
  component: string;
  secret: string;
  key: string;
  /** The user name this use pairs with the share: an htpasswd line's user, or the sender Secret's literal `username`. */
  user?: string;
}

function shareUses(env: EnvironmentConfig): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  const add = (share: string, use: Use) => uses.set(share, [...(uses.get(share) ?? []), use]);
  for (const cluster of env.clusters) {
    for (const component of CATALOG) {
      if (!component.roles.includes(cluster.role) || !componentSettings(component, cluster.settings.components)?.enabled) continue;
      for (const req of componentSecrets(component, env, cluster.name)) {
        const gen: Record<string, GeneratedValue> = req.generate ?? {};
        const literalUser = gen.username?.type === 'literal' ? gen.username.value : undefined;
        for (const [key, g] of Object.entries(gen)) {
          const at = { cluster: cluster.name, component: component.name, secret: req.name, key };
          if (g.type === 'random' && g.shareAs) add(g.shareAs, { ...at, user: literalUser });
          if (g.type === 'htpasswd') add(g.of, { ...at, user: g.user });
          if (g.type === 'htpasswd-file') for (const e of g.entries) add(e.of, { ...at, user: e.user });
        }
      }
    }
  }
  return uses;
}

/** Every optional component on, two workload clusters: the widest wiring the catalog can render. */
const everything = testEnvironment({
  flavor: 'prod',
  workloadClusters: ['apps-a', 'apps-b'],
  config: { components: { thanos: { query: { ingress: true } }, rcloneSync: { enabled: true } } },
});

/**
 * Shares with one party on purpose. `thanos-query-ops`: the operators' password of the optional Thanos
 * query endpoint exists only as its htpasswd hash (no Secret keeps the plain value for people to read).
 */
const SINGLE_PARTY = new Set(['thanos-query-ops']);

describe('cross-cluster and cross-component wiring', () => {
  const uses = shareUses(everything);

  it('every shared value has a sender and a receiver', () => {
    const lonely = [...uses].filter(([share, u]) => !SINGLE_PARTY.has(share) && new Set(u.map((x) => `${x.cluster}/${x.secret}.${x.key}`)).size < 2);
    expect(lonely.map(([share, u]) => `${share}: ${u.map((x) => `${x.cluster}/${x.secret}.${x.key}`).join(', ')}`)).toEqual([]);
  });

  it('sender and receiver agree on the user name that goes with each shared password', () => {
    for (const [share, u] of uses) {
      const names = new Set(u.map((x) => x.user).filter((n): n is string => !!n));
      expect([...names], share).toHaveLength(names.size > 0 ? 1 : 0);
    }
  });

  it('each workload cluster pushes metrics, logs and alerts under its own identity, checked on the management cluster', () => {
    for (const w of workloadClusters(everything)) {
      const pushed = [...uses].filter(([, u]) => u.some((x) => x.cluster === w.name));
      // Three channels: Thanos remote write, OpenSearch, Alertmanager (Prometheus and Falco share the last).
      expect(pushed.length, w.name).toBe(3);
      for (const [share, u] of pushed) {
        expect(
          u.some((x) => x.cluster === 'management'),
          `${share} is checked on the management cluster`,
        ).toBe(true);
        expect(
          u.some((x) => x.cluster !== 'management' && x.cluster !== w.name),
          `${share} is not known to another workload cluster`,
        ).toBe(false);
        expect(new Set(u.map((x) => x.user).filter(Boolean)), share).toEqual(new Set([`writer-${w.name}`]));
      }
    }
  });

  it('a removed workload cluster leaves no identity behind on the management cluster', () => {
    const fewer = shareUses(testEnvironment({ flavor: 'prod', workloadClusters: ['apps-a'] }));
    expect([...fewer].filter(([, u]) => u.some((x) => x.user === 'writer-apps-b'))).toEqual([]);
  });
});
