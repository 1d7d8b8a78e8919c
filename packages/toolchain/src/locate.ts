import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pinOf, toolsBin } from './pins';

export type Env = Record<string, string | undefined>;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `kubeconform` → `KUBECONFORM_BIN`: the variable that points at one binary explicitly. */
export function binVariable(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BIN`;
}

export interface Located {
  path: string;
  /** Where it was found: the explicit variable, the project's pinned build, or PATH. */
  source: 'variable' | 'pinned' | 'path';
}

/**
 * Finds a tool: `<NAME>_BIN` (an error when it is not executable), else the project's pinned build in
 * .tools/bin (the version the tests were written against), else the first one on PATH.
 */
export function locateTool(name: string, env: Env = process.env, pinnedDir = toolsBin): Located | undefined {
  const variable = binVariable(name);
  const explicit = env[variable];
  if (explicit) {
    if (!isExecutableFile(explicit)) throw new Error(`${variable}=${explicit} is not an executable file`);
    return { path: explicit, source: 'variable' };
  }
  const pinned = join(pinnedDir, name);
  if (isExecutableFile(pinned)) return { path: pinned, source: 'pinned' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return { path: candidate, source: 'path' };
  }
  return undefined;
}

export function findTool(name: string, env: Env = process.env): string | undefined {
  return locateTool(name, env)?.path;
}

/** With CI=true every real tool the project relies on must be present: a missing one fails, never skips. */
export function toolsRequired(env: Env = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

export function missingToolMessage(name: string, purpose: string): string {
  const pin = pinOf(name);
  const how = pin ? `run \`npm run install-tools\` (builds ${name} ${pin.version} into .tools/bin) or put ${name} on PATH` : `put ${name} on PATH`;
  return `${name} not found (${purpose}): ${how}`;
}

/** The tool's path; throws a message naming the tool and how to install it when it is missing. */
export function requireTool(name: string, purpose: string, env: Env = process.env): string {
  const found = findTool(name, env);
  if (!found) throw new Error(missingToolMessage(name, purpose));
  return found;
}

/**
 * A one-line description of the binary for logs: the pinned version when it came from .tools/bin
 * (go-installed binaries often report "development"), the path otherwise.
 */
export function describeTool(name: string, env: Env = process.env): string {
  const found = locateTool(name, env);
  if (!found) return `${name}: not found`;
  if (found.source === 'pinned') {
    try {
      const stamp = readFileSync(join(toolsBin, `.${name}.version`), 'utf8').split(' ')[0];
      return `${name} ${stamp} (${found.path})`;
    } catch {
      return `${name} (unstamped build, ${found.path})`;
    }
  }
  return `${name} (${found.source === 'variable' ? binVariable(name) : 'PATH'}: ${found.path})`;
}
