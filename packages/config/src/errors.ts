/** One problem in a user's config, located precisely enough to fix without reading the code. */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `components.opensearch.retentionDays` (list items as `clusters[1].name`). */
  keyPath: string;
  message: string;
}

export function formatConfigError(e: ConfigError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  return e.keyPath ? `${where}: ${e.keyPath}: ${e.message}` : `${where}: ${e.message}`;
}

export function formatConfigErrors(errors: ConfigError[]): string {
  const n = errors.length;
  return [`${n} configuration error${n === 1 ? '' : 's'}:`, ...errors.map((e) => `  ${formatConfigError(e)}`)].join('\n');
}

export function keyPathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out;
}

/** Thrown by callers that want exceptions; carries every error of the run, not only the first. */
export class ConfigErrors extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(formatConfigErrors(errors));
    this.name = 'ConfigErrors';
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
