import { describe, expect, it } from 'vitest';
import { toYaml, toYamlDocuments } from '@ck8s/manifest';
import { checkGraph } from './graph';
import type { Tree } from './tree';

const ROOT = 'clusters/e/c';
const K = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };

function fluxKs(name: string, dependsOn: string[] = [], provides?: string) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system', ...(provides ? { annotations: { 'ck8s.io/provides-api-groups': provides } } : {}) },
    spec: {
      path: `./${ROOT}/components/${name}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      interval: '10m',
      ...(dependsOn.length ? { dependsOn: dependsOn.map((n) => ({ name: n })) } : {}),
    },
  };
}

/** A cluster tree: `components` maps a Flux Kustomization name to [dependsOn, objects, provides]. */
function tree(components: Record<string, [string[], object[], string?]>): Tree {
  const t: Tree = new Map();
  t.set(`${ROOT}/kustomization.yaml`, toYaml({ ...K, resources: ['flux'] }));
  t.set(`${ROOT}/flux/kustomization.yaml`, toYaml({ ...K, resources: Object.keys(components).map((n) => `${n}.yaml`) }));
  for (const [name, [deps, objects, provides]] of Object.entries(components)) {
    t.set(`${ROOT}/flux/${name}.yaml`, toYaml(fluxKs(name, deps, provides)));
    t.set(`${ROOT}/components/${name}/kustomization.yaml`, toYaml({ ...K, resources: ['objects.yaml'] }));
    t.set(`${ROOT}/components/${name}/objects.yaml`, toYamlDocuments(objects));
  }
  return t;
}

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: {} };
const messages = (t: Tree) => checkGraph(t, ROOT, 'c').map((f) => `${f.object ?? ''} ${f.message}`);

describe('graph checks', () => {
  it('passes a well-ordered graph', () => {
    expect(
      messages(
        tree({
          namespaces: [[], [ns('cert-manager')]],
          'cert-manager': [['namespaces'], [], 'cert-manager.io'],
          'cert-manager-config': [['cert-manager'], [issuer]],
        }),
      ),
    ).toEqual([]);
  });

  it('finds dependsOn cycles', () => {
    const m = messages(tree({ a: [['b'], []], b: [['c'], []], c: [['a'], []] }));
    expect(m).toContain(' dependsOn cycle: a → b → c → a');
  });

  it('finds dependsOn on something not rendered', () => {
    expect(messages(tree({ a: [['ghost'], []] }))).toEqual(['Kustomization/flux-system/a dependsOn "ghost", which is not rendered for this cluster']);
  });

  it('finds a custom resource whose CRD no dependency provides', () => {
    const m = messages(tree({ 'cert-manager': [[], [], 'cert-manager.io'], issuers: [[], [issuer]] }));
    expect(m).toEqual([
      'ClusterIssuer/le uses API group cert-manager.io, but no Kustomization that issuers depends on provides its CRDs; ' +
        'add the providing component to dependsOn',
    ]);
  });

  it('accepts a CRD provided transitively', () => {
    expect(messages(tree({ crds: [[], [], 'cert-manager.io'], mid: [['crds'], []], issuers: [['mid'], [issuer]] }))).toEqual([]);
  });

  it('finds a namespace used before it is created', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' } };
    expect(messages(tree({ app: [[], [cm]] }))).toEqual(['ConfigMap/monitoring/x namespace "monitoring" is not created by app or anything it depends on']);
    expect(messages(tree({ namespaces: [[], [ns('monitoring')]], app: [['namespaces'], [cm]] }))).toEqual([]);
  });

  it('finds valuesFrom references that do not resolve', () => {
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'r', namespace: 'kube-system' },
      spec: { valuesFrom: [{ kind: 'Secret', name: 'creds' }] },
    };
    expect(messages(tree({ app: [[], [hr]] }))).toEqual([
      'HelmRelease/kube-system/r spec.valuesFrom refers to Secret "creds", which is not rendered in app or its dependencies ' +
        '(missing secret file under environments/<env>/secrets/?)',
    ]);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'kube-system' }, sops: {} };
    expect(messages(tree({ app: [[], [hr, secret]] }))).toEqual([]);
  });

  it('counts the Git credentials the bootstrap GitRepository names as created by the bootstrap, whatever their name', () => {
    const git = (name: string, secret: string) => ({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name, namespace: 'flux-system' },
      spec: { url: 'ssh://git@example.com/x.git', secretRef: { name: secret } },
    });
    const t = tree({});
    t.set(`${ROOT}/kustomization.yaml`, toYaml({ ...K, resources: ['flux-system', 'flux'] }));
    t.set(`${ROOT}/flux-system/kustomization.yaml`, toYaml({ ...K, resources: ['gotk-sync.yaml'] }));
    t.set(`${ROOT}/flux-system/gotk-sync.yaml`, toYamlDocuments([git('flux-system', 'git-creds'), git('other', 'other-creds')]));
    expect(messages(t)).toEqual([
      'GitRepository/flux-system/other spec.secretRef refers to Secret "other-creds", which is not rendered ' +
        '(add environments/<env>/secrets/other-creds.sops.yaml with namespace flux-system)',
    ]);
  });

  it('needs the ConstraintTemplate of a Gatekeeper constraint in a dependency', () => {
    const template = {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 'k8sdenylatest' },
      spec: { crd: { spec: { names: { kind: 'K8sDenyLatest' } } } },
    };
    const constraint = { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sDenyLatest', metadata: { name: 'no-latest' }, spec: {} };
    expect(messages(tree({ gk: [[], [], 'templates.gatekeeper.sh'], templates: [['gk'], [template]], constraints: [['gk'], [constraint]] }))).toEqual([
      "K8sDenyLatest/no-latest no ConstraintTemplate for kind K8sDenyLatest in this Kustomization's dependencies " +
        '(constraints must depend on the one applying the template)',
    ]);
    expect(messages(tree({ gk: [[], [], 'templates.gatekeeper.sh'], templates: [['gk'], [template]], constraints: [['templates'], [constraint]] }))).toEqual(
      [],
    );
  });
});
