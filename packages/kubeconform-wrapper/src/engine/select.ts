import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { EngineName } from '../types';

export type EngineChoice = { engine: 'builtin' } | { engine: 'kubeconform'; binary: string };

type Env = Record<string, string | undefined>;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** KUBECONFORM_BIN if set, else `kubeconform` on PATH. A KUBECONFORM_BIN that is not executable is an error. */
export function findKubeconform(env: Env): string | undefined {
  const explicit = env.KUBECONFORM_BIN;
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new Error(`KUBECONFORM_BIN=${explicit} is not an executable file`);
    return explicit;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'kubeconform');
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The real kubeconform when it is available (it is the reference), the in-process engine otherwise.
 * KUBECONFORM_WRAPPER_ENGINE=builtin|kubeconform overrides "auto".
 */
export function chooseEngine(requested: 'auto' | EngineName, env: Env): EngineChoice {
  const wanted = requested === 'auto' ? (env.KUBECONFORM_WRAPPER_ENGINE as EngineName | undefined) ?? 'auto' : requested;
  if (wanted === 'builtin') return { engine: 'builtin' };
  const binary = findKubeconform(env);
  if (binary) return { engine: 'kubeconform', binary };
  if (wanted === 'kubeconform') {
    throw new Error('the kubeconform engine was requested but no kubeconform binary was found (set KUBECONFORM_BIN or put kubeconform on PATH)');
  }
  return { engine: 'builtin' };
}
