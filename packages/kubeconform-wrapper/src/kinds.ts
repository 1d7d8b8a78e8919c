/** Identity of a manifest as kubeconform reads it. */
export interface Signature {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
}

/** The signature, or kubeconform's message when kind/apiVersion are missing. */
export function signatureOf(doc: Record<string, unknown>): Signature | string {
  if (typeof doc.kind !== 'string') return "missing 'kind' key";
  if (typeof doc.apiVersion !== 'string') return "missing 'apiVersion' key";
  const meta = doc.metadata && typeof doc.metadata === 'object' ? (doc.metadata as Record<string, unknown>) : {};
  // kubeconform shows generateName objects as "<prefix>{{ generateName }}".
  const name = typeof meta.generateName === 'string' ? `${meta.generateName}{{ generateName }}` : typeof meta.name === 'string' ? meta.name : '';
  return { kind: doc.kind, apiVersion: doc.apiVersion, namespace: typeof meta.namespace === 'string' ? meta.namespace : '', name };
}

/** -skip / -reject: a kind ("Secret") matches every version, "group/version/Kind" ("apps/v1/Deployment") one. */
export class KindFilter {
  private readonly entries: Set<string>;

  constructor(list: readonly string[] = []) {
    this.entries = new Set(list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
  }

  get empty(): boolean {
    return this.entries.size === 0;
  }

  matches(kind: string, apiVersion: string): boolean {
    return this.entries.size > 0 && (this.entries.has(kind) || this.entries.has(`${apiVersion}/${kind}`));
  }
}
