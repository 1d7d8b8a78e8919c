/**
 * Throughput of the builtin engine, side by side with the real kubeconform on the same files: 10,000
 * synthetic manifests (Deployments, Services, ConfigMaps, NetworkPolicies, HelmReleases, Flux
 * Kustomizations), 6 per file, validated strictly against ../shared/schemas, parsing included since users
 * validate files. Then every *.yaml under clusters/, if there is any.
 *
 *   npx tsx packages/kubeconform-wrapper/bench/throughput.ts [--runs N]
 *
 * kubeconform is the pinned build (.tools/bin, KUBECONFORM_BIN or PATH); without one its rows are skipped.
 * Each timed row is the best of N runs (default 3): the machine is shared, and the best run is the one
 * least disturbed by other work. All runs are printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { toYamlDocuments } from '@ck8s/manifest';
import { hasShared, repoRoot, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
import { describeTool, findTool } from '@ck8s/toolchain';
import { formatReport, sharedSchemaLocations, validateDocuments, type InMemoryDocument, type ValidationReport } from '../src';
import { parseYamlDocuments } from '../src/yaml';

const TOTAL = 10_000;
const PER_FILE = 6;

function deployment(i: number) {
  const labels = { 'app.kubernetes.io/name': `app-${i}`, 'app.kubernetes.io/part-of': 'bench' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: `ns-${i % 50}`, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: `app-${i}`,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'app',
              image: `ghcr.io/example/app:${i % 7}.0.0`,
              imagePullPolicy: 'IfNotPresent',
              args: ['--port=8080', '--log-level=info'],
              env: [
                { name: 'MODE', value: 'production' },
                { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function service(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `app-${i}`, namespace: `ns-${i % 50}` },
    spec: { selector: { 'app.kubernetes.io/name': `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

function configMap(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `app-${i}-config`, namespace: `ns-${i % 50}` },
    data: { 'config.yaml': `server:\n  port: 8080\n  name: app-${i}\n`, LOG_LEVEL: 'info' },
  };
}

function networkPolicy(i: number) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `app-${i}`, namespace: `ns-${i % 50}` },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': `app-${i}` } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 53, protocol: 'UDP' }] }],
    },
  };
}

function helmRelease(i: number) {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: `chart-${i}`, namespace: 'flux-system' },
    spec: {
      interval: '10m',
      targetNamespace: `ns-${i % 50}`,
      chart: { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } },
      install: { remediation: { retries: 3 } },
      values: { replicaCount: 2, resources: { requests: { cpu: '50m' } } },
    },
  };
}

function kustomization(i: number) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `component-${i}`, namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: `./clusters/bench/component-${i}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: [{ name: `component-${Math.max(0, i - 1)}` }],
    },
  };
}

const BUILDERS = [deployment, service, configMap, networkPolicy, helmRelease, kustomization];

function syntheticFiles(): InMemoryDocument[] {
  const objects = Array.from({ length: TOTAL }, (_, n) => BUILDERS[n % BUILDERS.length](Math.floor(n / BUILDERS.length)));
  const files: InMemoryDocument[] = [];
  for (let n = 0; n < objects.length; n += PER_FILE) {
    files.push({ filename: `bench/file-${n / PER_FILE}.yaml`, content: toYamlDocuments(objects.slice(n, n + PER_FILE)) });
  }
  return files;
}

function rate(docs: number, ms: number): number {
  return docs / (ms / 1000);
}

function fmtRate(docs: number, ms: number): string {
  return `${Math.round(rate(docs, ms)).toLocaleString('en-US')} docs/s`;
}

const RUNS = (() => {
  const i = process.argv.indexOf('--runs');
  return i > 0 ? Math.max(1, Number(process.argv[i + 1]) || 3) : 3;
})();

interface Timing {
  best: number;
  all: number[];
}

/** Runs `fn` RUNS times; `fn` returns the milliseconds it measured. */
function repeat(fn: () => number): Timing {
  const all = Array.from({ length: RUNS }, fn);
  return { best: Math.min(...all), all };
}

function row(label: string, docs: number, t: Timing, note = ''): number {
  const runs = t.all.length > 1 ? ` (runs: ${t.all.map((ms) => ms.toFixed(0)).join(', ')} ms)` : '';
  console.log(`  ${label}: ${t.best.toFixed(0)} ms, ${fmtRate(docs, t.best)}${runs}${note ? `; ${note}` : ''}`);
  return rate(docs, t.best);
}

const BASE_OPTIONS = { strict: true, kubernetesVersion: '1.36.0' };

function validateInMemory(files: InMemoryDocument[], locations: string[]): { ms: number; report: ValidationReport } {
  const t0 = performance.now();
  const report = validateDocuments({ ...BASE_OPTIONS, documents: files, schemaLocations: locations });
  return { ms: performance.now() - t0, report };
}

function validateFolder(dir: string, locations: string[]): { ms: number; report: ValidationReport } {
  const t0 = performance.now();
  const report = validateDocuments({ ...BASE_OPTIONS, inputs: [dir], schemaLocations: locations });
  return { ms: performance.now() - t0, report };
}

function writeFiles(files: InMemoryDocument[], dir: string): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.filename)), { recursive: true });
    writeFileSync(join(dir, f.filename), f.content);
  }
}

const TSX = resolve(repoRoot, 'node_modules', '.bin', 'tsx');

/**
 * `--once DIR LOCATION...`: validate DIR in this fresh process and print the time measured inside it, so
 * the figure is cold (schemas compiled, code not yet optimised) like a kubeconform run, minus start-up.
 */
function once(): void {
  const [dir, ...locations] = process.argv.slice(process.argv.indexOf('--once') + 1);
  const { ms, report } = validateFolder(dir, locations);
  process.stdout.write(`${JSON.stringify({ ms, docs: report.summary.resources, ok: report.ok })}\n`);
}

function builtinColdProcess(dir: string, locations: string[]): number {
  const res = spawnSync(TSX, [__filename, '--once', dir, ...locations], { encoding: 'utf8' });
  const out = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; docs: number; ok: boolean };
  if (!out.ok || out.docs !== TOTAL) throw new Error(`the cold builtin run validated ${out.docs} documents (ok: ${out.ok}): ${res.stderr}`);
  return out.ms;
}

/** The path users run: the CLI as a process on files, start-up included. */
function builtinCli(dir: string, locations: string[]): number {
  const flags = ['-strict', '-summary', '-kubernetes-version', '1.36.0', ...locations.flatMap((l) => ['-schema-location', l])];
  const args = [resolve(__dirname, '..', 'src', 'cli.ts'), ...flags, dir];
  const t0 = performance.now();
  const res = spawnSync(TSX, args, { encoding: 'utf8', env: { ...process.env, KUBECONFORM_WRAPPER_ENGINE: 'builtin' } });
  const ms = performance.now() - t0;
  const summary = res.stdout.trim().split('\n').pop() ?? '';
  if (!summary.includes(`Valid: ${TOTAL}`)) throw new Error(`the builtin CLI did not find ${TOTAL} valid documents: ${summary} ${res.stderr}`);
  return ms;
}

/** The real kubeconform on the same folder with the same flags; wall time of the process. */
function kubeconform(binary: string, dir: string, locations: string[], extraArgs: string[], env: NodeJS.ProcessEnv = {}): number {
  const args = ['-strict', '-summary', '-kubernetes-version', '1.36.0', ...locations.flatMap((l) => ['-schema-location', l]), ...extraArgs, dir];
  const t0 = performance.now();
  const res = spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = performance.now() - t0;
  const summary = res.stdout.trim().split('\n').pop() ?? '';
  if (!summary.includes(`Valid: ${TOTAL},`)) throw new Error(`kubeconform did not find ${TOTAL} valid documents: ${summary} ${res.stderr}`);
  return ms;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

function main(): void {
  if (process.argv.includes('--once')) return once();
  if (!hasShared('schemas')) {
    console.log(skipMessage('schemas'));
    return;
  }
  const locations = sharedSchemaLocations(sharedDir());
  const files = syntheticFiles();
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
  const kinds = BUILDERS.map((b) => b.name).join(', ');
  console.log(`${TOTAL.toLocaleString('en-US')} synthetic documents (${kinds}), ${PER_FILE} per file, ${files.length} files, strict`);
  console.log(`machine: ${machine}; Node ${process.version}; best of ${RUNS} runs`);

  console.log('builtin engine (one thread; it has no parallel mode):');
  // Cold: the first call parses and compiles the six schemas and runs unoptimised code.
  const cold = validateInMemory(files, locations);
  if (!cold.report.ok) {
    process.stdout.write(formatReport(cold.report, 'text', { summary: true }).split('\n').slice(0, 20).join('\n') + '\n');
    throw new Error('the synthetic documents should all be valid');
  }
  row('in memory, cold (first call in this process, schemas compiled on the way)', TOTAL, { best: cold.ms, all: [cold.ms] });
  row(
    'in memory, warm',
    TOTAL,
    repeat(() => validateInMemory(files, locations).ms),
  );
  row(
    '  of which YAML parsing alone',
    TOTAL,
    repeat(() => {
      const t0 = performance.now();
      for (const f of files) parseYamlDocuments(f.content);
      return performance.now() - t0;
    }),
  );

  const { dir, cleanup } = tempDir('kcw-bench-');
  try {
    writeFiles(files, join(dir, 'in'));
    const folder = join(dir, 'in');
    const coldLabel = 'from files, cold (fresh process, timed inside: read + parse + compile + validate)';
    const builtinCold = row(
      coldLabel,
      TOTAL,
      repeat(() => builtinColdProcess(folder, locations)),
    );
    const builtinWarm = row(
      'from files, warm (read + parse + validate)',
      TOTAL,
      repeat(() => validateFolder(folder, locations).ms),
    );
    const builtinProcess = row(
      'CLI process (Node + tsx start-up included)',
      TOTAL,
      repeat(() => builtinCli(folder, locations)),
    );

    const binary = findTool('kubeconform');
    if (!binary) {
      console.log('kubeconform: not found (npm run install-tools builds the pinned version); no side-by-side figures');
      return;
    }
    console.log(`${describeTool('kubeconform')}, as a process on the same files with the same flags (start-up included):`);
    const k1 = row(
      '-n 1 (one validation worker)',
      TOTAL,
      repeat(() => kubeconform(binary, folder, locations, ['-n', '1'])),
    );
    const oneCore = { GOMAXPROCS: '1' };
    const k1p = row(
      '-n 1 with GOMAXPROCS=1 (strictly one core)',
      TOTAL,
      repeat(() => kubeconform(binary, folder, locations, ['-n', '1'], oneCore)),
    );
    const kDefault = row(
      `default (-n 4, GOMAXPROCS=${availableParallelism()})`,
      TOTAL,
      repeat(() => kubeconform(binary, folder, locations, [])),
    );

    console.log('side by side, docs/s (builtin / kubeconform):');
    console.log(
      `  one core: builtin cold ${Math.round(builtinCold)} vs kubeconform -n 1 ${Math.round(k1)}: ${ratio(builtinCold, k1)}` +
        ` (warm ${ratio(builtinWarm, k1)}; against GOMAXPROCS=1: cold ${ratio(builtinCold, k1p)}, warm ${ratio(builtinWarm, k1p)})`,
    );
    console.log(
      `  default parallelism: builtin (one thread) cold ${Math.round(builtinCold)} vs kubeconform default ${Math.round(kDefault)}: ` +
        `${ratio(builtinCold, kDefault)} (warm ${ratio(builtinWarm, kDefault)})`,
    );
    console.log(
      `  whole processes, start-up included: builtin CLI ${Math.round(builtinProcess)} vs kubeconform default ${Math.round(kDefault)}: ` +
        ratio(builtinProcess, kDefault),
    );
  } finally {
    cleanup();
  }

  const clusters = resolve(repoRoot, 'clusters');
  if (!existsSync(clusters)) {
    console.log(`clusters: ${clusters} is absent`);
    return;
  }
  // Helm values and kustomize configurations live next to the manifests but are not resources.
  const ignoreFilenamePatterns = ['/values[^/]*\\.yaml$', '/kustomizeconfig\\.yaml$'];
  const t0 = performance.now();
  const real = validateDocuments({ ...BASE_OPTIONS, inputs: [clusters], ignoreFilenamePatterns, schemaLocations: locations });
  const ms = performance.now() - t0;
  const docs = real.summary.resources;
  if (docs === 0) {
    console.log(`clusters: no manifests under ${clusters}`);
    return;
  }
  const what = `${docs} documents in ${real.summary.files} files`;
  console.log(`clusters/ (values*.yaml and kustomizeconfig.yaml ignored): ${what}, ${ms.toFixed(0)} ms, ${fmtRate(docs, ms)}`);
  console.log(`  ${formatReport(real, 'text', { summary: true }).trimEnd().split('\n').slice(-1)[0]}`);
  const problems = formatReport(real, 'text').trimEnd();
  if (problems)
    console.log(
      problems
        .split('\n')
        .slice(0, 10)
        .map((l) => `  ${l}`)
        .join('\n'),
    );
}

main();
