import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool, pinOf } from '@ck8s/toolchain';
import { hasShared, realTool, tempDir } from '@ck8s/testing';
import { LAYER_FILES, readConfigPath } from './source/config-path';
import { effectiveConfig } from './source/effective';
import { CK8S_RELEASE, operatorConfigPath } from './testing';

/**
 * Differential test of the merge against the tool compliantkubernetes-apps merges with: `yq eval-all
 * 'explode(.) as $item ireduce ({}; . * $item)'` over the same four files must give the same config
 * as the importer's effective config (maps merged, lists and scalars replaced, anchors resolved).
 * Once yq is pinned in tools/toolchain/versions.txt it is a required real tool (missing fails with
 * CI=true); until then the suite runs where a yq is found (YQ_BIN, .tools/bin, PATH).
 */
const yq = pinOf('yq') ? realTool('yq', 'the reference merge of ck8s config files') : findTool('yq');
if (!yq) console.warn('skipped: no yq found (YQ_BIN, .tools/bin or PATH); the merge is not compared with the reference implementation');
const shared = hasShared('ck8s-apps', CK8S_RELEASE, 'config');
const tmp = tempDir('ck8s-import-yq-');
afterAll(() => tmp.cleanup());

const MERGE = 'explode(.) as $item ireduce ({}; . * $item)';
const yqMerge = (files: string[]) => JSON.parse(execFileSync(yq!, ['eval-all', MERGE, '-o', 'json', ...files]).toString());

describe.skipIf(!yq)('the effective config equals yq eval-all ". * $item" over the same files', () => {
  it('handcrafted: deep maps, replaced lists, scalars over maps and back, nulls, anchors and merge keys', () => {
    const dir = join(tmp.dir, 'handcrafted');
    mkdirSync(join(dir, 'defaults'), { recursive: true });
    writeFileSync(join(dir, 'defaults/common-config.yaml'), 'a: {m: {x: 1, y: [1, 2]}, s: map-or-scalar, n: 1, keep: k}\nlist: [a, b]\n');
    writeFileSync(join(dir, 'defaults/sc-config.yaml'), 'base: &b {p: 1, q: [x]}\nderived:\n  <<: *b\n  q: [y]\na: {s: {now: map}, n: null}\n');
    writeFileSync(join(dir, 'common-config.yaml'), 'a: {m: {y: [3], z: {}}}\nlist: []\n');
    writeFileSync(join(dir, 'sc-config.yaml'), 'a: {s: scalar-again}\nderived: {r: 2}\n');
    const cfg = effectiveConfig(readConfigPath(dir, { required: ['sc'] }), 'sc');
    expect(cfg.value).toEqual(yqMerge(LAYER_FILES.sc.map((f) => join(dir, f))));
  });

  it.skipIf(!shared).each([
    ['prod', 'elastx', 'capi'],
    ['dev', 'upcloud', 'kubespray'],
    ['air-gapped', 'azure', 'capi'],
  ] as const)('%s on %s (%s), both cluster kinds', (flavor, provider, installer) => {
    const dir = operatorConfigPath({
      dir: join(tmp.dir, `${flavor}-${provider}`),
      flavor,
      provider,
      installer,
      wc: { user: { constraints: { web: { psaLevel: 'baseline' } } } },
    });
    const path = readConfigPath(dir, { required: ['sc', 'wc'] });
    for (const kind of ['sc', 'wc'] as const) expect(effectiveConfig(path, kind).value, kind).toEqual(yqMerge(LAYER_FILES[kind].map((f) => join(dir, f))));
  });
});
