import type { ExecutorContext, TaskGraph } from '@nx/devkit';

export interface EnvTaskOptions {
  environment: string;
  json?: boolean;
}

type StepResult = { ok: boolean; output: string };
type Step = (root: string, options: EnvTaskOptions) => Promise<StepResult> | StepResult;
/** One finished task of a batch, as Nx reads it from an async iterator (its BatchExecutorTaskResult). */
type BatchTaskResult = { task: string; result: { success: boolean; terminalOutput: string; startTime: number; endTime: number } };

/** A step that throws (a bug, not a finding) fails its own task with the stack, never the others of a batch. */
async function settle(step: Step, root: string, options: EnvTaskOptions): Promise<StepResult> {
  try {
    return await step(root, options);
  } catch (e) {
    return { ok: false, output: `${options.environment}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n` };
  }
}

/**
 * Turns a per-environment step into both Nx entry points: the normal executor (one task per
 * process) and the batch implementation, which runs every environment's task in one process when
 * NX_BATCH_MODE=true — at fleet scale that removes hundreds of process start-ups. The batch yields
 * each task as it finishes, so Nx prints and caches it right away instead of after the whole batch.
 */
export function envTask(step: Step) {
  const single = async (options: EnvTaskOptions, context: ExecutorContext) => {
    const r = await settle(step, context.root, options);
    (r.ok ? process.stdout : process.stderr).write(r.output);
    return { success: r.ok };
  };
  async function* each(inputs: Record<string, EnvTaskOptions>, root: string): AsyncIterableIterator<BatchTaskResult> {
    for (const [task, options] of Object.entries(inputs)) {
      const startTime = Date.now();
      const r = await settle(step, root, options);
      yield { task, result: { success: r.ok, terminalOutput: r.output, startTime, endTime: Date.now() } };
    }
  }
  const batch = async (_graph: TaskGraph, inputs: Record<string, EnvTaskOptions>, _overrides: EnvTaskOptions, context: ExecutorContext) =>
    each(inputs, context.root);
  return { single, batch };
}
