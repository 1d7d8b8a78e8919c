import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Namespace Flux runs in; the rendered gotk-sync.yaml must use it. */
export const FLUX_NAMESPACE = 'flux-system';
/** Secret name the rendered root Kustomization decrypts with when it names none (see packages/render/src/flux.ts). */
export const DEFAULT_SOPS_SECRET = 'sops-age';

export class BootstrapError extends Error {
  override name = 'BootstrapError';
}

/** A Flux object exactly as committed: applied unchanged, so bootstrap and GitOps agree. */
export interface SyncObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

export interface GotkSync {
  /** Repository-relative path, e.g. clusters/example-prod/management/flux-system/gotk-sync.yaml. */
  relPath: string;
  gitRepository: SyncObject;
  kustomization: SyncObject;
  namespace: string;
  gitUrl: string;
  gitBranch: string;
  /** spec.path of the root Kustomization, e.g. ./clusters/example-prod/management. */
  syncPath: string;
  /** Secret the GitRepository authenticates with (spec.secretRef.name). */
  gitSecretName: string;
  /** Secret the root Kustomization decrypts with (spec.decryption.secretRef.name). */
  sopsSecretName: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function gotkSyncPath(environment: string, cluster: string): string {
  return `clusters/${environment}/${cluster}/flux-system/gotk-sync.yaml`;
}

/** Reads and checks the committed sync pair of one cluster. Throws BootstrapError with the path and the fix. */
export function readGotkSync(workspaceRoot: string, environment: string, cluster: string): GotkSync {
  for (const [what, value] of [
    ['environment', environment],
    ['cluster', cluster],
  ] as const) {
    if (!NAME.test(value ?? '')) throw new BootstrapError(`Invalid ${what} name ${JSON.stringify(value)}: expected a DNS label such as "example-prod".`);
  }
  const relPath = gotkSyncPath(environment, cluster);
  const file = join(workspaceRoot, relPath);
  if (!existsSync(file)) {
    const envDir = join(workspaceRoot, 'clusters', environment);
    const rendered = existsSync(envDir)
      ? readdirSync(envDir)
          .filter((c) => existsSync(join(envDir, c, 'flux-system', 'gotk-sync.yaml')))
          .sort()
      : [];
    const hint = rendered.length ? ` Rendered clusters of ${environment}: ${rendered.join(', ')}.` : '';
    throw new BootstrapError(
      `${relPath} not found (workspace root ${workspaceRoot}). Render the environment with \`nx run ${environment}:render\` ` +
        `and commit the output before bootstrapping, or check the environment/cluster names.${hint}`,
    );
  }
  return parseGotkSync(readFileSync(file, 'utf8'), { environment, cluster, relPath });
}

/** Validates a gotk-sync.yaml text: one GitRepository and one root Kustomization syncing clusters/<env>/<cluster>. */
export function parseGotkSync(text: string, where: { environment: string; cluster: string; relPath: string }): GotkSync {
  const { environment, cluster, relPath } = where;
  const fail = (msg: string): never => {
    throw new BootstrapError(`${relPath}: ${msg} Re-render it with \`nx run ${environment}:render\`.`);
  };
  const docs = parseAllDocuments(text);
  const objects: SyncObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length) fail(`invalid YAML (${doc.errors[0]!.message}).`);
    const obj = doc.toJS() as unknown;
    if (obj == null) continue;
    if (typeof obj !== 'object' || Array.isArray(obj)) fail('every document must be a Kubernetes object.');
    const o = obj as Partial<SyncObject>;
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      fail('every object needs apiVersion, kind and metadata.name.');
    }
    if (typeof o.spec !== 'object' || o.spec === null) fail(`${o.kind} ${o.metadata!.name} has no spec.`);
    objects.push(o as SyncObject);
  }
  const of = (group: string, kind: string): SyncObject => {
    const found = objects.filter((o) => o.kind === kind && o.apiVersion.startsWith(`${group}/`));
    if (found.length !== 1) fail(`expected exactly one ${kind} (${group}), found ${found.length}.`);
    return found[0]!;
  };
  const gitRepository = of('source.toolkit.fluxcd.io', 'GitRepository');
  const kustomization = of('kustomize.toolkit.fluxcd.io', 'Kustomization');
  const extra = objects.filter((o) => o !== gitRepository && o !== kustomization);
  if (extra.length) fail(`unexpected objects ${extra.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}; bootstrap applies only the sync pair.`);

  for (const o of objects) {
    if (o.metadata.namespace !== FLUX_NAMESPACE)
      fail(`${o.kind} ${o.metadata.name} must be in namespace ${FLUX_NAMESPACE}, not ${o.metadata.namespace ?? '(none)'}.`);
  }
  const git = gitRepository.spec as { url?: unknown; ref?: { branch?: unknown }; secretRef?: { name?: unknown } };
  if (typeof git.url !== 'string' || !git.url) fail('GitRepository has no spec.url.');
  if (typeof git.ref?.branch !== 'string' || !git.ref.branch) fail('GitRepository has no spec.ref.branch.');
  if (typeof git.secretRef?.name !== 'string' || !git.secretRef.name) fail('GitRepository has no spec.secretRef.name; bootstrap creates that Secret.');

  const ks = kustomization.spec as {
    path?: unknown;
    sourceRef?: { kind?: unknown; name?: unknown; namespace?: unknown };
    decryption?: { provider?: unknown; secretRef?: { name?: unknown } };
  };
  if (
    ks.sourceRef?.kind !== 'GitRepository' ||
    ks.sourceRef.name !== gitRepository.metadata.name ||
    (ks.sourceRef.namespace ?? FLUX_NAMESPACE) !== FLUX_NAMESPACE
  ) {
    fail(`Kustomization ${kustomization.metadata.name} must source GitRepository ${gitRepository.metadata.name}.`);
  }
  const expected = `./clusters/${environment}/${cluster}`;
  const normalize = (p: string) => `./${p.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;
  if (typeof ks.path !== 'string' || normalize(ks.path) !== expected) {
    fail(`Kustomization ${kustomization.metadata.name} syncs ${JSON.stringify(ks.path)}, expected ${expected}.`);
  }
  if (ks.decryption && ks.decryption.provider !== 'sops') fail('Kustomization decryption provider must be sops.');
  const sopsSecretName = ks.decryption?.secretRef?.name;
  if (sopsSecretName !== undefined && typeof sopsSecretName !== 'string') fail('Kustomization spec.decryption.secretRef.name must be a string.');

  return {
    relPath,
    gitRepository,
    kustomization,
    namespace: FLUX_NAMESPACE,
    gitUrl: git.url as string,
    gitBranch: git.ref!.branch as string,
    syncPath: ks.path as string,
    gitSecretName: git.secretRef!.name as string,
    sopsSecretName: (sopsSecretName as string | undefined) ?? DEFAULT_SOPS_SECRET,
  };
}

/** `ssh` for ssh:// (and scp-like user@host:path) URLs, `https` for http(s)://. */
export function gitTransport(url: string): 'ssh' | 'https' {
  if (/^ssh:\/\//.test(url) || /^[\w.-]+@[\w.-]+:/.test(url)) return 'ssh';
  if (/^https?:\/\//.test(url)) return 'https';
  throw new BootstrapError(`Unsupported Git URL ${url}: expected ssh:// or https://.`);
}
