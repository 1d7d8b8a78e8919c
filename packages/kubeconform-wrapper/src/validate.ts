import { BuiltinEngine, collectTemplates, requiredSignatures } from './engine/builtin';
import { runKubeconform, type KubeconformFlags } from './engine/kubeconform';
import { chooseEngine } from './engine/select';
import { collectSources, parseSources, type ParsedFile } from './inputs';
import { KindFilter } from './kinds';
import { SchemaRegistry } from './locations/registry';
import type { EngineName, ResourceResult, ValidateOptions, ValidationReport } from './types';

function summarize(engine: EngineName, resources: ResourceResult[], stdin: boolean, started: number): ValidationReport {
  const count = (s: ResourceResult['status']) => resources.filter((r) => r.status === s).length;
  const summary = {
    valid: count('valid'),
    invalid: count('invalid'),
    errors: count('error'),
    skipped: count('skipped'),
    resources: 0,
    files: new Set(resources.map((r) => r.filename)).size,
  };
  summary.resources = summary.valid + summary.invalid + summary.errors + summary.skipped;
  return { engine, resources, summary, ok: summary.invalid === 0 && summary.errors === 0, stdin, durationMs: performance.now() - started };
}

function builtinEngine(options: ValidateOptions, files: ParsedFile[], registry: SchemaRegistry, exitOnError: boolean): BuiltinEngine {
  return new BuiltinEngine(
    {
      registry,
      strict: options.strict ?? false,
      skip: new KindFilter(options.skip),
      reject: new KindFilter(options.reject),
      ignoreMissingSchemas: options.ignoreMissingSchemas ?? false,
      exitOnError,
    },
    collectTemplates(files),
  );
}

function registryFor(options: ValidateOptions): SchemaRegistry {
  return new SchemaRegistry({
    locations: options.schemaLocations ?? [],
    strict: options.strict ?? false,
    kubernetesVersion: options.kubernetesVersion ?? 'master',
    cacheDir: options.cacheDir,
    concurrency: options.workers,
    debug: options.debug,
  });
}

export interface ValidateRunOptions extends ValidateOptions {
  /** kubeconform -exit-on-error. */
  exitOnError?: boolean;
  /**
   * kubeconform -insecure-skip-tls-verify, passed on to the kubeconform engine. The builtin engine's
   * downloads follow NODE_TLS_REJECT_UNAUTHORIZED, which the CLI sets for this flag.
   */
  insecureSkipTlsVerify?: boolean;
}

/**
 * Validates files, folders, stdin ("-") and in-memory documents. Runs the real kubeconform when one
 * is available (see chooseEngine), the in-process engine otherwise; `report.engine` says which.
 */
export async function validate(options: ValidateRunOptions = {}): Promise<ValidationReport> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const choice = chooseEngine(options.engine ?? 'auto', env);
  options.debug?.(`engine: ${choice.engine}${choice.engine === 'kubeconform' ? ` (${choice.binary})` : ''}`);
  const { sources, stdin } = collectSources(options);
  const files = parseSources(sources);
  const registry = registryFor(options);

  if (choice.engine === 'kubeconform') {
    const flags: KubeconformFlags = {
      strict: options.strict ?? false,
      schemaLocations: options.schemaLocations ?? [],
      skip: options.skip ?? [],
      reject: options.reject ?? [],
      ignoreMissingSchemas: options.ignoreMissingSchemas ?? false,
      kubernetesVersion: options.kubernetesVersion ?? 'master',
      cacheDir: options.cacheDir,
      workers: options.workers,
      ignoreFilenamePatterns: options.ignoreFilenamePatterns ?? [],
      exitOnError: options.exitOnError,
      insecureSkipTlsVerify: options.insecureSkipTlsVerify,
      debug: options.debug,
    };
    const pathInputs = (options.inputs ?? []).filter((i) => i !== '-');
    const resources = await runKubeconform(choice.binary, files, pathInputs, flags, builtinEngine(options, files, registry, false), env);
    return summarize('kubeconform', resources, stdin, started);
  }

  await registry.prefetch(requiredSignatures(files));
  const resources = builtinEngine(options, files, registry, options.exitOnError ?? false).validateFiles(files);
  return summarize('builtin', resources, stdin, started);
}

/**
 * The in-process engine, synchronously. Schemas must be local files or already in `cacheDir`
 * (remote ones that are not give an error result); `engine` and KUBECONFORM_BIN are ignored.
 */
export function validateDocuments(options: ValidateRunOptions = {}): ValidationReport {
  const started = performance.now();
  const { sources, stdin } = collectSources(options);
  const files = parseSources(sources);
  const resources = builtinEngine(options, files, registryFor(options), options.exitOnError ?? false).validateFiles(files);
  return summarize('builtin', resources, stdin, started);
}
