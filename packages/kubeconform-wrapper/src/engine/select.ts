import { locateTool, toolsBin } from '@ck8s/toolchain';
import type { EngineName } from '../types';

export type EngineChoice = { engine: 'builtin' } | { engine: 'kubeconform'; binary: string };

type Env = Record<string, string | undefined>;

/**
 * KUBECONFORM_BIN if set (an error when not executable), else the pinned build in .tools/bin, else `kubeconform` on PATH.
 * `pinnedDir` is where the pinned build is looked for (tests point it elsewhere to see the other cases).
 */
export function findKubeconform(env: Env, pinnedDir: string = toolsBin): string | undefined {
  return locateTool('kubeconform', env, pinnedDir)?.path;
}

/**
 * The real kubeconform when it is available (it is the reference), the in-process engine otherwise.
 * KUBECONFORM_WRAPPER_ENGINE=builtin|kubeconform overrides "auto".
 */
export function chooseEngine(requested: 'auto' | EngineName, env: Env, pinnedDir: string = toolsBin): EngineChoice {
  const wanted = requested === 'auto' ? ((env.KUBECONFORM_WRAPPER_ENGINE as EngineName | undefined) ?? 'auto') : requested;
  if (wanted === 'builtin') return { engine: 'builtin' };
  const binary = findKubeconform(env, pinnedDir);
  if (binary) return { engine: 'kubeconform', binary };
  if (wanted === 'kubeconform') {
    throw new Error('the kubeconform engine was requested but no kubeconform binary was found (set KUBECONFORM_BIN or put kubeconform on PATH)');
  }
  return { engine: 'builtin' };
}
