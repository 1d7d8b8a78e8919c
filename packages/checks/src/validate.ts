import type { InMemoryDocument } from '@ck8s/kubeconform-wrapper';
import { clusterPath, readRenderedEnvironment } from '@ck8s/render';
import { fetchMissingCharts } from './chart-source';
import { checkChartValues } from './chart-values';
import { checkCompliance } from './compliance';
import { checkEnvironmentSecrets, loadConfig } from './config';
import type { Finding } from './finding';
import { checkEgress } from './egress';
import { checkGraph } from './graph';
import { findKustomizer, type Kustomizer } from '@ck8s/toolchain';
import { buildClusterPaths, missingKustomizeFinding } from './kustomize';
import { checkSchemas } from './schema';
import { checkRenderedSecrets } from './secrets';
import { objectsIn, type Tree } from './tree';

export interface ClusterSummary {
  cluster: string;
  /** Documents validated against strict schemas. */
  documents: number;
  /** Paths built with kustomize (0 when no kustomize exists). */
  builds: number;
  errors: number;
  warnings: number;
}

export interface EnvironmentReport {
  environment: string;
  ok: boolean;
  engine?: string;
  clusters: ClusterSummary[];
  findings: Finding[];
}

/** Paths Flux applies on a cluster: the cluster root and every Flux Kustomization's path. */
function fluxPaths(tree: Map<string, string>, root: string): string[] {
  const paths = [root];
  for (const file of tree.keys()) {
    if (!file.startsWith(`${root}/flux/`) || file.includes('/secrets/')) continue;
    for (const { object: o } of objectsIn(tree, file)) {
      const spec = (o as { spec?: { path?: unknown } }).spec;
      if (o.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')) paths.push(String(spec!.path).replace(/^\.\//, ''));
    }
  }
  return [...new Set(paths)].sort();
}

/**
 * Raw rendered files that are complete objects (used when no kustomize exists, and for environments
 * rendered in memory): not Helm values, release patches or Kustomize's own configuration.
 */
export function rawDocuments(tree: Map<string, string>, root: string): InMemoryDocument[] {
  return [...tree]
    .filter(([f]) => f.startsWith(`${root}/`) && f.endsWith('.yaml') && !/\/(values|release-patch|kustomizeconfig)\.yaml$/.test(f))
    .map(([filename, content]) => ({ filename, content }));
}

/** Lets child-process callbacks (a build that finished, to start its schema check) run between in-process checks. */
const yieldToChildren = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Every check (except drift) of one environment's committed output. kustomize and kubeconform run in
 * their own processes: each cluster's build starts as soon as the environment has loaded and its schema
 * check as soon as that build is done, while the checks that run in this process go on in between.
 * Findings are reported in a fixed order whatever finishes first.
 */
export async function validateEnvironment(workspace: string, name: string): Promise<EnvironmentReport> {
  const loaded = loadConfig(workspace, name);
  const env = loaded.env;
  if (!env) return { environment: name, ok: false, clusters: [], findings: loaded.findings };
  const tree = readRenderedEnvironment(workspace, name);
  const kustomizer = findKustomizer();
  const external = env.clusters.map((cluster) => clusterBuildAndSchemas(workspace, tree, clusterPath(env, cluster), cluster.name, kustomizer));
  // Whatever happens in this process, no build is left unobserved (a rejection would otherwise go unhandled).
  for (const e of external) e.catch(() => undefined);

  const findings: Finding[] = checkEnvironmentSecrets(workspace, env);
  if (!kustomizer) findings.push(missingKustomizeFinding());
  await yieldToChildren();
  // Chart defaults the pre-seeded folders lack come from the charts' public sources into the download cache.
  const chartFailures = await fetchMissingCharts(workspace, tree);
  findings.push(...checkRenderedSecrets(tree));
  await yieldToChildren();
  findings.push(...checkChartValues(workspace, tree, chartFailures));
  await yieldToChildren();
  // The frameworks the environment must satisfy (compliance.frameworks): a control not met fails here, named.
  findings.push(...checkCompliance(workspace, env));
  const inProcess: Finding[][] = [];
  for (const cluster of env.clusters) {
    await yieldToChildren();
    const root = clusterPath(env, cluster);
    inProcess.push([...checkGraph(tree, root, cluster.name), ...checkEgress(env.flavor, cluster, tree, root)]);
  }

  const perCluster = await Promise.all(external);
  const clusters: ClusterSummary[] = perCluster.map((c, i) => {
    const mine = [...inProcess[i], ...c.findings];
    findings.push(...mine);
    return {
      cluster: env.clusters[i].name,
      documents: c.documents,
      builds: c.builds,
      errors: mine.filter((f) => f.severity === 'error').length,
      warnings: mine.filter((f) => f.severity === 'warning').length,
    };
  });
  const engine = perCluster.at(-1)?.engine;
  return { environment: name, ok: !findings.some((f) => f.severity === 'error'), engine, clusters, findings };
}

/**
 * One cluster's out-of-process checks: every Flux path built with kustomize in one run (or, without
 * kustomize, the raw files), then the kustomization files and the built documents schema-checked.
 */
async function clusterBuildAndSchemas(
  workspace: string,
  tree: Tree,
  root: string,
  cluster: string,
  kustomizer: Kustomizer | undefined,
): Promise<{ findings: Finding[]; documents: number; builds: number; engine: string }> {
  const findings: Finding[] = [];
  const documents: InMemoryDocument[] = [...tree]
    .filter(([f]) => f.startsWith(`${root}/`) && f.endsWith('/kustomization.yaml'))
    .map(([filename, content]) => ({ filename, content }));
  const paths = kustomizer ? fluxPaths(tree, root) : [];
  if (kustomizer) {
    const built = await buildClusterPaths(kustomizer, workspace, paths, cluster);
    findings.push(...built.findings);
    documents.push(...built.documents);
  } else documents.push(...rawDocuments(tree, root));
  const schema = await checkSchemas(workspace, documents, cluster);
  findings.push(...schema.findings);
  return { findings, documents: schema.report.summary.resources, builds: paths.length, engine: schema.report.engine };
}
