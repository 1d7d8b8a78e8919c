import YAML from 'yaml';

/** One chart version as a Helm repository's index.yaml lists it. */
export interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The chart's own section of an index laid out as `helm repo index` writes it (`entries:` at the top level,
 * one key per chart two spaces in, its list below), or undefined for any other layout. Large repositories
 * publish indexes of many megabytes; parsing one chart's section takes milliseconds where the whole takes seconds.
 */
function section(text: string, chart: string): string | undefined {
  const entries = /^entries:[ \t]*$/m.exec(text);
  if (!entries) return undefined;
  const rest = text.slice(entries.index + entries[0].length);
  const nextTop = /^[^\s#]/m.exec(rest);
  const body = nextTop ? rest.slice(0, nextTop.index) : rest;
  const start = new RegExp(`^  ${escape(chart)}:[ \\t]*$`, 'm').exec(body);
  if (!start) return undefined;
  const after = body.slice(start.index + start[0].length);
  const nextChart = /^ {2}[^\s#-]/m.exec(after);
  return `${start[0].trim()}${nextChart ? after.slice(0, nextChart.index) : after}`;
}

/** The entries of `chart` in a repository index, or undefined when the index has no such chart; throws when it is not YAML. */
export function indexEntries(text: string, chart: string): IndexEntry[] | undefined {
  const own = section(text, chart);
  const parsed =
    own !== undefined
      ? (YAML.parse(own) as Record<string, unknown> | null)?.[chart]
      : (YAML.parse(text, { maxAliasCount: -1 }) as { entries?: Record<string, unknown> } | null)?.entries?.[chart];
  return Array.isArray(parsed) ? (parsed as IndexEntry[]) : undefined;
}
