/** One result of a check, located in the rendered output (or the config) so a reviewer can act on it. */
export interface Finding {
  check: 'config' | 'secrets' | 'schema' | 'kustomize' | 'graph' | 'chart-values' | 'compliance';
  severity: 'error' | 'warning';
  /** Cluster the finding belongs to, when it belongs to one. */
  cluster?: string;
  file?: string;
  /** `kind/namespace/name` of the object concerned. */
  object?: string;
  message: string;
}

export function formatFinding(f: Finding): string {
  const where = [f.file, f.object].filter(Boolean).join(' ');
  return `${f.severity === 'error' ? 'ERROR' : 'WARN '} [${f.check}]${f.cluster ? ` ${f.cluster}:` : ''} ${where ? `${where}: ` : ''}${f.message}`;
}
