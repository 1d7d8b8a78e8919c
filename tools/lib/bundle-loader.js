// @ts-check
// Plain JavaScript on purpose: this file is what Nx loads for our executors and generators. A .ts entry
// point would make Nx start its TypeScript transpiler (@swc/core, ~0.4 s; it also needs a root tsconfig.json,
// which costs every Nx command another 0.2 s) and then transpile render's and checks' modules one by one
// (~0.5 s) in every batch process. A pre-built bundle of the same sources loads in ~0.15 s.
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const WORKSPACE = resolve(__dirname, '..', '..');

/** Where bundles live: machine-local, like every other cache of the workspace (never committed). */
function cacheDir() {
  return process.env.CK8S_EXECUTOR_CACHE ?? join(WORKSPACE, 'node_modules', '.cache', 'ck8s-executors');
}

/**
 * The content hash of every file a bundle was built from: a changed source (or esbuild version) makes the
 * next load rebuild, so a bundle never runs code other than what is on disk.
 * @param {string[]} inputs workspace-relative paths
 * @param {string} esbuildVersion
 */
function inputsHash(inputs, esbuildVersion) {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const file of inputs) {
    const full = join(WORKSPACE, file);
    h.update(`${file}\n`).update(existsSync(full) ? readFileSync(full) : '<missing>');
  }
  return h.digest('hex');
}

/**
 * esbuild plugin: every bundled TypeScript module keeps its own `__dirname`/`__filename` (charts.yaml, the
 * Handlebars templates and the generators' files are read relative to their module); the declaration goes
 * on the module's first line so stack traces keep their line numbers. With `packages: 'external'`, npm
 * packages stay `require`s, loaded by Node as they would be without a bundle.
 * @param {'bundle' | 'external'} packages
 * @returns {import('esbuild').Plugin}
 */
function workspaceModules(packages) {
  return {
    name: 'workspace-modules',
    setup(build) {
      if (packages === 'external')
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@ck8s/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
        );
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const names = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)}; `;
        return { contents: names + source, loader: 'ts' };
      });
    },
  };
}

/**
 * Builds `entry` into one CommonJS file under the cache folder (written to a temporary name first, so a
 * concurrent Nx process never reads half a bundle) and records what it was built from.
 * @param {string} entry absolute path of a .ts module
 * @param {string} key file name stem of the bundle
 * @param {'bundle' | 'external'} packages
 */
async function build(entry, key, packages) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    metafile: true,
    write: false,
    absWorkingDir: WORKSPACE,
    logLevel: 'silent',
    plugins: [workspaceModules(packages)],
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `${key}.js`);
  const tmp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, bundle);
  const manifest = { entry, packages, inputs, hash: inputsHash(inputs, esbuild.version) };
  writeFileSync(`${tmp}.json`, JSON.stringify(manifest, null, 2));
  renameSync(`${tmp}.json`, join(dir, `${key}.json`));
  return bundle;
}

/**
 * The bundle of `entry`, (re)built first when it is missing or any file it was built from changed.
 * `packages: 'bundle'` (the executors) puts npm packages in the bundle too, which loads fastest;
 * `'external'` (the generators, which share @nx/devkit's state with the running Nx) leaves them to Node.
 * @param {string} entry absolute path of a .ts module
 * @param {{ packages?: 'bundle' | 'external' }} [options]
 * @returns {Promise<{ bundle: string; built: boolean }>}
 */
async function ensureBundle(entry, { packages = 'bundle' } = {}) {
  // Keyed by the absolute path: bundled modules know their own folder, so two checkouts sharing one
  // node_modules (the fleet benchmark links it) must not share a bundle.
  const id = createHash('sha256').update(`${entry}\n${packages}`).digest('hex').slice(0, 12);
  const key = `${relative(WORKSPACE, entry).replace(/[^A-Za-z0-9.-]+/g, '_')}-${id}`;
  const manifestFile = join(cacheDir(), `${key}.json`);
  const bundle = join(cacheDir(), `${key}.js`);
  if (existsSync(manifestFile) && existsSync(bundle)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const version = require('esbuild/package.json').version;
    if (manifest.entry === entry && manifest.packages === packages && manifest.hash === inputsHash(manifest.inputs, version)) {
      return { bundle, built: false };
    }
  }
  return { bundle: await build(entry, key, packages), built: true };
}

/** @type {Map<string, Promise<Record<string, unknown>>>} */
const loaded = new Map();

/**
 * The module `entry` exports, loaded from its bundle (once per process).
 * @param {string} entry absolute path of a .ts module
 * @param {{ packages?: 'bundle' | 'external' }} [options]
 * @returns {Promise<Record<string, unknown>>}
 */
function loadBundled(entry, options) {
  let promise = loaded.get(entry);
  if (!promise) {
    promise = ensureBundle(entry, options).then(({ bundle }) => require(bundle));
    loaded.set(entry, promise);
  }
  return promise;
}

module.exports = { ensureBundle, loadBundled };
