import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FLAVORS, PROVIDERS, type Flavor, type Provider } from '@ck8s/config';
import { CATALOG } from '@ck8s/components';
import type { InMemoryDocument } from '@ck8s/kubeconform-wrapper';
import { clusterPath, renderEnvironment, secretFile } from '@ck8s/render';
import { encryptSecretManifest } from '@ck8s/secrets';
import { hasShared, sharedDir, skipMessage } from '@ck8s/testing';
import { checkChartValues, checkGraph, checkRenderedSecrets, checkSchemas, checkSecretFiles, formatFinding, rawDocuments, type Finding } from '@ck8s/checks';
import { loadEnvironmentFiles } from '../lib/tree';
import { recordingDeps, testIdentity, writtenFiles } from '../lib/testing';
import { newEnvironment } from './generator';

/**
 * Every flavor × provider pair, end to end in memory: new-environment writes the config and the
 * SOPS-encrypted secrets into a virtual tree, the real loader reads them, the render package renders
 * them, and every validate check that needs no files on disk runs on the result: config (schema,
 * semantic rules, each required Secret present and well-formed with its keys), secrets, graph,
 * chart-values and strict schemas (on the rendered objects; kustomize builds need files on disk and
 * are left to `validate` of committed environments). The shipped examples cover two pairs; a provider
 * or flavor rule that breaks any other pair fails here, naming the pair and the finding.
 */
const REPO = join(__dirname, '..', '..', '..');

/** What a pair needs beyond the generator's options: keys the config loader asks for by name. */
function requiredSettings(flavor: Flavor, provider: Provider): Record<string, unknown> | undefined {
  const storage =
    // Swift stores: S3-only clients (backups, audit-log archive, snapshots) need the store's S3 API.
    provider === 'elastx' || provider === 'openstack'
      ? { objectStorage: { s3Endpoint: 'https://s3.swift.example.com' } }
      : // No object storage at the provider: production keeps backups and audit logs, so it brings its own S3.
        provider === 'none' && flavor !== 'dev'
        ? { objectStorage: { type: 's3', endpoint: 'https://s3.example.com', region: 'eu-1' } }
        : undefined;
  // Outside dev backups are required, and Velero's Azure plugin needs its resource group and storage account.
  const azure =
    provider === 'azure' && flavor !== 'dev' ? { velero: { azure: { resourceGroup: 'rg-platform', storageAccount: 'platformbackups' } } } : undefined;
  // Air-gapped: the OpenSearch snapshot plugin from a mirror too.
  const plugin = flavor === 'air-gapped' ? { opensearch: { snapshots: { pluginUrl: 'https://mirror.example.com/opensearch/repository-s3.zip' } } } : undefined;
  const components = azure || plugin ? { ...azure, ...plugin } : undefined;
  // Air-gapped: every chart and image from mirrors (the loader asks for both).
  const mirrors = flavor === 'air-gapped' ? { charts: 'oci://registry.example.com/charts', images: 'registry.example.com' } : undefined;
  return storage || components || mirrors
    ? { ...(storage ? { storage } : {}), ...(components ? { components } : {}), ...(mirrors ? { mirrors } : {}) }
    : undefined;
}

/**
 * Core kinds the shared schema data (../shared/schemas) lacks, which only pairs no example uses render:
 * Harbor's database backup volume (a PersistentVolumeClaim object) exists only where the provider
 * has no object storage. A gap in the data, not in the output: tolerated only while the schema file
 * is missing, so the exception ends by itself once the data has it.
 */
const SCHEMA_DATA_GAPS = ['PersistentVolumeClaim'];
const dataGap = (f: Finding) =>
  f.check === 'schema' &&
  SCHEMA_DATA_GAPS.some(
    (kind) =>
      f.message.endsWith(`could not find schema for ${kind}`) &&
      !existsSync(sharedDir('schemas', 'kubernetes', 'v1.36.0-standalone-strict', `${kind.toLowerCase()}-v1.json`)),
  );

const PAIRS = FLAVORS.flatMap((flavor) => PROVIDERS.map((provider) => ({ flavor, provider, name: `m-${flavor}-${provider}` })));

interface Rendered {
  findings: Finding[];
  documents: InMemoryDocument[];
}

/** One pair: generated, loaded, rendered; the findings of the in-process checks and the documents for the schema check. */
async function generateAndRender(flavor: Flavor, provider: Provider, name: string, recipient: string): Promise<Rendered> {
  const tree = createTreeWithEmptyWorkspace();
  const deps = recordingDeps({
    // The built-in encrypter (checked against the sops binary in packages/secrets): no process per file.
    encrypt: async (manifest, recipients) => ({ text: await encryptSecretManifest(manifest, { recipients }), engine: 'builtin' }),
  });
  const settings = requiredSettings(flavor, provider);
  await newEnvironment(
    tree,
    {
      name,
      flavor,
      provider,
      domain: `${name}.example.com`,
      workloadClusters: 'apps-1',
      ageRecipient: recipient,
      gitUrl: 'ssh://git@example.com/platform.git',
      email: 'ops@example.com',
      ...(settings ? { settings } : {}),
    },
    deps,
  );
  const files = writtenFiles(tree);
  const dir = `environments/${name}`;
  const env = loadEnvironmentFiles(name, { 'config.yaml': files.get(`${dir}/config.yaml`) ?? '' });
  const secrets = [...files]
    .filter(([path]) => path.startsWith(`${dir}/secrets/`))
    .map(([rel, text]) => ({ rel, relPath: rel.slice(`${dir}/secrets/`.length), text }));
  const rendered = renderEnvironment({ env, secrets: secrets.map((s) => secretFile(s.relPath, s.text)) }, CATALOG);
  const findings = [...checkSecretFiles(env, secrets), ...checkRenderedSecrets(rendered), ...checkChartValues(REPO, rendered)];
  const documents: InMemoryDocument[] = [];
  for (const cluster of env.clusters) {
    const root = clusterPath(env, cluster);
    findings.push(...checkGraph(rendered, root, cluster.name));
    documents.push(...rawDocuments(rendered, root));
  }
  return { findings, documents };
}

describe('every flavor × provider renders and validates (in memory)', () => {
  const results = new Map<string, Finding[]>();

  beforeAll(async () => {
    const { recipient } = await testIdentity();
    const documents: InMemoryDocument[] = [];
    for (const { flavor, provider, name } of PAIRS) {
      try {
        const r = await generateAndRender(flavor, provider, name, recipient);
        results.set(name, r.findings);
        documents.push(...r.documents);
      } catch (e) {
        results.set(name, [{ check: 'config', severity: 'error', message: (e as Error).message }]);
      }
    }
    // One strict schema run over every pair's objects (one validator start instead of one per cluster),
    // against the shared schema data: required in CI, skipped (said so) where it is absent.
    if (!hasShared('schemas')) return console.warn(skipMessage('schemas'));
    const { findings } = await checkSchemas(REPO, documents, 'matrix');
    for (const f of findings) results.get(/^clusters\/([^/]+)\//.exec(f.file ?? '')?.[1] ?? '')?.push(f);
  }, 900_000);

  it('covers every flavor with every provider', () => {
    expect(PAIRS).toHaveLength(FLAVORS.length * PROVIDERS.length);
    expect([...results.keys()].sort()).toEqual(PAIRS.map((p) => p.name).sort());
  });

  it.each(PAIRS)('$flavor on $provider', ({ name }) => {
    expect(
      results
        .get(name)
        ?.filter((f) => f.severity === 'error' && !dataGap(f))
        .map(formatFinding),
    ).toEqual([]);
  });
});
