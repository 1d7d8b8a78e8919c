import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import { missingToolMessage, toolsRequired, type Kustomizer } from '@ck8s/toolchain';
import type { Finding } from './finding';

/**
 * What validate reports when no kustomize exists: an error with CI=true (CI must never pass without
 * building), a warning for a user without the tools (the raw files are schema-checked instead).
 */
export function missingKustomizeFinding(env: NodeJS.ProcessEnv = process.env): Finding {
  const message = `${missingToolMessage('kustomize', 'kustomize builds of every Flux path')}; kubectl is not on PATH either`;
  return toolsRequired(env)
    ? { check: 'kustomize', severity: 'error', message: `${message} (required with CI=true)` }
    : { check: 'kustomize', severity: 'warning', message: `${message}: builds were skipped and the raw files were schema-checked instead` };
}

export interface BuildResult {
  path: string;
  output?: string;
  finding?: Finding;
}

function buildOne(k: Kustomizer, root: string, path: string, cluster: string): Promise<BuildResult> {
  return new Promise((resolve) => {
    execFile(k.command, k.args(join(root, path)), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ path, output: stdout });
      const reason = (String(stderr) || err.message).trim().split('\n')[0];
      resolve({
        path,
        finding: { check: 'kustomize', severity: 'error', cluster, file: `${path}/kustomization.yaml`, message: `${k.label} failed: ${reason}` },
      });
    });
  });
}

/**
 * Builds every path, up to one process per core at a time (each build is a separate process, so this is
 * where validate's wall time goes). Results come back in the order of `paths`.
 */
export async function kustomizeBuildAll(
  k: Kustomizer,
  root: string,
  paths: string[],
  cluster: string,
  concurrency = availableParallelism(),
): Promise<BuildResult[]> {
  const results: BuildResult[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      results[i] = await buildOne(k, root, paths[i], cluster);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, worker));
  return results;
}

const ORIGIN = /config\.kubernetes\.io\/origin: \|\n\s+(?:path|configuredIn): (\S+)/;

/**
 * The origin annotation cut out of the text as kustomize writes it (keys sorted, two-space indents, the
 * annotation a `|` block under the top-level metadata), dropping an annotations map it leaves empty:
 * the same bytes a build without origin annotations prints. Undefined when the text has another shape.
 */
export function cutOrigin(doc: string): string | undefined {
  const lines = doc.split('\n');
  const metadata = lines.indexOf('metadata:');
  if (metadata < 0) return undefined;
  let annotations = metadata + 1;
  while (annotations < lines.length && lines[annotations].startsWith('  ') && lines[annotations] !== '  annotations:') annotations++;
  if (lines[annotations] !== '  annotations:') return undefined;
  let origin = annotations + 1;
  while (origin < lines.length && lines[origin].startsWith('    ') && lines[origin] !== '    config.kubernetes.io/origin: |') origin++;
  if (lines[origin] !== '    config.kubernetes.io/origin: |') return undefined;
  let end = origin + 1;
  while (end < lines.length && lines[end].startsWith('      ')) end++;
  const onlyAnnotation = origin === annotations + 1 && !(lines[end] ?? '').startsWith('    ');
  return [...lines.slice(0, onlyAnnotation ? annotations : origin), ...lines.slice(end)].join('\n');
}

/**
 * The document as Flux would apply it: without the origin annotation this build asked for (some strict
 * schemas, such as Gatekeeper's mutators', allow no annotations at all).
 */
export function withoutOrigin(doc: string): string {
  const cut = cutOrigin(doc);
  if (cut !== undefined) return cut;
  // Another shape: edited as a document, so every other scalar keeps the style kustomize wrote ("on" stays a string).
  const d = YAML.parseDocument(doc);
  d.deleteIn(['metadata', 'annotations', 'config.kubernetes.io/origin']);
  const annotations = d.getIn(['metadata', 'annotations']) as { items?: unknown[] } | undefined;
  if (annotations && !annotations.items?.length) d.deleteIn(['metadata', 'annotations']);
  return d.toString({ lineWidth: 0 });
}

/** Splits kustomize's output into documents grouped by the file each object came from (its origin annotation). */
function byOrigin(output: string, from: string, root: string, fallback: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const doc of output.split(/^---\n/m)) {
    if (!doc.trim()) continue;
    const origin = ORIGIN.exec(doc)?.[1];
    const file = origin ? relative(root, resolve(from, origin)) : fallback;
    const list = groups.get(file) ?? groups.set(file, []).get(file)!;
    list.push(origin ? withoutOrigin(doc) : doc);
  }
  return groups;
}

export interface ClusterBuild {
  /** Built documents, one entry per source file (`<file> (kustomize build)`). */
  documents: { filename: string; content: string }[];
  findings: Finding[];
  /** kustomize processes run. */
  processes: number;
}

/**
 * Builds every path Flux applies on one cluster in a single kustomize run: a temporary kustomization lists
 * them all as resources (the shared bases are then read once, not once per path) and asks kustomize to
 * annotate each object with the file it came from. kustomize refuses two paths that produce the same
 * object, which on a cluster means two Flux Kustomizations fighting over it: that is reported as such.
 * When the combined build fails, every path is built alone to name the one that is broken.
 */
export async function buildClusterPaths(k: Kustomizer, root: string, paths: string[], cluster: string): Promise<ClusterBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'ck8s-kustomize-'));
  try {
    const resources = paths.map((p) => `  - ${relative(dir, join(root, p))}`).join('\n');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbuildMetadata: [originAnnotations]\nresources:\n${resources}\n`,
    );
    const combined = await buildOne(k, dir, '.', cluster);
    if (combined.output !== undefined) {
      const documents = [...byOrigin(combined.output, dir, root, `${cluster} (kustomize build)`)].map(([file, docs]) => ({
        filename: `${file} (kustomize build)`,
        content: docs.join('---\n'),
      }));
      return { documents, findings: [], processes: 1 };
    }
    const alone = await kustomizeBuildAll(k, root, paths, cluster);
    const findings = alone.flatMap((r) => (r.finding ? [r.finding] : []));
    if (!findings.length) {
      const reason = combined.finding?.message.replace(/^[^:]+ failed: /, '') ?? 'unknown error';
      findings.push({
        check: 'kustomize',
        severity: 'error',
        cluster,
        message: `every Flux path builds alone, but not together (an object that two Flux Kustomizations would both apply?): ${reason}`,
      });
    }
    const documents = alone.flatMap((r) => (r.output !== undefined ? [{ filename: `${r.path} (kustomize build)`, content: r.output }] : []));
    return { documents, findings, processes: 1 + alone.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
