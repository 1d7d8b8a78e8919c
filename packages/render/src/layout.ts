import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import type { Component } from '@ck8s/components';
import { toYaml, toYamlDocuments, type K8sObject } from '@ck8s/manifest';
import { baseHelmRelease, chartSource, clusterPath, fluxKustomization, gotkSync, notifications, releasePatch } from './flux';
import { complianceFiles } from '@ck8s/compliance';
import { environmentReadme } from '@ck8s/docs';
import { docsModel } from './docs-model';
import { hardeningSection } from './hardening-readme';
import { planCluster, type ClusterPlan, type PlannedComponent } from './plan';
import { clusterSecrets, readsSecret, secretFileFor, type RequiredSecret } from './required-secrets';

/** A SOPS-encrypted Secret authored under environments/<env>/secrets/, passed through byte for byte. */
export interface SecretFile {
  /** Path relative to environments/<env>/secrets/ (a `<cluster>/` prefix scopes it to one cluster). */
  relPath: string;
  text: string;
  name?: string;
  namespace?: string;
}

export interface RenderInput {
  env: EnvironmentConfig;
  secrets: SecretFile[];
}

/** Rendered files, keyed by repository-relative path. */
export type FileMap = Map<string, string>;

const KUSTOMIZE_API = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };

/** Lets kustomize rewrite `valuesFrom` names when the values ConfigMap's content hash changes. */
const KUSTOMIZE_CONFIG = {
  nameReference: [{ kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ path: 'spec/valuesFrom/name', kind: 'HelmRelease' }] }],
};

function fileName(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/** The authored files of the Secrets a reader needs on a cluster (a missing file is validate's to report). */
function secretFilesOf(input: RenderInput, cluster: ClusterConfig, secrets: RequiredSecret[], reader: Parameters<typeof readsSecret>[1]): SecretFile[] {
  return secrets
    .filter((req) => readsSecret(req, reader))
    .map((req) => secretFileFor(input.secrets, cluster.name, req.name, req.namespace, !!req.clusterScoped))
    .filter((s): s is SecretFile => !!s);
}

function renderComponent(files: FileMap, input: RenderInput, cluster: ClusterConfig, p: PlannedComponent, secrets: RequiredSecret[]): K8sObject[] {
  const { env } = input;
  const c: Component = p.component;
  const root = clusterPath(env, cluster);
  const dir = `${root}/components/${c.name}`;
  const resources: string[] = [];
  const kustomization: Record<string, unknown> = { ...KUSTOMIZE_API };

  const secretFiles = secretFilesOf(input, cluster, secrets, { kind: 'component', name: c.name });
  for (const s of secretFiles) {
    files.set(`${dir}/secrets/${fileName(s.relPath)}`, s.text);
    resources.push(`secrets/${fileName(s.relPath)}`);
  }
  if (p.output.objects?.length) {
    files.set(`${dir}/objects.yaml`, toYamlDocuments(p.output.objects));
    resources.push('objects.yaml');
  }
  if (p.chartKey && p.chart) {
    const base = `clusters/${env.name}/bases/${p.chartKey}`;
    files.set(`${base}/kustomization.yaml`, toYaml({ ...KUSTOMIZE_API, resources: ['source.yaml', 'release.yaml'] }));
    files.set(`${base}/source.yaml`, toYaml(chartSource(p.chartKey, p.chart, env.mirrors?.charts)));
    files.set(`${base}/release.yaml`, toYaml(baseHelmRelease(p.chartKey, p.chart)));
    files.set(`${dir}/values.yaml`, toYaml(p.output.values ?? {}));
    files.set(`${dir}/release-patch.yaml`, toYaml(releasePatch(p.chartKey, cluster, p.output.secretValues ?? [])));
    files.set(`${dir}/kustomizeconfig.yaml`, toYaml(KUSTOMIZE_CONFIG));
    Object.assign(kustomization, {
      namespace: c.namespace,
      resources: [`../../../bases/${p.chartKey}`, ...resources],
      configMapGenerator: [{ name: `${p.chartKey}-values`, files: ['values.yaml=values.yaml'] }],
      patches: [{ path: 'release-patch.yaml' }],
      configurations: ['kustomizeconfig.yaml'],
    });
  } else {
    kustomization.resources = resources;
  }
  files.set(`${dir}/kustomization.yaml`, toYaml(kustomization));

  const decrypt = secretFiles.length > 0;
  const kustomizations = [
    fluxKustomization(cluster, { name: c.name, path: `./${dir}`, dependsOn: p.dependsOn, decrypt, wait: true, providesApiGroups: c.providesApiGroups }),
  ];
  if (p.output.config?.length) {
    files.set(`${dir}/config/kustomization.yaml`, toYaml({ ...KUSTOMIZE_API, resources: ['objects.yaml'] }));
    files.set(`${dir}/config/objects.yaml`, toYamlDocuments(p.output.config));
    kustomizations.push(fluxKustomization(cluster, { name: `${c.name}-config`, path: `./${dir}/config`, dependsOn: [c.name], decrypt: false, wait: true }));
  }
  return kustomizations;
}

/** Every file of one environment's rendered output. Pure: same input, same bytes. */
export function renderEnvironment(input: RenderInput, catalog: readonly Component[]): FileMap {
  const files: FileMap = new Map();
  const { env } = input;
  const plans: ClusterPlan[] = [];
  for (const cluster of env.clusters) {
    const root = clusterPath(env, cluster);
    const plan = planCluster(env, cluster, catalog);
    plans.push(plan);
    const secrets = clusterSecrets(env, plan, catalog);
    const fluxFiles: string[] = [];
    for (const p of plan.components) {
      const ks = renderComponent(files, input, cluster, p, secrets);
      files.set(`${root}/flux/${p.component.name}.yaml`, toYamlDocuments(ks));
      fluxFiles.push(`${p.component.name}.yaml`);
    }
    const releaseNamespaces = plan.components.filter((p) => p.chart).map((p) => p.component.namespace);
    const notify = notifications(env, cluster, releaseNamespaces, catalog);
    if (notify.length) {
      files.set(`${root}/flux/notifications.yaml`, toYamlDocuments(notify));
      fluxFiles.push('notifications.yaml');
    }
    for (const secret of secretFilesOf(input, cluster, secrets, { kind: 'flux' })) {
      files.set(`${root}/flux/secrets/${fileName(secret.relPath)}`, secret.text);
      fluxFiles.push(`secrets/${fileName(secret.relPath)}`);
    }
    files.set(`${root}/flux/kustomization.yaml`, toYaml({ ...KUSTOMIZE_API, resources: fluxFiles.sort() }));
    files.set(`${root}/flux-system/gotk-sync.yaml`, toYamlDocuments(gotkSync(env, cluster)));
    files.set(`${root}/flux-system/kustomization.yaml`, toYaml({ ...KUSTOMIZE_API, resources: ['gotk-sync.yaml'] }));
    files.set(`${root}/kustomization.yaml`, toYaml({ ...KUSTOMIZE_API, resources: ['flux-system', 'flux'] }));
  }
  files.set(`clusters/${env.name}/README.md`, `${environmentReadme(docsModel(env, plans)).trimEnd()}\n${hardeningSection(env, plans)}`);
  // Evaluated on the manifests above (before any report file exists): COMPLIANCE.md and compliance.json.
  for (const [path, text] of complianceFiles({ env, clusters: plans, files })) files.set(path, text);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
