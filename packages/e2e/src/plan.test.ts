import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@ck8s/manifest';
import { applyOrder, PlanError, type FluxKustomization } from './plan';

const ks = (name: string, dependsOn: string[] = [], parent: string | null = 'flux-system'): FluxKustomization => ({
  name,
  namespace: 'flux-system',
  path: `clusters/x/${name}`,
  dependsOn,
  prune: true,
  decrypt: false,
  parent: parent ?? undefined,
  object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' } } as K8sObject,
});
const nodes = (...list: FluxKustomization[]) => new Map(list.map((k) => [k.name, k]));

describe('apply order from dependsOn', () => {
  it('puts the root sync first and every Kustomization after what it depends on, ties in name order', () => {
    const order = applyOrder(nodes(ks('flux-system', [], null), ks('zeta'), ks('alpha', ['namespaces']), ks('namespaces'), ks('beta', ['alpha'])));
    expect(order).toEqual(['flux-system', 'namespaces', 'alpha', 'beta', 'zeta']);
  });

  it('waits for the Kustomization that creates another one (its parent), even without dependsOn', () => {
    const order = applyOrder(nodes(ks('flux-system', [], null), ks('a-child', [], 'z-parent'), ks('z-parent')));
    expect(order.indexOf('z-parent')).toBeLessThan(order.indexOf('a-child'));
  });

  it('rejects a dependsOn on a Kustomization the cluster does not render, naming both', () => {
    expect(() => applyOrder(nodes(ks('flux-system', [], null), ks('dex', ['cert-manager'])))).toThrow(PlanError);
    expect(() => applyOrder(nodes(ks('flux-system', [], null), ks('dex', ['cert-manager'])))).toThrow(
      /Kustomization\/flux-system\/dex: dependsOn cert-manager/,
    );
  });

  it('rejects a cycle, naming its members', () => {
    expect(() => applyOrder(nodes(ks('flux-system', [], null), ks('a', ['b']), ks('b', ['a']), ks('c')))).toThrow(/dependsOn cycle among: a, b$/);
  });
});
