import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { z } from 'zod';
import { clusterOverridesSchema, deepMerge } from '@ck8s/config';
import { configExtensions } from '@ck8s/components';
import { hasShared } from '@ck8s/testing';
import { AREAS, areaOf, contextFor, durationDays, mappingRule, MAPPING, matches, UNKNOWN_KEY, type ImportContext, type Rule } from './mapping';
import { collectLeaves, formatKeyPath, type EffectiveConfig } from './source/effective';
import { SECRET_RULES } from './secrets/mapping';
import { main as mappingDoc } from './mapping-doc';
import { CK8S_RELEASE, ck8sConfigDir } from './testing';

type JsonSchema = { properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; type?: string | string[] };
const schema = z.toJSONSchema(clusterOverridesSchema(configExtensions().components), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const ENV_KEYS = ['flavor', 'provider', 'domain', 'opsDomain', 'clusters[].name'];

function hasKey(path: string): boolean {
  let s: JsonSchema | undefined = schema;
  for (const seg of path.split('.')) s = s?.properties?.[seg] ?? s?.anyOf?.find((x) => x.properties?.[seg])?.properties?.[seg];
  return !!s;
}

/** An ImportContext over a literal ck8s config (for conversion tests). */
function ctx(value: Record<string, unknown>, over: Partial<ImportContext> = {}): ImportContext {
  const cfg = { kind: 'sc', value, leaves: [], source: { dir: '/x', files: new Map() } } as unknown as EffectiveConfig;
  return {
    ...contextFor(cfg, {
      cluster: 'mgmt',
      envName: 'acme',
      flavor: 'prod',
      provider: 'exoscale',
      domain: 'acme.example.com',
      opsDomain: 'ops.acme.example.com',
    }),
    ...over,
  };
}

const rule = (key: string, kind: 'sc' | 'wc' = 'sc') => mappingRule(key.split('.'), kind);
const convert = (key: string, value: unknown, c: ImportContext = ctx({}), kind: 'sc' | 'wc' = 'sc') => rule(key, kind).convert!(value, c);

describe('the mapping table', () => {
  it('patterns: * is one key, ** any number of keys (also none)', () => {
    expect(matches('a.*.c', ['a', 'b', 'c'])).toBe(true);
    expect(matches('a.*.c', ['a', 'b', 'x', 'c'])).toBe(false);
    expect(matches('a.**', ['a'])).toBe(true);
    expect(matches('**.tolerations', ['falco', 'falcoSidekick', 'tolerations'])).toBe(true);
    expect(matches('**.affinity.**', ['harbor', 'core', 'affinity', 'podAntiAffinity', 'x'])).toBe(true);
    expect(matches('opensearch.*Hash', ['opensearch', 'adminHash'])).toBe(false); // '*' is a whole key, not a glob inside one
  });

  it('every target is a key of our config schema (settings) or an environment key', () => {
    const targets = MAPPING.flatMap((r) => (r.target ? [r.target, ...(r.also ?? [])] : []));
    expect(targets.length).toBeGreaterThan(100);
    const unknown = targets.filter((t) => !ENV_KEYS.includes(t) && !hasKey(t));
    expect(unknown).toEqual([]);
  });

  it('every rule says why unless it is a plain mapping; replacements name the component; partOf names a mapped key', () => {
    const bad = MAPPING.filter(
      (r: Rule) => (r.outcome !== 'mapped' && !r.note) || (r.outcome === 'replaced' && !r.replacedBy) || (r.outcome === 'mapped' && !r.target),
    );
    expect(bad.map((r) => r.source)).toEqual([]);
    for (const r of MAPPING.filter((x) => x.partOf))
      expect(
        MAPPING.some((m) => m.source === r.partOf && m.target === r.target),
        r.source,
      ).toBe(true);
    for (const r of SECRET_RULES) expect(r.note, r.source).not.toBe('');
  });

  it('every area root belongs to one area only', () => {
    const roots = AREAS.flatMap((a) => a.roots);
    expect(new Set(roots).size).toBe(roots.length);
  });

  it('conversions: durations, retention, heap, receivers, load balancer mode, bucket prefix', () => {
    expect(durationDays('720h0m0s')).toBe(30);
    expect(durationDays('30d')).toBe(30);
    expect(durationDays('2w')).toBe(14);
    expect(durationDays('36h')).toBeUndefined();
    expect(convert('thanos.compactor.retentionResolutionRaw', '60d')).toEqual({ value: 60 });
    expect(convert('thanos.compactor.retentionResolution1h', '0s')).toMatchObject({ skip: expect.stringContaining('keep forever') });
    expect(convert('velero.retentionPeriod', '720h0m0s')).toEqual({ value: '720h' });
    expect(convert('velero.retentionPeriod', '1h30m0s')).toMatchObject({ skip: expect.any(String) });
    expect(convert('opensearch.masterNode.javaOpts', '-Xms1024m -Xmx2g')).toEqual({ value: '2g' });
    expect(
      convert('opensearch.curator.retention', [
        { pattern: 'other-*', ageDays: 90 },
        { pattern: 'kubernetes-*', ageDays: 30 },
        { pattern: 'kubeaudit-*', ageDays: 45 },
      ]),
    ).toEqual({ value: 45 });
    expect(convert('alerts.alertTo', 'slack', ctx({ alerts: { slack: { channel: '#ops' } } }))).toEqual({
      value: [{ name: 'slack', type: 'slack', channel: '#ops' }],
    });
    expect(convert('alerts.alertTo', 'null')).toEqual({ value: [] });
    expect(convert('ingressNginx.controller.useHostPort', true)).toEqual({ value: 'host-network' });
    expect(
      convert('ingressNginx.controller.useHostPort', false, ctx({ ingressNginx: { controller: { service: { enabled: true, type: 'LoadBalancer' } } } })),
    ).toEqual({ value: 'service' });
    expect(
      convert('ingressNginx.controller.useHostPort', false, ctx({ ingressNginx: { controller: { service: { enabled: true, type: 'NodePort' } } } })),
    ).toEqual({ value: 'node-port' });
    expect(convert('objectStorage.buckets.velero', 'acme-velero')).toEqual({ value: 'acme' });
    expect(convert('objectStorage.buckets.velero', 'backups')).toMatchObject({ skip: expect.stringContaining('<storage.objectStorage.bucketPrefix>-velero') });
    expect(convert('externalTrafficPolicy.whitelistRange.global', '10.0.0.0/8, 192.0.2.0/24')).toEqual({ value: ['10.0.0.0/8', '192.0.2.0/24'] });
    expect(convert('user.constraints', { legacy: { psaLevel: 'baseline', app: {} } }, ctx({}), 'wc')).toEqual({ value: { legacy: 'baseline' } });
    expect(convert('opa.rejectLoadBalancerService.enabled', true)).toEqual({ value: false });
    expect(convert('harbor.subdomain', 'harbor')).toMatchObject({ equal: expect.any(String) });
    expect(convert('harbor.subdomain', 'registry')).toMatchObject({ skip: expect.stringContaining('harbor.<domain>') });
    expect(convert('global.baseDomain', 'apps.acme.example.com', ctx({}), 'wc')).toMatchObject({ skip: expect.any(String) });
  });

  it('the same key reads differently on the service and the workload cluster where ck8s means different things', () => {
    expect(rule('global.baseDomain', 'sc').target).toBe('domain');
    expect(rule('global.baseDomain', 'wc').outcome).toBe('different');
    expect(rule('opa.imageRegistry.enabled', 'wc').target).toBe('components.gatekeeperConstraints.allowedRegistries.enabled');
    expect(rule('opa.imageRegistry.enabled', 'sc').outcome).toBe('different');
    expect(rule('fluentd.enabled', 'sc').outcome).toBe('replaced');
    expect(rule('hnc.enabled', 'wc')).toMatchObject({ outcome: 'replaced', replacedBy: 'capsule', target: 'components.userRbac.selfService.enabled' });
    expect(rule('ingressNginx.controller.config.useProxyProtocol')).toMatchObject({ outcome: 'replaced', replacedBy: 'traefik' });
    expect(rule('not.a.ck8s.key')).toBe(UNKNOWN_KEY);
  });

  it('MAPPING.md is generated from this table and current (mapping-doc.ts --check)', () => {
    expect(mappingDoc(['--check'])).toBe(0);
  });
});

describe.skipIf(!hasShared('ck8s-apps', CK8S_RELEASE, 'config'))('coverage of the release config', () => {
  const parsed = new Map<string, unknown>();
  const read = (rel: string) => {
    if (!parsed.has(rel)) parsed.set(rel, existsSync(ck8sConfigDir(rel)) ? (YAML.parse(readFileSync(ck8sConfigDir(rel), 'utf8'), { merge: true }) ?? {}) : {});
    return parsed.get(rel);
  };

  it('every leaf key of every flavor × provider × installer layering has a rule of its own (no key falls to "unknown")', () => {
    const unknown = new Set<string>();
    const seen = new Set<string>();
    let leaves = 0;
    for (const flavor of ['dev', 'prod', 'air-gapped']) {
      for (const provider of ['aws', 'azure', 'baremetal', 'citycloud', 'elastx', 'exoscale', 'openstack', 'safespring', 'upcloud']) {
        for (const installer of ['kubespray', 'capi']) {
          const layer = (n: string) =>
            deepMerge(...['', `flavors/${flavor}/`, `k8s-installers/${installer}/`, `providers/${provider}/`].map((d) => read(`${d}${n}-config.yaml`)));
          for (const kind of ['sc', 'wc'] as const) {
            for (const l of collectLeaves(deepMerge(layer('common'), layer(kind)))) {
              leaves++;
              const id = `${kind}\u0000${l.path.join('\u0000')}`;
              if (seen.has(id)) continue;
              seen.add(id);
              if (mappingRule(l.path, kind) === UNKNOWN_KEY) unknown.add(`${kind} ${formatKeyPath(l.path)}`);
              if (!areaOf(l.path)) unknown.add(`no area: ${formatKeyPath(l.path)}`);
            }
          }
        }
      }
    }
    expect(leaves).toBeGreaterThan(50_000);
    expect([...unknown]).toEqual([]);
  });

  it('every secrets.yaml key of the release (and of the provider layers) has a rule', () => {
    const keys = [...collectLeaves(read('secrets.yaml')), ...collectLeaves(read('providers/elastx/secrets.yaml'))].map((l) => l.path);
    expect(keys.length).toBeGreaterThan(30);
    const uncovered = keys.filter((p) => !SECRET_RULES.some((r) => matches(r.source, p))).map(formatKeyPath);
    expect(uncovered).toEqual([]);
  });
});
