import type { ClusterConfig, EnvironmentConfig } from '@ck8s/config';
import { alertsTarget, CATALOG, IN_CLUSTER_ALERTMANAGER_URL, type ChartPin, type Component } from '@ck8s/components';
import { managementOffers } from './plan';
import type { K8sObject } from '@ck8s/manifest';

/** Flux 2.9 API versions; removed versions (v1beta2, v2beta1, v2beta2) are never emitted. */
export const FLUX_API = {
  source: 'source.toolkit.fluxcd.io/v1',
  kustomize: 'kustomize.toolkit.fluxcd.io/v1',
  helm: 'helm.toolkit.fluxcd.io/v2',
  notification: 'notification.toolkit.fluxcd.io/v1beta3',
} as const;

const LABELS = { 'app.kubernetes.io/managed-by': 'ck8s-gitops', 'app.kubernetes.io/part-of': 'compliant-kubernetes' };
export const SOPS_KEY_SECRET = 'sops-age';

export function clusterPath(env: EnvironmentConfig, cluster: ClusterConfig): string {
  return `clusters/${env.name}/${cluster.name}`;
}

/** The bootstrap sync pair, as `flux bootstrap` would write it for this path. */
export function gotkSync(env: EnvironmentConfig, cluster: ClusterConfig): K8sObject[] {
  const flux = cluster.settings.flux;
  return [
    {
      apiVersion: FLUX_API.source,
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system', labels: LABELS },
      spec: {
        interval: '1m',
        url: env.git.url,
        ref: { branch: env.git.branch },
        secretRef: { name: env.git.secretName },
        // Only this environment's rendered output: smaller artifacts, and other environments' changes never reach this cluster.
        ignore: `/*\n!/clusters/${env.name}/\n`,
      },
    },
    {
      apiVersion: FLUX_API.kustomize,
      kind: 'Kustomization',
      metadata: { name: 'flux-system', namespace: 'flux-system', labels: LABELS },
      spec: {
        interval: flux.interval,
        retryInterval: flux.retryInterval,
        timeout: flux.timeout,
        path: `./${clusterPath(env, cluster)}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        // Notification webhook secrets are SOPS files applied by this Kustomization.
        decryption: { provider: 'sops', secretRef: { name: SOPS_KEY_SECRET } },
      },
    },
  ];
}

export interface KustomizationSpec {
  name: string;
  path: string;
  dependsOn: string[];
  decrypt: boolean;
  /** `wait: true` checks every applied object; releases and configs both need it. */
  wait: boolean;
  /** API groups whose CRDs this Kustomization installs; recorded so checks can read it from the output. */
  providesApiGroups?: readonly string[];
}

/** Annotation through which the rendered output says which CRD groups a Kustomization installs. */
export const PROVIDES_API_GROUPS = 'ck8s.io/provides-api-groups';

export function fluxKustomization(cluster: ClusterConfig, k: KustomizationSpec): K8sObject {
  const flux = cluster.settings.flux;
  return {
    apiVersion: FLUX_API.kustomize,
    kind: 'Kustomization',
    metadata: {
      name: k.name,
      namespace: 'flux-system',
      labels: LABELS,
      ...(k.providesApiGroups?.length ? { annotations: { [PROVIDES_API_GROUPS]: [...k.providesApiGroups].sort().join(',') } } : {}),
    },
    spec: {
      interval: flux.interval,
      retryInterval: flux.retryInterval,
      timeout: flux.timeout,
      path: k.path,
      prune: true,
      wait: k.wait,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...(k.dependsOn.length ? { dependsOn: [...k.dependsOn].sort().map((name) => ({ name })) } : {}),
      ...(k.decrypt ? { decryption: { provider: 'sops', secretRef: { name: SOPS_KEY_SECRET } } } : {}),
    },
  };
}

/** Chart source of a base; namespace comes from the overlay so the base is shared by every cluster. */
export function chartSource(key: string, pin: ChartPin, mirror = ''): K8sObject {
  // A mirror (mirrors.charts) holds every chart: it replaces each chart's own repository.
  const url = mirror || pin.repository;
  const oci = url.startsWith('oci://');
  return {
    apiVersion: FLUX_API.source,
    kind: 'HelmRepository',
    metadata: { name: key, labels: LABELS },
    spec: { interval: '24h', url, ...(oci ? { type: 'oci' } : {}) },
  };
}

/** The flavor-neutral release of a base: pinned chart, remediation, values from the overlay's ConfigMap. */
export function baseHelmRelease(key: string, pin: ChartPin): K8sObject {
  const crds = pin.crds ? { crds: 'CreateReplace' } : {};
  return {
    apiVersion: FLUX_API.helm,
    kind: 'HelmRelease',
    metadata: { name: key, labels: LABELS },
    spec: {
      interval: '10m',
      releaseName: key,
      chart: { spec: { chart: pin.chart, version: pin.version, sourceRef: { kind: 'HelmRepository', name: key }, interval: '24h' } },
      install: { ...crds, remediation: { retries: 3 } },
      upgrade: { ...crds, cleanupOnFail: true, remediation: { retries: 3, remediateLastFailure: true } },
      driftDetection: { mode: 'enabled' },
      valuesFrom: [{ kind: 'ConfigMap', name: `${key}-values` }],
    },
  };
}

/** Per-cluster settings patched onto the base release. */
export function releasePatch(key: string, cluster: ClusterConfig, secretValues: { secret: string; key: string; targetPath?: string }[]): K8sObject {
  const flux = cluster.settings.flux;
  return {
    apiVersion: FLUX_API.helm,
    kind: 'HelmRelease',
    metadata: { name: key },
    spec: {
      interval: flux.interval,
      timeout: flux.timeout,
      install: { remediation: { retries: flux.remediationRetries } },
      upgrade: { remediation: { retries: flux.remediationRetries } },
      driftDetection: { mode: flux.driftDetection },
      valuesFrom: [
        { kind: 'ConfigMap', name: `${key}-values` },
        ...secretValues.map((s) => ({ kind: 'Secret', name: s.secret, valuesKey: s.key, ...(s.targetPath ? { targetPath: s.targetPath } : {}) })),
      ],
    },
  };
}

/** Flux events (drift, failed reconciliations) to the management cluster's Alertmanager and webhooks. */
export function notifications(
  env: EnvironmentConfig,
  cluster: ClusterConfig,
  releaseNamespaces: string[],
  catalog: readonly Component[] = CATALOG,
): K8sObject[] {
  const n = cluster.settings.notifications;
  const out: K8sObject[] = [];
  const providers: string[] = [];
  // Only when the management cluster runs an Alertmanager: a disabled one leaves no address behind.
  if (n.alertmanager && managementOffers(env, 'alertmanager', catalog)) {
    providers.push('alertmanager');
    out.push({
      apiVersion: FLUX_API.notification,
      kind: 'Provider',
      metadata: { name: 'alertmanager', namespace: 'flux-system', labels: LABELS },
      // The management cluster's Alertmanager: in-cluster there, through its ops endpoint from workload clusters.
      spec: {
        type: 'alertmanager',
        address: `${cluster.role === 'management' ? IN_CLUSTER_ALERTMANAGER_URL : alertsTarget(env, cluster.name).url}/api/v2/alerts/`,
        ...(cluster.role === 'workload' ? { secretRef: { name: alertsTarget(env, cluster.name).senderSecret } } : {}),
      },
    });
  }
  for (const w of n.webhooks) {
    providers.push(w.name);
    out.push({
      apiVersion: FLUX_API.notification,
      kind: 'Provider',
      metadata: { name: w.name, namespace: 'flux-system', labels: LABELS },
      spec: { type: w.type, ...(w.channel ? { channel: w.channel } : {}), secretRef: { name: w.secretName } },
    });
  }
  for (const p of providers) {
    out.push({
      apiVersion: FLUX_API.notification,
      kind: 'Alert',
      metadata: { name: `platform-${p}`, namespace: 'flux-system', labels: LABELS },
      spec: {
        providerRef: { name: p },
        eventSeverity: 'info',
        eventSources: [
          { kind: 'Kustomization', name: '*' },
          { kind: 'GitRepository', name: '*' },
          ...[...new Set(releaseNamespaces)].sort().map((namespace) => ({ kind: 'HelmRelease', name: '*', namespace })),
        ],
        // Drift corrections and failures reach people; routine "reconciliation finished" info does not.
        inclusionList: ['.*drift.*', '.*failed.*', '.*error.*', '.*timeout.*', '.*Health check.*'],
        eventMetadata: { environment: env.name, cluster: cluster.name },
      },
    });
  }
  return out;
}
