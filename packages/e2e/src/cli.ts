import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAgeIdentities } from '@ck8s/secrets';
import { describeTool } from '@ck8s/toolchain';
import { defaultCrdsDir, formatReport, reportFailed, runCluster } from './cluster-run';
import { CONTROL_PLANE_TOOL } from './control-plane';
import { PlanError } from './plan';

/**
 * `tsx packages/e2e/src/cli.ts --env <env> [--cluster <name>] [--root <workspace>]`: applies every
 * rendered cluster of the environment to its own fresh API server, like Flux would, and prints per cluster
 * the objects applied, rejected and pruned and the wall time. Exits 1 when any object is rejected or a
 * second apply changes anything. SOPS files are decrypted with SOPS_AGE_KEY / SOPS_AGE_KEY_FILE when given;
 * Secrets no key opens (the shipped examples') are applied as same-shaped stand-ins and counted.
 */

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function renderedClusters(root: string, env: string): string[] {
  const dir = join(root, 'clusters', env);
  if (!existsSync(dir)) throw new PlanError(`${dir} does not exist: render ${env} first`);
  return readdirSync(dir)
    .filter((c) => existsSync(join(dir, c, 'flux-system', 'gotk-sync.yaml')))
    .sort();
}

function ageIdentities(): { identities: string[]; key?: string } {
  const texts = [
    process.env.SOPS_AGE_KEY ?? '',
    process.env.SOPS_AGE_KEY_FILE && existsSync(process.env.SOPS_AGE_KEY_FILE) ? readFileSync(process.env.SOPS_AGE_KEY_FILE, 'utf8') : '',
  ];
  const identities = parseAgeIdentities(...texts);
  return { identities, key: identities.length ? identities.join('\n') : undefined };
}

export async function main(argv: string[]): Promise<number> {
  const env = arg(argv, 'env');
  if (!env) {
    console.error('usage: cli.ts --env <environment> [--cluster <name>] [--root <workspace>]');
    return 2;
  }
  const root = resolve(arg(argv, 'root') ?? join(__dirname, '..', '..', '..'));
  const only = arg(argv, 'cluster');
  // Loaded here, not at the top: it brings Pulumi along, which only this entry point needs.
  const { DEFAULT_FLUX_VERSION } = await import('@ck8s/bootstrap');
  const { identities, key } = ageIdentities();
  const secrets = identities.length ? `${identities.length} age identities` : 'no age key (Secrets become stand-ins)';
  console.log(`e2e ${env}: ${describeTool(CONTROL_PLANE_TOOL)}; Flux ${DEFAULT_FLUX_VERSION} CRDs; ${secrets}`);
  let failed = false;
  const started = Date.now();
  for (const cluster of renderedClusters(root, env).filter((c) => !only || c === only)) {
    try {
      const report = await runCluster({
        root,
        env,
        cluster,
        crdsDir: defaultCrdsDir(root),
        fluxVersion: DEFAULT_FLUX_VERSION,
        keys: { identities, standIns: true },
        ageKey: key,
      });
      console.log(formatReport(report));
      failed ||= reportFailed(report);
    } catch (e) {
      console.error(`${env}/${cluster}: ${(e as Error).message}`);
      failed = true;
    }
  }
  console.log(`e2e ${env}: ${failed ? 'FAILED' : 'ok'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
