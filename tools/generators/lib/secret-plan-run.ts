import type { Tree } from '@nx/devkit';
import { buildSecretFile, defaultEncrypt, type GeneratorDeps, type SecretsReport } from './secret-files';
import { shareLengths, ValueSource, type PlannedSecret, type Requirement } from './secret-plan';
import { secretsDir } from './tree';

/** Encrypts every planned Secret of a fresh environment; returns path → SOPS text (nothing written yet). */
export async function buildPlannedSecrets(env: string, planned: PlannedSecret[], reqs: Requirement[], recipients: string[], deps: GeneratorDeps, report: SecretsReport): Promise<Map<string, string>> {
  const values = new ValueSource({ random: deps.random, bcryptCost: deps.bcryptCost, lengths: shareLengths(reqs), onValue: deps.onGeneratedValue });
  const out = new Map<string, string>();
  for (const p of planned) {
    const path = `${secretsDir(env)}/${p.relPath}`;
    out.set(path, await buildSecretFile({ ...p, path }, values, recipients, deps.encrypt ?? defaultEncrypt, report));
  }
  return out;
}

/** Writes every file through the Tree (so `--dry-run` lists them and writes nothing). */
export function writeAll(tree: Tree, files: Map<string, string>): void {
  for (const [path, text] of files) tree.write(path, text);
}
