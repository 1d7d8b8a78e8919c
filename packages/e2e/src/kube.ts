import { request, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { apiGroup, type K8sObject } from '@ck8s/manifest';

/**
 * A small raw client for the API server. @kubernetes/client-node loads the kubeconfig (CA, token, client
 * certificates, exec plugins) and authenticates each request; the bodies are sent as they are. Its typed
 * object API is not used for writes on purpose: its serializer drops every field its models do not know,
 * so a misspelt field would never reach the server's strict field validation.
 */

export interface Ref {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** An object as the server returns it. */
export type Live = K8sObject & {
  metadata: K8sObject['metadata'] & {
    resourceVersion?: string;
    uid?: string;
    deletionTimestamp?: string;
    managedFields?: { manager?: string; operation?: string }[];
  };
};

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

export interface Status {
  status: number;
  reason: string;
  message: string;
}

/** An error the server returned (or a kind it does not serve), with its Status reason and message. */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function refOf(o: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): Ref {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

/** `Kind/namespace/name` or `Kind/name`, as messages name objects. */
export function describeRef(r: Ref): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

/** Identity of an object independent of its API version (one object may be served in several). */
export function refKey(r: Ref): string {
  return `${apiGroup(r.apiVersion)}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
}

export class Kube {
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  private constructor(
    private readonly config: KubeConfig,
    readonly server: string,
  ) {}

  static fromKubeconfigFile(file: string): Kube {
    const config = new KubeConfig();
    config.loadFromFile(file);
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error(`${file}: no current cluster`);
    return new Kube(config, cluster.server.replace(/\/$/, ''));
  }

  /** One request; resolves with the status and the parsed JSON body (or the raw text). */
  async request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    const opts: RequestOptions = { method, headers: { accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(opts);
    if (body !== undefined) opts.headers = { ...opts.headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
    return new Promise((resolve, reject) => {
      const req = request(`${this.server}${path}`, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (e.g. /readyz): keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: no answer after 120 s`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private async ok(method: string, path: string, body?: string, contentType?: string): Promise<unknown> {
    const res = await this.request(method, path, body, contentType);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw toKubeError(res.status, res.body);
  }

  /** The resource serving `kind` in `apiVersion`, from discovery; asked again when unknown (a CRD may be new). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const cached = this.discovery.get(apiVersion)?.get(kind);
    if (cached) return cached;
    const res = await this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw toKubeError(res.status, res.body);
    const kinds = new Map<string, ResourceInfo>();
    for (const r of (res.body as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources) {
      if (!r.name.includes('/')) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    this.discovery.set(apiVersion, kinds);
    return kinds.get(kind);
  }

  /** Forgets discovery, e.g. after CRDs were deleted. */
  forgetDiscovery(): void {
    this.discovery.clear();
  }

  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<{ path: string; info: ResourceInfo }> {
    const info = await this.resource(apiVersion, kind);
    if (!info) {
      throw new KubeError(
        404,
        'NoKindMatch',
        `no matches for kind "${kind}" in version "${apiVersion}": the server does not serve it (its CRD is not installed yet)`,
      );
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (info.namespaced && !namespace) throw new KubeError(400, 'Invalid', `${kind} is namespaced but has no metadata.namespace`);
    return { path: info.namespaced ? `${base}/namespaces/${namespace}/${info.plural}` : `${base}/${info.plural}`, info };
  }

  async objectPath(r: Ref): Promise<string> {
    return `${(await this.collectionPath(r.apiVersion, r.kind, r.namespace)).path}/${encodeURIComponent(r.name)}`;
  }

  /**
   * Server-side apply of one object (JSON is valid apply YAML), with strict field validation: an unknown
   * or duplicate field is an error, not a warning. `force` takes over fields another manager owns;
   * `dryRun` answers what the object would become without storing it.
   */
  async apply(obj: K8sObject, fieldManager: string, o: { force?: boolean; dryRun?: boolean; subresource?: 'status' } = {}): Promise<Live> {
    const q = new URLSearchParams({ fieldManager, fieldValidation: 'Strict', ...(o.force ? { force: 'true' } : {}), ...(o.dryRun ? { dryRun: 'All' } : {}) });
    const path = `${await this.objectPath(refOf(obj))}${o.subresource ? `/${o.subresource}` : ''}?${q}`;
    return (await this.ok('PATCH', path, JSON.stringify(obj), 'application/apply-patch+yaml')) as Live;
  }

  /**
   * Create, or replace when it exists (with the live resourceVersion): how Helm installs a chart's CRDs
   * (`crds: CreateReplace`). Cheaper than an apply for very large objects (no managed-field sets to merge).
   */
  async createOrReplace(obj: K8sObject, fieldManager: string): Promise<Live> {
    const { path } = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace);
    const q = `?${new URLSearchParams({ fieldManager, fieldValidation: 'Strict' })}`;
    const created = await this.request('POST', `${path}${q}`, JSON.stringify(obj));
    if (created.status >= 200 && created.status < 300) return created.body as Live;
    if (created.status !== 409) throw toKubeError(created.status, created.body);
    const live = await this.get(refOf(obj));
    const body = { ...obj, metadata: { ...obj.metadata, resourceVersion: live?.metadata.resourceVersion } };
    return (await this.ok('PUT', `${path}/${encodeURIComponent(obj.metadata.name)}${q}`, JSON.stringify(body))) as Live;
  }

  /** An update by another party (a person's `kubectl edit`): a JSON merge patch under its own manager name. */
  async mergePatch(r: Ref, patch: object, fieldManager: string): Promise<Live> {
    const path = `${await this.objectPath(r)}?${new URLSearchParams({ fieldManager })}`;
    return (await this.ok('PATCH', path, JSON.stringify(patch), 'application/merge-patch+json')) as Live;
  }

  async get(r: Ref): Promise<Live | undefined> {
    const res = await this.request('GET', await this.objectPath(r));
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw toKubeError(res.status, res.body);
    return res.body as Live;
  }

  async list(apiVersion: string, kind: string, labelSelector?: string): Promise<Live[]> {
    const info = await this.resource(apiVersion, kind);
    if (!info) return [];
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const q = labelSelector ? `?${new URLSearchParams({ labelSelector })}` : '';
    return ((await this.ok('GET', `${base}/${info.plural}${q}`)) as { items: Live[] }).items;
  }

  /** Deletes an object; false when it was already gone. */
  async delete(r: Ref): Promise<boolean> {
    const res = await this.request('DELETE', await this.objectPath(r), JSON.stringify({ propagationPolicy: 'Background' }));
    if (res.status === 404) return false;
    if (res.status >= 300) throw toKubeError(res.status, res.body);
    return true;
  }
}

function toKubeError(status: number, body: unknown): KubeError {
  const s = (typeof body === 'object' && body ? body : {}) as Partial<Status> & { details?: { causes?: { field?: string; message?: string }[] } };
  let message = s.message ?? (typeof body === 'string' ? body.trim() : `HTTP ${status}`);
  // Strict field validation lists each unknown field as a cause; the message already has them, but not always all.
  const causes = (s.details?.causes ?? []).map((c) => [c.field, c.message].filter(Boolean).join(': ')).filter((c) => c && !message.includes(c));
  if (causes.length) message += ` (${causes.join('; ')})`;
  return new KubeError(status, s.reason ?? String(status), message);
}
