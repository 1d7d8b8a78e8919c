import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export interface ChartPin {
  /** https Helm repository or oci:// registry. */
  repository: string;
  chart: string;
  version: string;
  /** Whether the chart ships CRDs (then HelmReleases use `crds: CreateReplace`). */
  crds?: boolean;
}

let cache: Record<string, ChartPin> | undefined;

/** The pinned chart catalog (packages/components/charts.yaml), read once per process. */
export function chartCatalog(): Record<string, ChartPin> {
  cache ??= YAML.parse(readFileSync(join(__dirname, '..', '..', 'charts.yaml'), 'utf8')) as Record<string, ChartPin>;
  return cache;
}

export function chartPin(name: string): ChartPin {
  const pin = chartCatalog()[name];
  if (!pin) throw new Error(`chart "${name}" is not pinned in packages/components/charts.yaml`);
  return pin;
}
