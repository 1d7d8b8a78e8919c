import type { EnvironmentConfig } from '@ck8s/config';
import { requiredSecrets } from '@ck8s/render';
import { buildSecretFile, defaultEncrypt, emptyReport, type GeneratorDeps, type KeepValues, type SecretsReport } from '../../lib/secret-files';
import { assignPaths, placeSecrets, shareLengths, ValueSource, type PlannedSecret } from '../../lib/secret-plan';
import { secretsDir } from '../../lib/tree';
import { secretKeyId, type ImportedValues } from './values';

/**
 * Every Secret the imported environment needs, made as new-environment makes them (same placement,
 * same hints, same encryption), except that values imported from ck8s are used instead of fresh or
 * placeholder ones. A share (an OIDC client secret Dex and its client both hold) takes the imported
 * value everywhere it appears.
 */

const planKey = (p: PlannedSecret) => `${p.namespace}/${p.name}`;

/** Imported values of one planned Secret for one cluster. */
function importedFor(values: ImportedValues, cluster: string, p: PlannedSecret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of p.keys) {
    const v = values.get(cluster)?.get(secretKeyId(planKey(p), key));
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * placeSecrets shares a file between clusters whose Secrets are made the same way; imported values
 * may still differ per cluster (each ck8s config path has its own secrets.yaml): those get a copy each.
 */
function splitByImportedValues(planned: PlannedSecret[], values: ImportedValues): PlannedSecret[] {
  const out: Omit<PlannedSecret, 'relPath'>[] = [];
  for (const { relPath: _path, ...p } of planned) {
    const distinct = new Set(p.clusters.map((c) => JSON.stringify(importedFor(values, c, { ...p, relPath: '' }))));
    if (p.scope || distinct.size <= 1) out.push(p);
    else for (const c of p.clusters) out.push({ ...p, scope: c, clusters: [c] });
  }
  return assignPaths(out);
}

export async function buildImportedSecrets(
  envName: string,
  env: EnvironmentConfig,
  recipients: string[],
  values: ImportedValues,
  deps: GeneratorDeps,
): Promise<{ files: Map<string, string>; report: SecretsReport }> {
  const report = emptyReport();
  const reqs = requiredSecrets(env, deps.catalog);
  const shares = new Map<string, string>();
  for (const r of reqs) {
    for (const key of r.keys) {
      const hint = r.generate[key];
      const v = values.get(r.cluster)?.get(secretKeyId(`${r.namespace}/${r.name}`, key));
      if (hint?.type === 'random' && hint.shareAs && v !== undefined && !shares.has(hint.shareAs)) shares.set(hint.shareAs, v);
    }
  }
  const source = new ValueSource({
    random: deps.random,
    bcryptCost: deps.bcryptCost,
    lengths: shareLengths(reqs),
    onValue: deps.onGeneratedValue,
    existingShare: async (s) => shares.get(s),
  });
  const files = new Map<string, string>();
  for (const p of splitByImportedValues(placeSecrets(reqs, report.warnings), values)) {
    const path = `${secretsDir(envName)}/${p.relPath}`;
    const keep: KeepValues = Object.fromEntries(Object.entries(importedFor(values, p.clusters[0], p)).map(([k, v]) => [k, { value: v }]));
    files.set(path, await buildSecretFile({ ...p, path }, source, recipients, deps.encrypt ?? defaultEncrypt, report, { keep }));
  }
  return { files, report };
}
