import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@ck8s/manifest';
import { conflictingManagers, inventoryId, sameContent, stageOf } from './apply';
import { constraintCrd, CONSTRAINTS_GROUP } from './constraint-crd';
import type { Live } from './kube';
import { normaliseSecret } from './sops';

describe('SSA conflicts', () => {
  it('reads every conflicting manager from the API server message, once', () => {
    const one = 'Apply failed with 1 conflict: conflict with "kustomize-controller/flux-system/falco": .metadata.labels.kustomize.toolkit.fluxcd.io/name';
    expect(conflictingManagers(one)).toEqual(['kustomize-controller/flux-system/falco']);
    const many = 'Apply failed with 3 conflicts: conflicts with "kubectl-edit":\n- .spec.interval\n- .spec.timeout\nconflict with "a/b": .spec.x';
    expect(conflictingManagers(many)).toEqual(['kubectl-edit', 'a/b']);
    expect(conflictingManagers('namespaces "x" not found')).toEqual([]);
  });
});

describe('Flux apply stages and inventory ids', () => {
  it('applies CRDs and Namespaces first, then *Class kinds, then the rest', () => {
    expect(stageOf({ apiVersion: 'v1', kind: 'Namespace' })).toBe(0);
    expect(stageOf({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' })).toBe(0);
    expect(stageOf({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' })).toBe(1);
    expect(stageOf({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' })).toBe(1);
    expect(stageOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(2);
  });

  it('writes inventory ids as kustomize-controller does: <namespace>_<name>_<group>_<kind>', () => {
    expect(inventoryId({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'dex', name: 'dex' })).toBe('dex_dex_apps_Deployment');
    expect(inventoryId({ apiVersion: 'v1', kind: 'Namespace', name: 'dex' })).toBe('_dex__Namespace');
  });
});

describe('unchanged means same content', () => {
  const live = (meta: Record<string, unknown>, spec: unknown): Live => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', ...meta }, spec }) as Live;
  it('ignores what every write changes (resourceVersion, generation, managed fields) and key order', () => {
    expect(
      sameContent(
        live({ resourceVersion: '1', generation: 1, managedFields: [{ manager: 'a' }] }, { b: 1, a: [1, 2] }),
        live({ resourceVersion: '9', generation: 2 }, { a: [1, 2], b: 1 }),
      ),
    ).toBe(true);
  });
  it('sees a changed value, a list order, a label', () => {
    expect(sameContent(live({}, { a: 1 }), live({}, { a: 2 }))).toBe(false);
    expect(sameContent(live({}, { a: [1, 2] }), live({}, { a: [2, 1] }))).toBe(false);
    expect(sameContent(live({ labels: { x: 'y' } }, {}), live({}, {}))).toBe(false);
  });
});

describe('Secrets', () => {
  it('folds stringData into base64 data, as Flux normalises before applying', () => {
    const s = normaliseSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'bee' } } as K8sObject);
    expect(s).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==', b: Buffer.from('bee').toString('base64') } });
  });
});

describe('constraint CRDs from ConstraintTemplates', () => {
  const template = {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: 'ck8sallowedrepos', labels: { team: 'platform' } },
    spec: {
      crd: {
        spec: {
          names: { kind: 'Ck8sAllowedRepos' },
          validation: { openAPIV3Schema: { type: 'object', properties: { repos: { type: 'array', items: { type: 'string' } } } } },
        },
      },
    },
  } as K8sObject;

  it('names, groups and scopes the CRD as Gatekeeper does, with the parameters schema under spec.parameters', () => {
    const crd = constraintCrd(template);
    expect(crd.metadata).toEqual({ name: `ck8sallowedrepos.${CONSTRAINTS_GROUP}`, labels: { team: 'platform', 'gatekeeper.sh/constraint': 'yes' } });
    const spec = crd.spec as {
      group: string;
      scope: string;
      names: { kind: string; plural: string };
      versions: { name: string; storage: boolean; schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }[];
    };
    expect([spec.group, spec.scope, spec.names.kind, spec.names.plural]).toEqual([CONSTRAINTS_GROUP, 'Cluster', 'Ck8sAllowedRepos', 'ck8sallowedrepos']);
    expect(spec.versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1beta1', true],
      ['v1alpha1', false],
    ]);
    const props = spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    expect(Object.keys(props).sort()).toEqual(['enforcementAction', 'match', 'parameters', 'scopedEnforcementActions']);
    expect(props.parameters).toEqual(
      template.spec && (template.spec as { crd: { spec: { validation: { openAPIV3Schema: unknown } } } }).crd.spec.validation.openAPIV3Schema,
    );
  });

  it('refuses a template without a kind, naming it', () => {
    expect(() => constraintCrd({ ...template, spec: { crd: { spec: { names: {} } } } })).toThrow(
      'ConstraintTemplate/ck8sallowedrepos: spec.crd.spec.names.kind is missing',
    );
  });
});
