import { objectRef } from '@ck8s/manifest';
import type { FieldError, ResourceResult } from '../types';

/** "file#2" (0-based document index), "file#2/items/3" for List items, or just the file name. */
export function location(r: ResourceResult): string {
  if (r.document === undefined) return r.filename;
  return r.listItem === undefined ? `${r.filename}#${r.document}` : `${r.filename}#${r.document}/items/${r.listItem}`;
}

/** "Kind/namespace/name" (namespace omitted when cluster-scoped), or "" when the kind is unknown. */
export function resourceRef(r: ResourceResult): string {
  if (!r.kind) return '';
  return objectRef({ kind: r.kind, metadata: { name: r.name, namespace: r.namespace || undefined } });
}

/** One error as "path: reason"; errors that are not about a field (status error) have no path. */
export function describeError(e: FieldError, status: ResourceResult['status']): string {
  if (status === 'error' && e.path === '') return e.reason;
  return `${e.path || '/'}: ${e.reason}`;
}

/** All errors of a resource on one line (kubeconform's "msg"). */
export function resourceMessage(r: ResourceResult): string {
  return r.errors.map((e) => describeError(e, r.status)).join(' - ');
}

/** kubeconform's qualified name: apiVersion/Kind/namespace/name. */
export function qualifiedName(r: ResourceResult): string {
  return `${r.apiVersion}/${r.kind}/${r.namespace}/${r.name}`;
}
