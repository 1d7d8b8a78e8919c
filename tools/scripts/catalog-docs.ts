import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalogMarkdown } from '@ck8s/docs';
import { catalogEntries, environmentSettings } from './catalog-model';

/**
 * Writes (or with --check, verifies) packages/components/CATALOG.md: the environment's keys, every
 * component, where it runs, its chart pin(s) and every config key with type, default and description.
 */
const root = resolve(__dirname, '..', '..');
const file = join(root, 'packages/components/CATALOG.md');
const text = catalogMarkdown(catalogEntries(), environmentSettings());
const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write('packages/components/CATALOG.md is out of date; run `npm run docs` and commit it\n');
    process.exitCode = 1;
  }
} else if (current !== text) {
  writeFileSync(file, text);
  process.stdout.write('wrote packages/components/CATALOG.md\n');
}
