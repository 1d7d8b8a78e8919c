/**
 * Prints what an environment pulls, for copying into its mirrors (charts, then images, as YAML):
 *   npx tsx tools/scripts/mirror-list.ts --env example-airgap
 * Chart defaults are read from CK8S_CHARTS_DIR, ../shared/charts or the download cache (run validate
 * once to fill it); charts without defaults there are listed as unresolved.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { mirrorList } from '@ck8s/checks';
import { loadEnvironment } from '@ck8s/render';

const { values } = parseArgs({ options: { env: { type: 'string' }, root: { type: 'string' } } });
if (!values.env) {
  process.stderr.write('usage: mirror-list.ts --env NAME [--root DIR]\n');
  process.exit(2);
}
const root = resolve(values.root ?? resolve(__dirname, '..', '..'));
process.stdout.write(YAML.stringify(mirrorList(root, loadEnvironment(root, values.env))));
