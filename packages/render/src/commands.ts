import { ConfigErrors } from '@ck8s/config';
import { compareRendered, formatDrift } from './drift';
import type { FileMap } from './layout';
import { readRenderedEnvironment, renderFromWorkspace, writeEnvironment } from './workspace';

/** Result of one command on one environment: what to print, and whether it passed. */
export interface CommandResult {
  ok: boolean;
  output: string;
}

function configFailure(env: string, e: unknown): CommandResult {
  if (!(e instanceof ConfigErrors)) throw e;
  return { ok: false, output: `${env}: ${e.message}\nclusters/${env}/ was left unchanged.\n` };
}

/** `render`: replaces clusters/<env>/ atomically, or reports every config error (or the failed write) and changes nothing. */
export async function renderCommand(root: string, env: string): Promise<CommandResult> {
  let files: FileMap;
  try {
    files = renderFromWorkspace(root, env);
  } catch (e) {
    return configFailure(env, e);
  }
  let written: 'written' | 'unchanged';
  try {
    written = await writeEnvironment(root, env, files);
  } catch (e) {
    return { ok: false, output: `${env}: could not write clusters/${env}/: ${(e as Error).message}\nclusters/${env}/ was left unchanged.\n` };
  }
  return { ok: true, output: `rendered ${env}: ${files.size} files in clusters/${env}/${written === 'unchanged' ? ' (unchanged)' : ''}\n` };
}

/** `drift`: a fresh in-memory render compared with the committed clusters/<env>/. */
export function driftCommand(root: string, env: string): CommandResult {
  try {
    const files = renderFromWorkspace(root, env);
    const drift = compareRendered(files, readRenderedEnvironment(root, env));
    if (drift.length) return { ok: false, output: `${formatDrift(env, drift)}\n` };
    return { ok: true, output: `no drift in ${env}: clusters/${env}/ equals a fresh render (${files.size} files)\n` };
  } catch (e) {
    return configFailure(env, e);
  }
}
