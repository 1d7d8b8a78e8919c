/**
 * Throughput of the builtin engine on one thread: 10,000 synthetic manifests (Deployments,
 * Services, ConfigMaps, NetworkPolicies, HelmReleases, Flux Kustomizations) rendered to YAML text
 * in memory, then validated strictly against ../shared/schemas — parsing included, since users
 * validate files. Then every *.yaml under clusters/, if there is any.
 *
 *   npx tsx packages/kubeconform-wrapper/bench/throughput.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { toYamlDocuments } from '@ck8s/manifest';
import { hasShared, repoRoot, sharedDir, skipMessage, tempDir } from '@ck8s/testing';
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
              env: [{ name: 'MODE', value: 'production' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
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

function rate(docs: number, ms: number): string {
  return `${Math.round(docs / (ms / 1000)).toLocaleString('en-US')} docs/s`;
}

function timed(label: string, files: InMemoryDocument[], locations: string[]): ValidationReport {
  const t0 = performance.now();
  const report = validateDocuments({ documents: files, schemaLocations: locations, strict: true, kubernetesVersion: '1.36.0' });
  const ms = performance.now() - t0;
  const docs = report.summary.resources;
  console.log(`${label}: ${docs.toLocaleString('en-US')} documents in ${files.length} files, ${ms.toFixed(0)} ms, ${rate(docs, ms)}`);
  return report;
}

/** The path users run: the CLI as a process on files, start-up included. */
function cliRun(files: InMemoryDocument[], locations: string[]): void {
  const { dir, cleanup } = tempDir('kcw-bench-');
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.filename)), { recursive: true });
      writeFileSync(join(dir, f.filename), f.content);
    }
    const args = [resolve(__dirname, '..', 'src', 'cli.ts'), '-strict', '-summary', '-kubernetes-version', '1.36.0', ...locations.flatMap((l) => ['-schema-location', l]), dir];
    const t0 = performance.now();
    const res = spawnSync(resolve(repoRoot, 'node_modules', '.bin', 'tsx'), args, { encoding: 'utf8', env: { ...process.env, KUBECONFORM_WRAPPER_ENGINE: 'builtin' } });
    const ms = performance.now() - t0;
    console.log(`CLI process (tsx start-up + read + parse + validate): ${ms.toFixed(0)} ms, ${rate(files.length * PER_FILE, ms)}; ${res.stdout.trim().split('\n').pop()}`);
  } finally {
    cleanup();
  }
}

function main(): void {
  if (!hasShared('schemas')) {
    console.log(skipMessage('schemas'));
    return;
  }
  const locations = sharedSchemaLocations(sharedDir());
  const files = syntheticFiles();
  console.log(`${TOTAL.toLocaleString('en-US')} synthetic documents (${BUILDERS.map((b) => b.name).join(', ')}), ${PER_FILE} per file, strict, one thread; parse + validate:`);

  // Cold: the first call parses and compiles the six schemas and runs unoptimised code.
  const cold = timed('  cold (first call, includes schema compilation)', files, locations);
  if (!cold.ok) {
    process.stdout.write(formatReport(cold, 'text', { summary: true }).split('\n').slice(0, 20).join('\n') + '\n');
    throw new Error('the synthetic documents should all be valid');
  }
  timed('  warm (schemas compiled, JIT warmed)', files, locations);

  const tParse = performance.now();
  let parsed = 0;
  for (const f of files) parsed += parseYamlDocuments(f.content).length;
  const parseMs = performance.now() - tParse;
  console.log(`  of which YAML parsing alone: ${parseMs.toFixed(0)} ms, ${rate(parsed, parseMs)}`);

  cliRun(files, locations);

  const clusters = resolve(repoRoot, 'clusters');
  if (!existsSync(clusters)) {
    console.log(`clusters: ${clusters} is absent`);
    return;
  }
  // Helm values and kustomize configurations live next to the manifests but are not resources.
  const ignoreFilenamePatterns = ['/values[^/]*\\.yaml$', '/kustomizeconfig\\.yaml$'];
  const t0 = performance.now();
  const real = validateDocuments({ inputs: [clusters], ignoreFilenamePatterns, schemaLocations: locations, strict: true, kubernetesVersion: '1.36.0' });
  const ms = performance.now() - t0;
  const docs = real.summary.resources;
  if (docs === 0) {
    console.log(`clusters: no manifests under ${clusters}`);
    return;
  }
  console.log(`clusters/ (values*.yaml and kustomizeconfig.yaml ignored): ${docs} documents in ${real.summary.files} files, ${ms.toFixed(0)} ms (includes compiling the schemas it needs), ${rate(docs, ms)}`);
  console.log(`  ${formatReport(real, 'text', { summary: true }).trimEnd().split('\n').slice(-1)[0]}`);
  const problems = formatReport(real, 'text').trimEnd();
  if (problems) console.log(problems.split('\n').slice(0, 10).map((l) => `  ${l}`).join('\n'));
}

main();
