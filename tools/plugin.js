// @ts-check
// Plain JavaScript on purpose: Nx loads a TypeScript plugin through its transpiler (~0.4 s of @swc/core
// start-up) in every command that computes the project graph or `nx affected`. Types come from JSDoc and
// are checked by `tsc` like the rest of the workspace.
const { basename, dirname } = require('node:path');

/** Everything an environment's output depends on besides its own folder (handlebars writes clusters/<env>/README.md). */
const PLATFORM_INPUTS = ['platformSources', { externalDependencies: ['yaml', 'zod', 'diff', 'handlebars', 'bcryptjs', '@grafana/grafana-foundation-sdk'] }];

/** What else decides validate's findings: where schemas and chart defaults come from, and which schema engine runs. */
const VALIDATE_ENV = [
  ...['CI', 'CK8S_SCHEMA_LOCATIONS', 'CK8S_SHARED_DIR', 'CK8S_CHARTS_DIR', 'CK8S_CHART_CACHE', 'CK8S_OFFLINE'],
  ...['KUBECONFORM_BIN', 'KUSTOMIZE_BIN', 'KUBECTL_BIN', 'KUBECONFORM_WRAPPER_ENGINE'],
];

/** Which chart versions the download cache holds: a chart fetched since the last run changes what chart-values checks. */
const CHARTS_FETCHED = { runtime: 'ls -d "${CK8S_CHART_CACHE:-node_modules/.cache/ck8s-charts}"/*/* 2>/dev/null || true' };

/** Which real tools validate finds (a cached PASS from the fallback engine must not stand for the real tools' verdict). */
const TOOLS_PRESENT = { runtime: 'cat .tools/bin/.*.version 2>/dev/null; command -v kubeconform kustomize kubectl || true' };

/**
 * @param {string} env
 * @returns {Record<string, import('@nx/devkit').TargetConfiguration>}
 */
function targets(env) {
  const envInputs = [`{projectRoot}/**/*`, ...PLATFORM_INPUTS];
  const rendered = `{workspaceRoot}/clusters/${env}`;
  return {
    render: {
      executor: '@ck8s/tools:render',
      options: { environment: env },
      cache: true,
      inputs: envInputs,
      outputs: [rendered],
      metadata: {
        description: `Render environments/${env}/ into clusters/${env}/ (deterministic; atomic; on bad config nothing is written).`,
        technologies: ['flux', 'kustomize', 'helm'],
      },
    },
    drift: {
      executor: '@ck8s/tools:drift',
      options: { environment: env },
      cache: true,
      inputs: [...envInputs, `${rendered}/**/*`],
      metadata: { description: `Fail with a unified diff when the committed clusters/${env}/ differs from a fresh render.` },
    },
    diff: {
      command: `npx tsx packages/checks/src/diff-cli.ts --env ${env}`,
      options: { cwd: '{workspaceRoot}' },
      cache: false,
      metadata: { description: `Object-level Markdown diff of clusters/${env}/ between a git ref and the working tree: nx run ${env}:diff --base=origin/main` },
    },
    e2e: {
      // Applies the committed output like Flux to a real kube-apiserver per cluster (packages/e2e); not cached:
      // its inputs include the pinned API server build and ../shared/crds, which live outside the workspace.
      command: `npx tsx packages/e2e/src/cli.ts --env ${env}`,
      options: { cwd: '{workspaceRoot}' },
      cache: false,
      metadata: {
        description: `Apply clusters/${env}/ like Flux to a fresh kube-apiserver per cluster; print objects applied, rejected and pruned per cluster.`,
        technologies: ['flux', 'kubernetes'],
      },
    },
    validate: {
      executor: '@ck8s/tools:validate',
      options: { environment: env },
      cache: true,
      inputs: [...envInputs, `${rendered}/**/*`, ...VALIDATE_ENV.map((name) => ({ env: name })), TOOLS_PRESENT, CHARTS_FETCHED],
      metadata: {
        description: `Check clusters/${env}/: config and secrets, strict schemas (kubeconform-wrapper), kubectl kustomize builds, dependency graph.`,
      },
    },
  };
}

/**
 * The `test` target of a package with a vitest.config.mts: `vitest run` in the package folder, cached on the
 * package, the packages it depends on, the TypeScript settings and the vitest version (the target the
 * @nx/vitest plugin would infer, without loading that plugin in every Nx command).
 * @param {string} root
 * @returns {import('@nx/devkit').TargetConfiguration}
 */
function testTarget(root) {
  return {
    command: 'vitest run',
    options: { cwd: root },
    cache: true,
    inputs: [
      'default',
      '^default',
      { json: '{workspaceRoot}/tsconfig.settings.json', fields: ['compilerOptions'] },
      { externalDependencies: ['vitest'] },
      { env: 'CI' },
    ],
    outputs: [`{workspaceRoot}/coverage/${root}`],
    parallelism: true,
    metadata: { description: `Run the vitest suites of ${root} (with CI=true a missing tool or shared data fails them).`, technologies: ['vitest'] },
  };
}

/**
 * @param {string} file
 * @returns {import('@nx/devkit').CreateNodesResult}
 */
function nodesFor(file) {
  const root = dirname(file);
  if (basename(file) === 'vitest.config.mts') return { projects: { [root]: { targets: { test: testTarget(root) } } } };
  const env = /** @type {string} */ (root.split('/').pop());
  // The platform's code is an input of every environment: a change to it affects them all.
  return {
    projects: {
      [root]: { name: env, root, projectType: 'application', tags: ['type:environment'], implicitDependencies: ['@ck8s/tools'], targets: targets(env) },
    },
  };
}

/**
 * One Nx project per environments/<env>/config.yaml (so `nx affected` follows config changes), and a
 * `test` target for every package with a vitest config.
 * @type {import('@nx/devkit').CreateNodesV2}
 */
const createNodesV2 = [
  '{environments/*/config.yaml,packages/*/vitest.config.mts,tools/vitest.config.mts}',
  (files) => files.map((file) => [file, nodesFor(file)]),
];

module.exports = { createNodesV2 };
