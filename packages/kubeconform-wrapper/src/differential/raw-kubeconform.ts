import { spawnSync } from 'node:child_process';
import { kubeconformArgs, type KubeconformFlags } from '../engine/kubeconform';

/**
 * The real kubeconform run directly (no wrapper in between: no SOPS rewriting, no constraint handling),
 * so the differential compares two independent engines. Results come back grouped by file, in
 * kubeconform's order; with `-n 1` that is document order within each file.
 */

export interface RawResult {
  kind: string;
  apiVersion: string;
  name: string;
  /** kubeconform's status without the prefix: valid, invalid, error, skipped, empty. */
  status: string;
  msg: string;
  errors: { path: string; msg: string }[];
}

interface OutputEntry {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: string;
  msg: string;
  validationErrors?: { path: string; msg: string }[];
}

const STATUS: Record<string, string> = { statusValid: 'valid', statusInvalid: 'invalid', statusError: 'error', statusSkipped: 'skipped', '': 'empty' };

export type RawFlags = Omit<KubeconformFlags, 'ignoreFilenamePatterns' | 'debug'> & { ignoreFilenamePatterns?: string[] };

/** Runs `binary` on `inputs` with the flags `validate` passes and returns its verdicts per file. */
export function runRawKubeconform(binary: string, inputs: string[], flags: RawFlags): Map<string, RawResult[]> {
  const args = [...kubeconformArgs({ ignoreFilenamePatterns: [], ...flags }), ...inputs];
  const res = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (res.error) throw res.error;
  let parsed: { resources?: OutputEntry[] };
  try {
    parsed = JSON.parse(res.stdout) as { resources?: OutputEntry[] };
  } catch (e) {
    throw new Error(`kubeconform (exit ${res.status}) printed no JSON: ${(e as Error).message}\n${res.stderr}`, { cause: e });
  }
  const byFile = new Map<string, RawResult[]>();
  for (const r of parsed.resources ?? []) {
    const list = byFile.get(r.filename) ?? [];
    list.push({
      kind: r.kind,
      apiVersion: r.version,
      name: r.name,
      status: STATUS[r.status] ?? `unknown status ${r.status}`,
      msg: r.msg,
      errors: r.validationErrors ?? [],
    });
    byFile.set(r.filename, list);
  }
  return byFile;
}
