import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSION } from '@ck8s/checks';
import { pinOf, repoRoot } from '@ck8s/toolchain';
import { CONTROL_PLANE_TOOL } from './control-plane';

/** The control plane's Go module: kube-apiserver at the schemas' Kubernetes minor, its staging modules matching. */
const goMod = readFileSync(join(repoRoot, 'tools', 'toolchain', CONTROL_PLANE_TOOL, 'go.mod'), 'utf8');

function required(module: string): string | undefined {
  return new RegExp(`^\\s*${module.replace(/\./g, '\\.')} (v\\S+)`, 'm').exec(goMod)?.[1];
}

describe(`${CONTROL_PLANE_TOOL} (tools/toolchain/${CONTROL_PLANE_TOOL})`, () => {
  const pin = pinOf(CONTROL_PLANE_TOOL);

  it('is pinned in versions.txt as the go.mod requires it, at the Kubernetes minor the schemas use', () => {
    expect(pin).toMatchObject({ how: 'go-local', target: 'k8s.io/kubernetes' });
    expect(required('k8s.io/kubernetes')).toBe(pin!.version);
    const [, major, minor] = /^v?(\d+)\.(\d+)\./.exec(pin!.version) ?? [];
    expect(`${major}.${minor}`).toBe(KUBERNETES_VERSION.split('.').slice(0, 2).join('.'));
  });

  it('pins every k8s.io staging module to the v0.<minor>.<patch> of that Kubernetes release', () => {
    const staging = [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+) => (k8s\.io\/[\w.-]+) (v\S+)$/gm)];
    expect(staging.length).toBeGreaterThan(20);
    const expected = pin!.version.replace(/^v1\./, 'v0.');
    for (const [, from, to, version] of staging) {
      expect(to, from).toBe(from);
      expect(version, from).toBe(expected);
    }
  });

  it('embeds an etcd server release', () => {
    expect(required('go.etcd.io/etcd/server/v3')).toMatch(/^v3\.\d+\.\d+$/);
  });
});
