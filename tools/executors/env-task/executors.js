// @ts-check
// What tools/executors.json points Nx at: each executor's single-task and batch entry points, forwarding to
// the TypeScript implementation next to this file, loaded from a cached bundle (see tools/lib/bundle-loader.js).
const { join } = require('node:path');
const { loadBundled } = require('../../lib/bundle-loader');

/**
 * @param {string} name render | drift | validate (the .ts module exporting `default` and `batch`)
 */
function entryPoints(name) {
  const entry = join(__dirname, `${name}.ts`);
  return {
    /** @param {unknown[]} args */
    single: async (...args) => /** @type {(...a: unknown[]) => unknown} */ ((await loadBundled(entry)).default)(...args),
    /** @param {unknown[]} args */
    batch: async (...args) => /** @type {(...a: unknown[]) => unknown} */ ((await loadBundled(entry)).batch)(...args),
  };
}

const render = entryPoints('render');
const drift = entryPoints('drift');
const validate = entryPoints('validate');

module.exports = {
  render: render.single,
  renderBatch: render.batch,
  drift: drift.single,
  driftBatch: drift.batch,
  validate: validate.single,
  validateBatch: validate.batch,
};
