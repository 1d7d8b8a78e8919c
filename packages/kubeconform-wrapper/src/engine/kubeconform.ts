import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import YAML from 'yaml';
import { removedFluxApiHint } from '../flux-hints';
import { isConstraint } from '../gatekeeper';
import type { ParsedFile } from '../inputs';
import { isSopsEncrypted, withoutSopsBlock } from '../sops';
import type { FieldError, ResourceResult, ResourceStatus } from '../types';
import type { BuiltinEngine } from './builtin';

/**
 * Runs the real kubeconform and turns its `-output json` into the same results the builtin engine
 * returns. kubeconform cannot check Gatekeeper constraints or SOPS files, so before it runs:
 * constraints are checked in-process against their templates, and files holding either are handed
 * over as rewritten copies (constraints left out, `sops` blocks removed) in place of the originals.
 */

export interface KubeconformFlags {
  strict: boolean;
  schemaLocations: string[];
  skip: string[];
  reject: string[];
  ignoreMissingSchemas: boolean;
  kubernetesVersion: string;
  cacheDir?: string;
  workers?: number;
  ignoreFilenamePatterns: string[];
  exitOnError?: boolean;
  insecureSkipTlsVerify?: boolean;
  debug?: (line: string) => void;
}

/** One entry of kubeconform's JSON output (pkg/output/json.go). */
interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: string;
  msg: string;
  validationErrors?: { path: string; msg: string }[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STATUSES: Record<string, ResourceStatus> = {
  statusValid: 'valid',
  statusInvalid: 'invalid',
  statusError: 'error',
  statusSkipped: 'skipped',
  statusEmpty: 'empty',
  // kubeconform before 0.5 spelled them in capitals; an empty document has no status at all.
  VALID: 'valid',
  INVALID: 'invalid',
  ERROR: 'error',
  SKIPPED: 'skipped',
  '': 'empty',
};

/** Escapes a path for Go's regexp syntax (like regexp.QuoteMeta). */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export function kubeconformArgs(flags: KubeconformFlags): string[] {
  const args = ['-output', 'json', '-verbose', '-summary'];
  if (flags.strict) args.push('-strict');
  for (const l of flags.schemaLocations) args.push('-schema-location', l);
  if (flags.skip.length) args.push('-skip', flags.skip.join(','));
  if (flags.reject.length) args.push('-reject', flags.reject.join(','));
  if (flags.ignoreMissingSchemas) args.push('-ignore-missing-schemas');
  args.push('-kubernetes-version', flags.kubernetesVersion);
  if (flags.workers) args.push('-n', String(flags.workers));
  if (flags.cacheDir) args.push('-cache', flags.cacheDir);
  if (flags.exitOnError) args.push('-exit-on-error');
  if (flags.insecureSkipTlsVerify) args.push('-insecure-skip-tls-verify');
  for (const p of flags.ignoreFilenamePatterns) args.push('-ignore-filename-pattern', p);
  return args;
}

/** Parses kubeconform's JSON output into results (filenames as kubeconform printed them). */
export function parseKubeconformOutput(stdout: string): ResourceResult[] {
  const parsed = JSON.parse(stdout) as { resources?: KubeconformResource[] };
  if (!parsed || !Array.isArray(parsed.resources)) throw new Error('kubeconform output has no "resources" list');
  return parsed.resources.map((r) => {
    const status = STATUSES[r.status] ?? 'error';
    let errors: FieldError[] = [];
    if (status === 'invalid') {
      errors = r.validationErrors?.length ? r.validationErrors.map((e) => ({ path: e.path, reason: e.msg })) : [{ path: '', reason: r.msg }];
    } else if (status === 'error') {
      const hint = r.msg.startsWith('could not find schema') ? removedFluxApiHint(r.version, r.kind) : undefined;
      errors = [{ path: '', reason: hint ? `${r.msg} (${hint})` : r.msg }];
    }
    return { filename: r.filename, kind: r.kind, apiVersion: r.version, namespace: '', name: r.name, status, errors, warnings: [] };
  });
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The file as kubeconform should see it: constraints left out, sops blocks removed, the rest verbatim. */
function rewrite(file: ParsedFile): string {
  const parts: string[] = [];
  for (const doc of file.documents) {
    const v = doc.value;
    if (isObject(v) && typeof v.apiVersion === 'string' && isConstraint(v.apiVersion)) continue;
    let text = isObject(v) && isSopsEncrypted(v) ? YAML.stringify(withoutSopsBlock(v)) : file.content.slice(doc.start, doc.end);
    text = text.replace(/^---[^\n]*\n/, '');
    parts.push(text.endsWith('\n') ? text : `${text}\n`);
  }
  return parts.join('---\n');
}

function needsRewrite(file: ParsedFile): boolean {
  return file.documents.some(
    (d) => isObject(d.value) && ((typeof d.value.apiVersion === 'string' && isConstraint(d.value.apiVersion)) || isSopsEncrypted(d.value)),
  );
}

/** Fills in what kubeconform does not print (document index, namespace) from the wrapper's own parse. */
function enrich(results: ResourceResult[], files: ParsedFile[]): void {
  type Candidate = { document: number; listItem?: number; kind: string; apiVersion: string; name: string; namespace: string; used: boolean };
  const byFile = new Map<string, Candidate[]>();
  for (const file of files) {
    const list: Candidate[] = [];
    file.documents.forEach((doc, document) => {
      const add = (v: unknown, listItem?: number) => {
        if (!isObject(v)) return;
        const meta = isObject(v.metadata) ? v.metadata : {};
        const name = typeof meta.generateName === 'string' ? `${meta.generateName}{{ generateName }}` : String(meta.name ?? '');
        list.push({
          document,
          listItem,
          kind: String(v.kind ?? ''),
          apiVersion: String(v.apiVersion ?? ''),
          name,
          namespace: String(meta.namespace ?? ''),
          used: false,
        });
      };
      const v = doc.value;
      if (isObject(v) && typeof v.kind === 'string' && v.kind.toLowerCase() === 'list' && Array.isArray(v.items)) v.items.forEach((item, i) => add(item, i));
      else add(v);
    });
    byFile.set(file.filename, list);
  }
  for (const r of results) {
    if (!r.kind) continue;
    const match = byFile.get(r.filename)?.find((c) => !c.used && c.kind === r.kind && c.apiVersion === r.apiVersion && c.name === r.name);
    if (!match) continue;
    match.used = true;
    r.document = match.document;
    r.namespace = match.namespace;
    if (match.listItem !== undefined) r.listItem = match.listItem;
  }
}

/**
 * Writes the files off the main thread, a few at a time (a build hands over hundreds, and the open
 * files stay bounded however many there are).
 */
async function writeAll(files: [string, string][], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const [path, text] = files[next++];
      await writeFile(path, text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
}

export async function runKubeconform(
  binary: string,
  files: ParsedFile[],
  pathInputs: string[],
  flags: KubeconformFlags,
  constraintEngine: BuiltinEngine,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResourceResult[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'kubeconform-wrapper-'));
  try {
    const reportedAs = new Map<string, string>();
    const handedOver: string[] = [];
    const ignore = [...flags.ignoreFilenamePatterns];
    const inProcess: ResourceResult[] = [];
    const copies: [string, string][] = [];
    files.forEach((file, i) => {
      const special = needsRewrite(file);
      file.documents.forEach((doc, index) => {
        const v = doc.value;
        if (isObject(v) && typeof v.apiVersion === 'string' && isConstraint(v.apiVersion)) {
          inProcess.push(...constraintEngine.validateDocument(file.filename, index, doc));
        }
      });
      if (file.origin === 'path' && !special) return;
      const copy = join(tmp, `${i}-${basename(file.filename).replace(/[^A-Za-z0-9._-]/g, '_')}${file.filename.endsWith('.yaml') ? '' : '.yaml'}`);
      copies.push([copy, special ? rewrite(file) : file.content]);
      reportedAs.set(copy, file.filename);
      handedOver.push(copy);
      if (file.origin === 'path') ignore.push(`^${quoteMeta(file.filename)}$`);
    });

    await writeAll(copies);
    // kubeconform refuses a -cache folder that does not exist yet; the builtin engine creates it.
    if (flags.cacheDir) mkdirSync(flags.cacheDir, { recursive: true });
    const args = [...kubeconformArgs({ ...flags, ignoreFilenamePatterns: ignore }), ...pathInputs, ...handedOver];
    flags.debug?.(`running ${binary} ${args.join(' ')}`);
    const { code, stdout, stderr } = await run(binary, args, env);
    let results: ResourceResult[];
    try {
      results = parseKubeconformOutput(stdout);
    } catch (e) {
      throw new Error(`kubeconform (exit code ${code}) did not produce its JSON output: ${(e as Error).message}${stderr ? `\n${stderr.trim()}` : ''}`, {
        cause: e,
      });
    }
    for (const r of results) r.filename = reportedAs.get(r.filename) ?? r.filename;
    enrich(results, files);
    return sortLikeInput([...results, ...inProcess], files);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** kubeconform prints in completion order; results are listed in input order instead. */
function sortLikeInput(results: ResourceResult[], files: ParsedFile[]): ResourceResult[] {
  const order = new Map(files.map((f, i) => [f.filename, i]));
  const rank = (r: ResourceResult) => [order.get(r.filename) ?? files.length, r.document ?? Number.MAX_SAFE_INTEGER, r.listItem ?? -1];
  return results
    .map((r, i) => ({ r, i, k: rank(r) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.r);
}
