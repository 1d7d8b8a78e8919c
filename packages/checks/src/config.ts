import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ConfigErrors, type EnvironmentConfig } from '@ck8s/config';
import { inspectSops } from './sops-inspect';
import { loadEnvironment, requiredSecrets, secretFileFor } from '@ck8s/render';
import type { Finding } from './finding';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
}

/**
 * Config checks: the environment loads (schema and semantics); every file under secrets/ is
 * SOPS-encrypted with a valid MAC field; every secret a component or webhook needs exists, for
 * the right namespace, with the keys it reads (key names stay readable in SOPS files).
 */
export function checkConfig(root: string, name: string): { env?: EnvironmentConfig; findings: Finding[] } {
  const loaded = loadConfig(root, name);
  return loaded.env ? { env: loaded.env, findings: checkEnvironmentSecrets(root, loaded.env) } : loaded;
}

/** The first half of checkConfig: the environment loaded, or the findings that say why it does not load. */
export function loadConfig(root: string, name: string): { env?: EnvironmentConfig; findings: Finding[] } {
  try {
    return { env: loadEnvironment(root, name), findings: [] };
  } catch (e) {
    if (!(e instanceof ConfigErrors)) throw e;
    return {
      findings: e.errors.map((c) => ({
        check: 'config',
        severity: 'error',
        file: `${c.file}:${c.line}:${c.column}`,
        message: c.keyPath ? `${c.keyPath}: ${c.message}` : c.message,
      })),
    };
  }
}

/** The second half of checkConfig: checkSecretFiles on the files under environments/<env>/secrets/. */
export function checkEnvironmentSecrets(root: string, env: EnvironmentConfig): Finding[] {
  const secretsDir = join(root, 'environments', env.name, 'secrets');
  const files = walk(secretsDir).map((full) => ({
    rel: relative(root, full),
    relPath: relative(secretsDir, full).split(sep).join('/'),
    text: readFileSync(full, 'utf8'),
  }));
  return checkSecretFiles(env, files);
}

/** A file under environments/<env>/secrets/: its path from the workspace root, its path inside secrets/, its text. */
export interface SecretSource {
  rel: string;
  relPath: string;
  text: string;
}

/**
 * The secrets part of the config checks, on files already read (no disk access, so an environment
 * made in memory is checked the same way): every file SOPS-encrypted with a valid MAC field, every
 * Secret the environment needs present for its cluster with the keys it reads.
 */
export function checkSecretFiles(env: EnvironmentConfig, files: readonly SecretSource[]): Finding[] {
  const findings: Finding[] = [];
  const available: { rel: string; relPath: string; name?: string; namespace?: string; keys: string[] }[] = [];
  for (const { rel, relPath, text } of files) {
    if (!rel.endsWith('.sops.yaml')) {
      if (/\.ya?ml$/.test(rel))
        findings.push({
          check: 'config',
          severity: 'error',
          file: rel,
          message: 'files under secrets/ must be SOPS-encrypted and named *.sops.yaml; encrypt it with `sops --encrypt` and rename it',
        });
      continue;
    }
    const inspection = inspectSops(text, rel);
    for (const problem of inspection.problems)
      findings.push({ check: 'secrets', severity: 'error', file: rel, message: problem.startsWith(rel) ? problem.slice(rel.length + 2) : problem });
    available.push({ rel, relPath, name: inspection.name, namespace: inspection.namespace, keys: inspection.keys });
  }
  for (const req of requiredSecrets(env)) {
    // The same file rendering copies for this cluster.
    const match = secretFileFor(available, req.cluster, req.name, req.namespace, !!req.clusterScoped);
    const envLevel = req.clusterScoped && !match ? secretFileFor(available, req.cluster, req.name, req.namespace) : undefined;
    if (envLevel) {
      findings.push({
        check: 'config',
        severity: 'error',
        cluster: req.cluster,
        file: envLevel.rel,
        message:
          `${req.clusterScoped}, but Secret ${req.namespace}/${req.name} would come from the environment-level ${envLevel.relPath}, ` +
          `whose credentials are for the environment's store; give the cluster its own secrets/${req.cluster}/${envLevel.relPath} ` +
          `(npx nx g @ck8s/tools:sync-secrets --environment ${env.name} writes a placeholder)`,
      });
      continue;
    }
    if (!match) {
      findings.push({
        check: 'config',
        severity: 'error',
        cluster: req.cluster,
        file: `environments/${env.name}/secrets/`,
        message:
          `missing Secret ${req.namespace}/${req.name} (keys: ${req.keys.join(', ')}) needed by ${req.by.join(', ')}; ` +
          `create secrets/${req.name}.sops.yaml (or secrets/${req.cluster}/…) with \`sops --encrypt\``,
      });
      continue;
    }
    const missing = req.keys.filter((k) => !match.keys.includes(k));
    if (missing.length)
      findings.push({
        check: 'config',
        severity: 'error',
        cluster: req.cluster,
        file: match.rel,
        message: `Secret ${req.namespace}/${req.name} lacks key(s) ${missing.join(', ')} needed by ${req.by.join(', ')}`,
      });
  }
  return findings;
}
