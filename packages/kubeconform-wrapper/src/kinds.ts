/** Identity of a manifest as kubeconform reads it. */
export interface Signature {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
}

/**
 * A field read the way kubeconform reads the signature: sigs.k8s.io/yaml into a struct of strings, which
 * turns numbers and booleans into their text (`kind: 42` is kind "42") and null into "". A mapping or a
 * list cannot become a string: undefined.
 */
function signatureField(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
      return String(v);
    case 'undefined':
      return '';
    default:
      return v === null ? '' : undefined;
  }
}

/** The signature, or kubeconform's message when it cannot be read (missing kind or apiVersion, or a field that is not a scalar). */
export function signatureOf(doc: Record<string, unknown>): Signature | string {
  const kind = signatureField(doc.kind);
  const apiVersion = signatureField(doc.apiVersion);
  const rawMeta = doc.metadata;
  const meta = rawMeta && typeof rawMeta === 'object' && !Array.isArray(rawMeta) ? (rawMeta as Record<string, unknown>) : {};
  const name = signatureField(meta.name);
  const namespace = signatureField(meta.namespace);
  const generateName = signatureField(meta.generateName);
  if (kind === undefined) return 'kind is not a string';
  if (apiVersion === undefined) return 'apiVersion is not a string';
  if ((rawMeta !== undefined && rawMeta !== null && meta !== rawMeta) || name === undefined || namespace === undefined || generateName === undefined) {
    return 'metadata, or its name, namespace or generateName, has the wrong type';
  }
  if (kind === '') return "missing 'kind' key";
  if (apiVersion === '') return "missing 'apiVersion' key";
  // kubeconform shows generateName objects as "<prefix>{{ generateName }}".
  return { kind, apiVersion, namespace, name: generateName ? `${generateName}{{ generateName }}` : name };
}

/**
 * The signature of a List item. kubeconform reads those from the decoded map instead (SignatureFromMap):
 * kind and apiVersion must be strings (an empty one is accepted), name and namespace count only when they are.
 */
export function listItemSignatureOf(item: Record<string, unknown>): Signature | string {
  if (typeof item.kind !== 'string') return "missing 'kind' key";
  if (typeof item.apiVersion !== 'string') return "missing 'apiVersion' key";
  const meta = item.metadata && typeof item.metadata === 'object' && !Array.isArray(item.metadata) ? (item.metadata as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const name = typeof meta.generateName === 'string' ? `${meta.generateName}{{ generateName }}` : str(meta.name);
  return { kind: item.kind, apiVersion: item.apiVersion, namespace: str(meta.namespace), name };
}

/** -skip / -reject: a kind ("Secret") matches every version, "group/version/Kind" ("apps/v1/Deployment") one. */
export class KindFilter {
  private readonly entries: Set<string>;

  constructor(list: readonly string[] = []) {
    this.entries = new Set(
      list
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }

  get empty(): boolean {
    return this.entries.size === 0;
  }

  matches(kind: string, apiVersion: string): boolean {
    return this.entries.size > 0 && (this.entries.has(kind) || this.entries.has(`${apiVersion}/${kind}`));
  }
}
