import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { envTask, type EnvTaskOptions } from './run';

const context = { root: '/workspace' } as ExecutorContext;
const step = (root: string, o: EnvTaskOptions) => {
  if (o.environment === 'broken') throw new Error('a bug, not a finding');
  return { ok: o.environment !== 'bad', output: `${o.environment} in ${root}\n` };
};

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('envTask', () => {
  it('single: prints the output (stderr on failure) and returns success', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { single } = envTask(step);
    expect(await single({ environment: 'good' }, context)).toEqual({ success: true });
    expect(out).toHaveBeenCalledWith('good in /workspace\n');
    expect(await single({ environment: 'bad' }, context)).toEqual({ success: false });
    expect(err).toHaveBeenCalledWith('bad in /workspace\n');
    expect(await single({ environment: 'broken' }, context)).toEqual({ success: false });
    expect(String(err.mock.calls.at(-1)![0])).toMatch(/^broken: Error: a bug, not a finding/);
  });

  it('batch: yields every task as it finishes; a step that throws fails its own task only', async () => {
    const { batch } = envTask(step);
    const inputs = { 'a:render': { environment: 'good' }, 'b:render': { environment: 'broken' }, 'c:render': { environment: 'bad' } };
    const results = await collect(await batch({} as TaskGraph, inputs, { environment: '' }, context));
    expect(results.map((r) => [r.task, r.result.success])).toEqual([
      ['a:render', true],
      ['b:render', false],
      ['c:render', false],
    ]);
    expect(results[0].result.terminalOutput).toBe('good in /workspace\n');
    expect(results[1].result.terminalOutput).toContain('broken: Error: a bug, not a finding');
    for (const r of results) expect(r.result.endTime).toBeGreaterThanOrEqual(r.result.startTime);
  });
});
