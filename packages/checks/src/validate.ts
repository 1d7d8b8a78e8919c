import type { InMemoryDocument } from '@ck8s/kubeconform-wrapper';
import { clusterPath, readRenderedEnvironment } from '@ck8s/render';
import { fetchMissingCharts } from './chart-source';
import { checkChartValues } from './chart-values';
import { checkCompliance } from './compliance';
import { checkConfig } from './config';
import type { Finding } from './finding';
import { checkEgress } from './egress';
import { checkGraph } from './graph';
import { findKustomizer } from '@ck8s/toolchain';
import { buildClusterPaths, missingKustomizeFinding } from './kustomize';
import { checkSchemas } from './schema';
import { checkRenderedSecrets } from './secrets';
import { objectsIn } from './tree';

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

/** Every check (except drift) of one environment's committed output. */
export async function validateEnvironment(workspace: string, name: string): Promise<EnvironmentReport> {
  const { env, findings } = checkConfig(workspace, name);
  if (!env) return { environment: name, ok: false, clusters: [], findings };
  const tree = readRenderedEnvironment(workspace, name);
  const kustomizer = findKustomizer();
  if (!kustomizer) findings.push(missingKustomizeFinding());
  // kustomize runs in its own processes: start every cluster's build now and do the in-process checks meanwhile.
  const builds = env.clusters.map((cluster) => {
    const paths = fluxPaths(tree, clusterPath(env, cluster));
    return { paths, build: kustomizer ? buildClusterPaths(kustomizer, workspace, paths, cluster.name) : undefined };
  });
  // Chart defaults the pre-seeded folders lack come from the charts' public sources into the download cache.
  const chartFailures = await fetchMissingCharts(workspace, tree);
  findings.push(...checkRenderedSecrets(tree), ...checkChartValues(workspace, tree, chartFailures));
  // The frameworks the environment must satisfy (compliance.frameworks): a control not met fails here, named.
  findings.push(...checkCompliance(workspace, env));
  // Each cluster's schema check is its own kubeconform process: run them side by side, report in cluster order.
  const perCluster = await Promise.all(
    env.clusters.map(async (cluster, i) => {
      const root = clusterPath(env, cluster);
      const mine: Finding[] = [...checkGraph(tree, root, cluster.name), ...checkEgress(env.flavor, cluster, tree, root)];
      const documents: InMemoryDocument[] = [...tree]
        .filter(([f]) => f.startsWith(`${root}/`) && f.endsWith('/kustomization.yaml'))
        .map(([filename, content]) => ({ filename, content }));
      const { paths, build } = builds[i];
      if (build) {
        const built = await build;
        mine.push(...built.findings);
        documents.push(...built.documents);
      } else documents.push(...rawDocuments(tree, root));
      const schema = await checkSchemas(workspace, documents, cluster.name);
      mine.push(...schema.findings);
      const summary: ClusterSummary = {
        cluster: cluster.name,
        documents: schema.report.summary.resources,
        builds: build ? paths.length : 0,
        errors: mine.filter((f) => f.severity === 'error').length,
        warnings: mine.filter((f) => f.severity === 'warning').length,
      };
      return { mine, summary, engine: schema.report.engine };
    }),
  );
  for (const c of perCluster) findings.push(...c.mine);
  const clusters = perCluster.map((c) => c.summary);
  const engine = perCluster.at(-1)?.engine;
  return { environment: name, ok: !findings.some((f) => f.severity === 'error'), engine, clusters, findings };
}
