import type { ExecutorContext, TaskGraph } from '@nx/devkit';

export interface EnvTaskOptions {
  environment: string;
  json?: boolean;
}

type Step = (root: string, options: EnvTaskOptions) => Promise<{ ok: boolean; output: string }> | { ok: boolean; output: string };

/**
 * Turns a per-environment step into both Nx entry points: the normal executor (one task per
 * process) and the batch implementation, which runs every environment's task in one process when
 * NX_BATCH_MODE=true — at fleet scale that removes hundreds of process start-ups.
 */
export function envTask(step: Step) {
  const single = async (options: EnvTaskOptions, context: ExecutorContext) => {
    const r = await step(context.root, options);
    (r.ok ? process.stdout : process.stderr).write(r.output);
    return { success: r.ok };
  };
  const batch = async (_graph: TaskGraph, inputs: Record<string, EnvTaskOptions>, _overrides: EnvTaskOptions, context: ExecutorContext) => {
    const results: Record<string, { success: boolean; terminalOutput: string; startTime: number; endTime: number }> = {};
    for (const [taskId, options] of Object.entries(inputs)) {
      const startTime = Date.now();
      const r = await step(context.root, options);
      results[taskId] = { success: r.ok, terminalOutput: r.output, startTime, endTime: Date.now() };
    }
    return results;
  };
  return { single, batch };
}
