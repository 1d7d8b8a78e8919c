import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import { BootstrapError, FLUX_NAMESPACE, gitTransport, readGotkSync, type SyncObject } from './gotk-sync';

/** The fluxcd-community chart that installs the Flux controllers and CRDs. */
export const FLUX2_CHART = { repository: 'https://fluxcd-community.github.io/helm-charts', chart: 'flux2' } as const;
/** Pinned chart version; 2.19.0 ships Flux v2.9.1 (source- and kustomize-controller v1.9.2). */
export const DEFAULT_CHART_VERSION = '2.19.0';
export const DEFAULT_FLUX_VERSION = 'v2.9.1';
/** `flux install`'s default component set: the image automation controllers stay off. */
export const DEFAULT_CHART_VALUES: Record<string, unknown> = {
  imageAutomationController: { create: false },
  imageReflectionController: { create: false },
};
/** CRDs the sync objects need; a manifests file without them cannot bootstrap. */
const REQUIRED_CRDS = ['gitrepositories.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io'];

export type FluxInstall =
  /** The fluxcd-community `flux2` chart at an exact version. */
  | { mode: 'helm'; chartVersion: string; values?: Record<string, unknown> }
  /** Output of `flux install --export` (path absolute or relative to the workspace root). */
  | { mode: 'manifests'; file: string };

export interface SshGitCredentials {
  /** Must equal the GitRepository's spec.secretRef.name when set; defaults to it. */
  secretName?: string;
  /** Private deploy key (PEM or OpenSSH). */
  identity: pulumi.Input<string>;
  /** known_hosts line(s) for the Git host. */
  knownHosts: pulumi.Input<string>;
}
export interface HttpsGitCredentials {
  secretName?: string;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}
export type GitCredentials = SshGitCredentials | HttpsGitCredentials;

export interface BootstrapClusterArgs {
  environment: string;
  cluster: string;
  /** Repository root holding clusters/<env>/<cluster>/ (the committed render). */
  workspaceRoot: string;
  /** Flux version, e.g. v2.9.1. Checked against the `# Flux Version:` header in manifests mode. */
  fluxVersion: string;
  /** Defaults to the `flux2` chart at DEFAULT_CHART_VERSION. */
  install?: FluxInstall;
  gitCredentials: GitCredentials;
  /** age identity (the key file text) Flux decrypts SOPS secrets with. */
  ageKey: pulumi.Input<string>;
  provider?: k8s.Provider;
  /** Keep everything in the cluster on `pulumi destroy` (default true): deleting the root Kustomization would prune the cluster. */
  retainOnDelete?: boolean;
}

export interface BootstrapOutputs {
  namespace: pulumi.Output<string>;
  /** spec.path of the root Kustomization, e.g. ./clusters/example-prod/management. */
  syncPath: string;
  gitUrl: string;
  gitBranch: string;
  fluxVersion: string;
  /** How the controllers were installed, e.g. `helm flux2@2.19.0`. */
  install: string;
  /** The committed file the sync objects come from. */
  gotkSync: string;
  gitSecret: string;
  sopsSecret: string;
}

export interface BootstrapResources {
  namespace: k8s.core.v1.Namespace;
  controllers: k8s.helm.v3.Release | k8s.yaml.ConfigFile;
  gitSecret: k8s.core.v1.Secret;
  sopsSecret: k8s.core.v1.Secret;
  gitRepository: k8s.apiextensions.CustomResource;
  kustomization: k8s.apiextensions.CustomResource;
}

export interface BootstrapResult {
  outputs: BootstrapOutputs;
  resources: BootstrapResources;
}

/**
 * Creates, in order: the flux-system Namespace; the Flux controllers (Helm chart or `flux install` manifests);
 * the Git credentials and SOPS age Secrets; and the GitRepository + root Kustomization exactly as committed in
 * clusters/<env>/<cluster>/flux-system/gotk-sync.yaml. Everything is read and checked before any resource is
 * declared, so a bad input fails without touching the cluster.
 */
export function bootstrapCluster(args: BootstrapClusterArgs): BootstrapResult {
  const { environment, cluster, workspaceRoot, provider } = args;
  const fluxVersion = normalizeFluxVersion(args.fluxVersion);
  const install: FluxInstall = args.install ?? { mode: 'helm', chartVersion: DEFAULT_CHART_VERSION };
  const sync = readGotkSync(workspaceRoot, environment, cluster);
  const creds = checkGitCredentials(args.gitCredentials, sync.gitUrl, sync.gitSecretName, sync.relPath);
  const manifests = install.mode === 'manifests' ? readFluxManifests(workspaceRoot, install.file, fluxVersion) : undefined;
  if (install.mode === 'helm' && !/^\d+\.\d+\.\d+$/.test(install.chartVersion ?? '')) {
    throw new BootstrapError(
      `install.chartVersion must be an exact chart version such as ${DEFAULT_CHART_VERSION}, got ${JSON.stringify(install.chartVersion)}.`,
    );
  }

  const retainOnDelete = args.retainOnDelete ?? true;
  const common: pulumi.CustomResourceOptions = { provider, retainOnDelete };

  const namespace = new k8s.core.v1.Namespace(
    FLUX_NAMESPACE,
    {
      metadata: {
        name: FLUX_NAMESPACE,
        labels: {
          ...manifests?.namespaceLabels,
          'app.kubernetes.io/instance': FLUX_NAMESPACE,
          'app.kubernetes.io/part-of': 'flux',
          'app.kubernetes.io/version': fluxVersion,
          'app.kubernetes.io/managed-by': 'pulumi',
        },
      },
    },
    common,
  );

  let controllers: k8s.helm.v3.Release | k8s.yaml.ConfigFile;
  let controllersReady: pulumi.Input<pulumi.Resource[]>;
  let installed: string;
  if (install.mode === 'helm') {
    const release = new k8s.helm.v3.Release(
      FLUX2_CHART.chart,
      {
        name: FLUX2_CHART.chart,
        chart: FLUX2_CHART.chart,
        version: install.chartVersion,
        repositoryOpts: { repo: FLUX2_CHART.repository },
        namespace: namespace.metadata.name,
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        values: deepMerge(DEFAULT_CHART_VALUES, install.values ?? {}),
      },
      { ...common, dependsOn: [namespace] },
    );
    controllers = release;
    controllersReady = [release];
    installed = `helm ${FLUX2_CHART.chart}@${install.chartVersion}`;
  } else {
    const file = manifests!.path;
    const configFile = new k8s.yaml.ConfigFile(
      'flux-install',
      {
        file,
        transformations: [
          (obj: { kind?: string; metadata?: { name?: string }; [k: string]: unknown }, opts: pulumi.CustomResourceOptions) => {
            // The namespace is the Namespace resource above; an empty List makes ConfigFile skip the file's copy.
            if (obj.kind === 'Namespace' && obj.metadata?.name === FLUX_NAMESPACE) {
              for (const k of Object.keys(obj)) delete obj[k];
              Object.assign(obj, { apiVersion: 'v1', kind: 'List', items: [] });
              return;
            }
            opts.dependsOn = [namespace];
            opts.retainOnDelete = retainOnDelete;
          },
        ],
      },
      { provider },
    );
    controllers = configFile;
    // ConfigFile declares its children asynchronously; depend on the resolved list, not on the component.
    controllersReady = configFile.resources.apply((r) => Object.values(r));
    const rel = relative(workspaceRoot, file);
    installed = `manifests ${rel.startsWith('..') || isAbsolute(rel) ? file : rel}`;
  }

  const secretOpts = { ...common, dependsOn: [namespace] };
  const gitSecret = new k8s.core.v1.Secret(
    `${FLUX_NAMESPACE}/${sync.gitSecretName}`,
    {
      metadata: { name: sync.gitSecretName, namespace: namespace.metadata.name },
      type: 'Opaque',
      stringData:
        'identity' in creds
          ? { identity: secretText(creds.identity, checkSshIdentity), known_hosts: secretText(creds.knownHosts) }
          : { username: pulumi.secret(creds.username), password: pulumi.secret(creds.password) },
    },
    secretOpts,
  );
  const sopsSecret = new k8s.core.v1.Secret(
    `${FLUX_NAMESPACE}/${sync.sopsSecretName}`,
    {
      metadata: { name: sync.sopsSecretName, namespace: namespace.metadata.name },
      type: 'Opaque',
      stringData: { 'age.agekey': secretText(args.ageKey, checkAgeIdentity) },
    },
    secretOpts,
  );

  const ready = pulumi.output(controllersReady).apply((c) => [...c, gitSecret, sopsSecret]);
  const gitRepository = syncResource(sync.gitRepository, namespace, { ...common, dependsOn: ready });
  const kustomization = syncResource(sync.kustomization, namespace, {
    ...common,
    dependsOn: ready.apply((r) => [...r, gitRepository]),
  });

  return {
    outputs: {
      namespace: namespace.metadata.name,
      syncPath: sync.syncPath,
      gitUrl: sync.gitUrl,
      gitBranch: sync.gitBranch,
      fluxVersion,
      install: installed,
      gotkSync: sync.relPath,
      gitSecret: sync.gitSecretName,
      sopsSecret: sync.sopsSecretName,
    },
    resources: { namespace, controllers, gitSecret, sopsSecret, gitRepository, kustomization },
  };
}

function syncResource(obj: SyncObject, namespace: k8s.core.v1.Namespace, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  const { apiVersion, kind, metadata, ...rest } = structuredClone(obj);
  return new k8s.apiextensions.CustomResource(
    `${metadata.namespace}/${metadata.name}`,
    { apiVersion, kind, metadata: { ...metadata, namespace: namespace.metadata.name }, ...rest },
    opts,
  );
}

function checkGitCredentials(creds: GitCredentials, url: string, secretName: string, relPath: string): GitCredentials {
  if (!creds || typeof creds !== 'object') throw new BootstrapError('gitCredentials are required.');
  const transport = gitTransport(url);
  const ssh = 'identity' in creds;
  if (transport === 'ssh' && !ssh) {
    throw new BootstrapError(`${relPath} syncs ${url} over SSH: gitCredentials need identity and knownHosts (not username/password).`);
  }
  if (transport === 'https' && (ssh || !('username' in creds) || !('password' in creds))) {
    throw new BootstrapError(`${relPath} syncs ${url} over HTTPS: gitCredentials need username and password (not an SSH identity).`);
  }
  if (ssh && (creds.identity == null || creds.knownHosts == null)) throw new BootstrapError('SSH gitCredentials need both identity and knownHosts.');
  if (creds.secretName !== undefined && creds.secretName !== secretName) {
    throw new BootstrapError(
      `gitCredentials.secretName "${creds.secretName}" differs from the Secret the GitRepository in ${relPath} uses ("${secretName}"); leave it unset.`,
    );
  }
  return creds;
}

/** Marks a value secret, checks it without ever echoing it, and ends it with a newline (ssh and age expect key files). */
function secretText(value: pulumi.Input<string>, check?: (text: string) => void): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.output(value).apply((text) => {
      check?.(text);
      return text.endsWith('\n') ? text : `${text}\n`;
    }),
  );
}

export function checkAgeIdentity(text: string): void {
  if (!/^AGE-SECRET-KEY-[0-9A-Z-]+\s*$/m.test(text ?? '')) {
    throw new BootstrapError('ageKey is not an age identity: expected a line starting with AGE-SECRET-KEY- (the age.agekey file from age-keygen).');
  }
}

export function checkSshIdentity(text: string): void {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text ?? '')) {
    throw new BootstrapError('gitCredentials.identity is not a private key: expected a "-----BEGIN ... PRIVATE KEY-----" block (the deploy key file).');
  }
}

export function normalizeFluxVersion(version: string): string {
  const v = /^v?(\d+\.\d+\.\d+)$/.exec(version ?? '');
  if (!v) throw new BootstrapError(`fluxVersion must look like ${DEFAULT_FLUX_VERSION}, got ${JSON.stringify(version)}.`);
  return `v${v[1]}`;
}

interface FluxManifests {
  path: string;
  namespaceLabels: Record<string, string>;
}

/** Reads a `flux install --export` file: its Flux version header must match, and it must carry the sync CRDs. */
export function readFluxManifests(workspaceRoot: string, file: string, fluxVersion: string): FluxManifests {
  const path = isAbsolute(file) ? file : join(workspaceRoot, file);
  const hint = `generate it with \`flux install --export > ${file}\` using the Flux ${fluxVersion} CLI`;
  if (!existsSync(path)) throw new BootstrapError(`Flux install manifests ${file} not found: ${hint}.`);
  const text = readFileSync(path, 'utf8');
  const header = /^#\s*Flux Version:\s*(\S+)\s*$/im.exec(text)?.[1];
  if (!header) throw new BootstrapError(`${file} has no "# Flux Version:" header; ${hint}.`);
  if (normalizeFluxVersion(header) !== fluxVersion) {
    throw new BootstrapError(`${file} was exported by Flux ${header}, but fluxVersion is ${fluxVersion}; ${hint}, or set fluxVersion to ${header}.`);
  }
  const objects = parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new BootstrapError(`${file}: invalid YAML (${d.errors[0]!.message}).`);
    return d.toJS() as { kind?: string; metadata?: { name?: string; labels?: Record<string, string> } } | null;
  });
  const crds = new Set(objects.filter((o) => o?.kind === 'CustomResourceDefinition').map((o) => o!.metadata?.name));
  const missing = REQUIRED_CRDS.filter((c) => !crds.has(c));
  if (missing.length) throw new BootstrapError(`${file} lacks the CRDs ${missing.join(', ')} the sync objects need; ${hint}.`);
  const ns = objects.find((o) => o?.kind === 'Namespace' && o.metadata?.name === FLUX_NAMESPACE);
  return { path, namespaceLabels: { ...ns?.metadata?.labels } };
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
