import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedSchemaLocations, validate, type InMemoryDocument, type ValidationReport } from '@ck8s/kubeconform-wrapper';
import type { Finding } from './finding';

/**
 * Where strict schemas come from: CK8S_SCHEMA_LOCATIONS (comma-separated kubeconform locations), else
 * the shared schema data next to the repository (CI and these machines), else kubeconform's public
 * locations (users with network; remote schemas are cached).
 */
export function schemaLocations(root: string): string[] {
  const fromEnv = process.env.CK8S_SCHEMA_LOCATIONS;
  if (fromEnv) return fromEnv.split(',').filter(Boolean);
  const shared = resolve(process.env.CK8S_SHARED_DIR ?? join(root, '..', 'shared'));
  if (existsSync(join(shared, 'schemas'))) return sharedSchemaLocations(shared);
  return ['default', 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'];
}

export const KUBERNETES_VERSION = '1.36.0';

export async function checkSchemas(root: string, documents: InMemoryDocument[], cluster: string): Promise<{ findings: Finding[]; report: ValidationReport }> {
  const report = await validate({
    documents,
    schemaLocations: schemaLocations(root),
    strict: true,
    kubernetesVersion: KUBERNETES_VERSION,
    cacheDir: process.env.CK8S_SCHEMA_CACHE ?? join(root, 'node_modules', '.cache', 'kubeconform'),
  });
  const findings: Finding[] = [];
  for (const r of report.resources) {
    if (r.status !== 'invalid' && r.status !== 'error') continue;
    const object = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    for (const e of r.errors)
      findings.push({
        check: 'schema',
        severity: 'error',
        cluster,
        file: `${r.filename}${r.document !== undefined ? `#${r.document}` : ''}`,
        object,
        message: `${e.path || '/'}: ${e.reason}`,
      });
  }
  return { findings, report };
}
