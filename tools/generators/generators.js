// @ts-check
// What tools/generators.json points Nx at: each generator forwards to its TypeScript implementation, loaded
// from a cached bundle (see tools/lib/bundle-loader.js) so Nx needs neither its TypeScript transpiler nor a
// root tsconfig.json. npm packages (@nx/devkit above all) stay outside the bundle: the generator must use
// the same @nx/devkit instance as the Nx process that hands it the file tree.
const { join } = require('node:path');
const { loadBundled } = require('../lib/bundle-loader');

/**
 * @param {string} name the generator's folder (its generator.ts exports the generator as `default`)
 * @returns {(...args: unknown[]) => Promise<unknown>}
 */
function generator(name) {
  const entry = join(__dirname, name, 'generator.ts');
  return async (...args) => {
    const run = /** @type {(...a: unknown[]) => unknown} */ ((await loadBundled(entry, { packages: 'external' })).default);
    return run(...args);
  };
}

module.exports = {
  newEnvironment: generator('new-environment'),
  addWorkloadCluster: generator('add-workload-cluster'),
  removeEnvironment: generator('remove-environment'),
  syncSecrets: generator('sync-secrets'),
  importCk8s: generator('import-ck8s'),
};
