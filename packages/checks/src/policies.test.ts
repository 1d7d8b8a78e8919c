import { describe, expect, it } from 'vitest';
import { describeObject, exemptionFor, unusedExemptions, type PolicyViolation } from '@ck8s/components';
import type { K8sObject } from '@ck8s/manifest';
import { clusterPath, listEnvironments, loadEnvironment, renderFromWorkspace } from '@ck8s/render';
import { realTool, repoRoot, tempDir } from '@ck8s/testing';
import { clusterObjects, constraintsIn, gatorTest, withPlatformNamespacesIncluded, type GatorFinding } from './policies';

const gator = realTool('gator', "gator test of every rendered object against its cluster's Gatekeeper policies");

interface ClusterCase {
  name: string;
  objects: K8sObject[];
}

/** Every cluster of every environment, rendered in memory from environments/ (not read from clusters/). */
const clusters: ClusterCase[] = listEnvironments(repoRoot).flatMap((envName) => {
  const env = loadEnvironment(repoRoot, envName);
  const tree = renderFromWorkspace(repoRoot, envName);
  return env.clusters.map((c) => ({ name: `${envName}/${c.name}`, objects: clusterObjects(tree, clusterPath(env, c)) }));
});

const show = (f: PolicyViolation) => `${describeObject(f.object)}: [${f.constraint}] ${f.message}`;

/** Objects that break every rule, in a namespace that is neither the platform's nor has a NetworkPolicy. */
const PROBE_NS = 'policy-probe';
const probes: K8sObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe', namespace: PROBE_NS },
    spec: {
      selector: { matchLabels: { app: 'probe' } },
      template: {
        metadata: { labels: { app: 'probe' } },
        spec: {
          hostPID: true,
          containers: [{ name: 'probe', image: 'docker.io/library/busybox', securityContext: { privileged: true } }],
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
        },
      },
    },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'probe', namespace: PROBE_NS }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } },
];

const inKubeSystem = (objects: K8sObject[]) => objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'kube-system' } }));

function run(objects: K8sObject[]): GatorFinding[] {
  const { dir, cleanup } = tempDir('ck8s-gator-test-');
  try {
    return gatorTest(gator as string, objects, dir);
  } finally {
    cleanup();
  }
}

describe.skipIf(!gator)('the platform passes its own Gatekeeper policies', () => {
  const strict: GatorFinding[] = [];

  it('renders clusters to check', () => {
    expect(clusters.length).toBeGreaterThan(0);
  });

  describe.each(clusters.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const constraints = constraintsIn(c.objects).map((o) => o.metadata.name);

    it('Gatekeeper admits every object as rendered', () => {
      const findings = run(c.objects);
      // Nothing may be exempted here: a violation outside the excluded namespaces is refused at apply time.
      expect(findings.map(show)).toEqual([]);
      const workloads = c.objects.filter((o) => ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service'].includes(o.kind));
      console.log(`${name}: ${c.objects.length} objects (${workloads.length} workloads and Services), ${constraints.length} constraints, 0 violations`);
    });

    it('with the platform namespaces included, only declared exemptions are violated', () => {
      const findings = run(withPlatformNamespacesIncluded(c.objects));
      strict.push(...findings);
      expect(findings.filter((f) => !exemptionFor(f)).map(show)).toEqual([]);
    });

    it.skipIf(constraints.length === 0)('every constraint of the cluster is live in the run (objects breaking every rule are caught)', () => {
      const findings = run([...c.objects, ...probes, ...inKubeSystem(probes)]);
      // kube-system is excluded as rendered, so only the probes in the users' namespace are reported.
      expect(
        findings.every((f) => f.object.namespace === PROBE_NS),
        findings.map(show).join('\n'),
      ).toBe(true);
      expect([...new Set(findings.map((f) => f.constraint))].sort()).toEqual([...constraints].sort());
      const included = run(withPlatformNamespacesIncluded([...c.objects, ...inKubeSystem(probes)]));
      expect([...new Set(included.map((f) => f.constraint))].sort()).toEqual([...constraints].sort());
    });
  });

  it('every declared exemption is still needed somewhere', () => {
    expect(unusedExemptions(strict).map((e) => `${e.constraint} ${describeObject(e.object)}`)).toEqual([]);
  });
});

describe('policy inputs', () => {
  const tree = new Map<string, string>([
    ['c/kustomization.yaml', 'resources:\n  - flux.yaml\n'],
    [
      'c/flux.yaml',
      [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a, namespace: flux-system}\nspec: {path: ./c/a}',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: b, namespace: flux-system}\nspec: {path: ./c/b}',
      ].join('\n---\n'),
    ],
    ['c/a/kustomization.yaml', 'namespace: shop\nresources:\n  - objects.yaml\n'],
    ['c/a/objects.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n'],
    ['c/b/kustomization.yaml', 'resources:\n  - ../a/objects.yaml\n  - other.yaml\n'],
    ['c/b/other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n'],
    ['c/unused/kustomization.yaml', 'resources:\n  - objects.yaml\n'],
    ['c/unused/objects.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\n'],
  ]);

  it('collects what Flux applies on a cluster: its path and every Kustomization path, each object once', () => {
    const refs = clusterObjects(tree, 'c').map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(refs).toEqual(['Kustomization flux-system/a', 'Kustomization flux-system/b', 'Service shop/web', 'Service /web', 'ConfigMap shop/x']);
  });

  it('includes the platform namespaces by dropping excludedNamespaces from constraints only', () => {
    const constraint = {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'Ck8sX',
      metadata: { name: 'x' },
      spec: { enforcementAction: 'deny', match: { kinds: [], excludedNamespaces: ['kube-system'] } },
    };
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' }, data: { excludedNamespaces: 'kept' } };
    const [c, o] = withPlatformNamespacesIncluded([constraint, other]);
    expect(c.spec).toEqual({ enforcementAction: 'deny', match: { kinds: [] } });
    expect(o).toBe(other);
    expect(constraint.spec.match.excludedNamespaces).toEqual(['kube-system']);
    expect(constraintsIn([constraint, other])).toEqual([constraint]);
  });
});
