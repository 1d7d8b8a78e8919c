import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonSchemas } from '@ck8s/config';
import { configExtensions } from '@ck8s/components';

/**
 * Writes (or with --check, verifies) the JSON Schemas editors use for environments/<env>/*.yaml.
 * They are generated from the same zod schema as the loader plus every component's settings.
 */
const root = resolve(__dirname, '..', '..');
const dir = join(root, 'packages/config/schema');
const check = process.argv.includes('--check');
const files = writeJsonSchemas(configExtensions().components);
let stale = false;
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  const path = join(dir, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) {
    stale = true;
    process.stderr.write(`packages/config/schema/${name} is out of date; run \`npm run docs\` and commit it\n`);
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote packages/config/schema/${name}\n`);
  }
}
process.exitCode = stale ? 1 : 0;
