/** What happened to one resource; the same five outcomes kubeconform reports. */
export type ResourceStatus = 'valid' | 'invalid' | 'error' | 'skipped' | 'empty';

export type EngineName = 'builtin' | 'kubeconform';

/** One problem found in a resource. `path` is a JSON pointer into the resource ("" is the root). */
export interface FieldError {
  path: string;
  reason: string;
  /** 1-based line in the file, when known (duplicate keys, YAML syntax errors). */
  line?: number;
  /** For an error inside anyOf/oneOf/allOf/$ref: the pointer of that node, where kubeconform reports it. */
  group?: string;
}

export interface ResourceResult {
  filename: string;
  /** 0-based index of the YAML document in its file (like yq's document_index); absent when unknown. */
  document?: number;
  /** Index inside a `kind: List` document, when the resource came from one. */
  listItem?: number;
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  status: ResourceStatus;
  /** For `invalid`: every schema violation. For `error`: one entry (path "") saying why it could not be validated. */
  errors: FieldError[];
  /** Things that did not change the status but a reader should know (e.g. a removed Flux API version). */
  warnings: string[];
}

export interface ReportSummary {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
  /** valid + invalid + errors + skipped (empty documents are not resources). */
  resources: number;
  files: number;
}

export interface ValidationReport {
  engine: EngineName;
  resources: ResourceResult[];
  summary: ReportSummary;
  /** True when nothing is invalid and nothing errored: the CLI exits 0. */
  ok: boolean;
  /** The input was stdin only; kubeconform words its summary differently then. */
  stdin: boolean;
  durationMs: number;
}

/** A file's text handed over in memory instead of a path on disk. */
export interface InMemoryDocument {
  filename: string;
  content: string;
}

export interface ValidateOptions {
  /** Files, directories (walked for *.yaml, *.yml, *.json) or "-" for stdin. */
  inputs?: string[];
  documents?: InMemoryDocument[];
  /** kubeconform -schema-location values, tried in order; empty means ["default"]. */
  schemaLocations?: string[];
  strict?: boolean;
  /** kubeconform -kubernetes-version: "master" (default) or "1.36.0". */
  kubernetesVersion?: string;
  /** Kinds or group/version/Kind to skip / reject. */
  skip?: string[];
  reject?: string[];
  ignoreMissingSchemas?: boolean;
  /** Folder where remote schemas are stored once fetched (keyed by URL). */
  cacheDir?: string;
  /** Regular expressions; matching file paths are not read (kubeconform -ignore-filename-pattern). */
  ignoreFilenamePatterns?: string[];
  /** Concurrency for schema downloads and kubeconform's -n. */
  workers?: number;
  engine?: 'auto' | EngineName;
  /** Environment used to pick the engine (KUBECONFORM_BIN, KUBECONFORM_WRAPPER_ENGINE, PATH); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Text read for "-"; defaults to the process's stdin. */
  stdinText?: () => string;
  /** Debug lines (schema locations tried, engine chosen) go here. */
  debug?: (line: string) => void;
}

export type OutputFormat = 'text' | 'json' | 'tap' | 'junit';

export interface FormatOptions {
  summary?: boolean;
  /** Also list valid and skipped resources (kubeconform -verbose; tap and junit always list everything). */
  verbose?: boolean;
}
