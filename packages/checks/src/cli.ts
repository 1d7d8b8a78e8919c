#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { listEnvironments } from '@ck8s/render';
import { formatReport } from './format';
import { validateEnvironment, type EnvironmentReport } from './validate';

const HELP = `Usage: ck8s-validate [--env NAME ...] [--json] [--root DIR]

Runs every check on an environment's committed output and exits 1 on any error:
  config        schema and semantics; secrets/ files encrypted (valid MAC field); every required Secret present with its keys
  secrets       no plaintext Secret, no private-key or token-shaped value in clusters/<env>/
  kustomize     \`kustomize build\` (or \`kubectl kustomize\`) of every cluster path and Flux Kustomization path, in parallel
                (a warning when neither exists; an error with CI=true)
  schema        strict validation of every built document (kubeconform-wrapper; zero missing schemas)
  graph         no dependsOn cycles; CRDs, namespaces, valuesFrom and secretRefs provided by dependencies
  chart-values  every Helm values key exists in the pinned chart's defaults or values schema

  --env NAME   environment to validate (repeatable); default: all
  --json       machine-readable report on stdout
  --root DIR   workspace root (default: current directory)
`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { env: { type: 'string', multiple: true }, json: { type: 'boolean' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const root = resolve(values.root ?? process.cwd());
  const envs = values.env?.length ? values.env : listEnvironments(root);
  const reports: EnvironmentReport[] = [];
  for (const env of envs) reports.push(await validateEnvironment(root, env));
  process.stdout.write(values.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.map(formatReport).join('\n')}\n`);
  return reports.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
