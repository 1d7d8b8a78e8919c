import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, tempDir } from '@ck8s/testing';
import { readConfigPath } from './source/config-path';
import { containsPlainSetMe, containsSetMe, effectiveConfig, formatKeyPath, getPath, isSetMe, originOf } from './source/effective';
import { CK8S_RELEASE, ck8sInit, override } from './testing';

const tmp = tempDir('ck8s-import-source-');
afterAll(() => tmp.cleanup());

let n = 0;
/** A config path from literal files (relative path → YAML text). */
function configPath(files: Record<string, string>): string {
  const dir = join(tmp.dir, `cfg-${n++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const BASE = {
  'defaults/common-config.yaml': 'a:\n  map: {x: 1, y: 2}\n  list: [1, 2, 3]\n  scalar: common-default\n  keep: yes-kept\n',
  'defaults/sc-config.yaml': 'a:\n  map: {z: 3}\n  scalar: sc-default\n',
  'common-config.yaml': 'a:\n  map: {x: 10}\n  list: [9]\n',
  'sc-config.yaml': 'a:\n  scalar: sc-override\n',
};

describe('effective config: merged as ck8s merges it', () => {
  it('maps merge deeply, lists and scalars replace, later layers win, each leaf knows the file that set it', () => {
    const cfg = effectiveConfig(readConfigPath(configPath(BASE), { required: ['sc'] }), 'sc');
    expect(cfg.value).toEqual({ a: { map: { x: 10, y: 2, z: 3 }, list: [9], scalar: 'sc-override', keep: 'yes-kept' } });
    const origin = Object.fromEntries(cfg.leaves.map((l) => [formatKeyPath(l.path), l.file.name]));
    expect(origin).toEqual({
      'a.map.x': 'common-config.yaml',
      'a.map.y': 'defaults/common-config.yaml',
      'a.map.z': 'defaults/sc-config.yaml',
      'a.list': 'common-config.yaml',
      'a.scalar': 'sc-config.yaml',
      'a.keep': 'defaults/common-config.yaml',
    });
    expect(originOf(cfg, ['a', 'scalar'])).toMatch(/sc-config\.yaml:2$/);
  });

  it('resolves YAML merge keys (<<: *anchor) as yq explode does, and keeps empty maps and lists as leaves', () => {
    const dir = configPath({
      ...BASE,
      'sc-config.yaml': 'grafana:\n  ops: &defaults\n    replicas: 1\n    extra: {}\n  user:\n    <<: *defaults\n    replicas: 2\n',
    });
    const cfg = effectiveConfig(readConfigPath(dir, { required: ['sc'] }), 'sc');
    expect(getPath(cfg.value, ['grafana', 'user'])).toEqual({ replicas: 2, extra: {} });
    expect(cfg.leaves.map((l) => formatKeyPath(l.path))).toEqual(expect.arrayContaining(['grafana.user.extra', 'grafana.ops.extra', 'a.list']));
  });

  it('formats keys that are not identifiers in brackets', () => {
    expect(formatKeyPath(['harbor', 'ingress', 'nginx.ingress.kubernetes.io/proxy-buffering'])).toBe(
      'harbor.ingress["nginx.ingress.kubernetes.io/proxy-buffering"]',
    );
  });

  it('set-me, set-me-if-(...) and lists holding them are unset; only plain set-me is unconditional', () => {
    expect(isSetMe('set-me')).toBe(true);
    expect(isSetMe('set-me-if-(.kured.enabled)')).toBe(true);
    expect(isSetMe('set-meh')).toBe(false);
    expect(containsSetMe(['set-me', 'admin@example.com'])).toBe(true);
    expect(containsSetMe([{ definition: { users: ['set-me'] } }])).toBe(true);
    expect(containsSetMe(['admin@example.com'])).toBe(false);
    expect(containsPlainSetMe(['set-me-if-(.x)'])).toBe(false);
    expect(containsPlainSetMe(['set-me'])).toBe(true);
  });

  it('refuses a folder without defaults/ or without the override files, naming the missing file', () => {
    expect(() => readConfigPath(configPath({ 'common-config.yaml': 'a: 1\n' }), { required: ['sc'] })).toThrow(
      /is not a compliantkubernetes-apps config path: defaults\/common-config\.yaml is missing/,
    );
    const { 'sc-config.yaml': _sc, ...noSc } = BASE;
    expect(() => readConfigPath(configPath(noSc), { required: ['sc'] })).toThrow(/missing sc-config\.yaml/);
    expect(() => readConfigPath(configPath({ ...BASE, 'sc-config.yaml': 'a: [unclosed\n' }), { required: ['sc'] })).toThrow(
      /sc-config\.yaml:\d+:\d+: not valid YAML/,
    );
    expect(() => readConfigPath(join(tmp.dir, 'nowhere'), { required: ['sc'] })).toThrow(/is not a folder/);
  });
});

describe.skipIf(!hasShared('ck8s-apps', CK8S_RELEASE, 'config'))('effective config of a config path made like ck8s init', () => {
  it('layers release ◀ flavor ◀ installer ◀ provider into defaults, and the operator overrides win', () => {
    const dir = join(tmp.dir, 'init-prod');
    ck8sInit({ dir, envName: 'acme', flavor: 'prod', provider: 'safespring', installer: 'capi' });
    override(dir, 'sc', { prometheus: { retention: { age: '21d' } } });
    const sc = effectiveConfig(readConfigPath(dir, { required: ['sc', 'wc'] }), 'sc');
    const wc = effectiveConfig(readConfigPath(dir, { required: ['sc', 'wc'] }), 'wc');
    expect(getPath(sc.value, ['global', 'ck8sFlavor'])).toBe('prod');
    expect(getPath(sc.value, ['global', 'clusterName'])).toBe('acme-sc');
    expect(getPath(wc.value, ['global', 'clusterName'])).toBe('acme-wc');
    expect(getPath(sc.value, ['objectStorage', 'buckets', 'velero'])).toBe('acme-velero');
    expect(getPath(sc.value, ['global', 'issuer'])).toBe('letsencrypt-prod'); // prod flavor
    expect(getPath(sc.value, ['global', 'clusterDns'])).toBe('10.233.0.10'); // capi installer
    expect(getPath(sc.value, ['objectStorage', 's3', 'regionEndpoint'])).toBe('https://s3.sto1.safedc.net'); // provider
    expect(getPath(sc.value, ['prometheus', 'retention', 'age'])).toBe('21d'); // override over prod's 7d
    expect(getPath(wc.value, ['prometheus', 'retention', 'age'])).toBe('3d'); // prod's 7d is in its sc layer only
    expect(getPath(sc.value, ['grafana', 'user', 'oidc', 'scopes'])).toBe('openid profile email groups'); // through <<: *grafanadefaults
    expect(sc.leaves.find((l) => l.path.join('.') === 'prometheus.retention.age')!.file.name).toBe('sc-config.yaml');
  });
});
