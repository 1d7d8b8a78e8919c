import { z } from 'zod';
import { resources } from './objects';

export const CpuQuantity = z.string().regex(/^[0-9]+(\.[0-9]+)?m?$/, { message: 'a CPU quantity such as "100m" or "1"' });
const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const MEMORY_PATTERN = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const Memory = z.string().regex(MEMORY_PATTERN, { message: 'a memory quantity such as "256Mi" or "1Gi"' });

/** Bytes in a memory quantity (already matched by `Memory`). */
export function memoryBytes(q: string): number {
  const m = MEMORY_PATTERN.exec(q);
  return m ? Number(m[1]) * MEMORY_UNITS[m[2] ?? ''] : NaN;
}

export interface ResourceSettings {
  cpu: string;
  memory: string;
  memoryLimit: string;
}

/**
 * One container's sizing as a setting: CPU and memory requests and a memory limit (no CPU limit:
 * throttling a platform service hurts more than sharing spare CPU). The defaults are the small
 * (dev) sizing; flavor presets give production its headroom, and users can override either.
 */
export function resourceSettings(cpu: string, memory: string, memoryLimit: string) {
  return z
    .strictObject({
      cpu: CpuQuantity.default(cpu).describe('CPU request'),
      memory: Memory.default(memory).describe('Memory request'),
      memoryLimit: Memory.default(memoryLimit).describe('Memory limit (at least the request)'),
    })
    .superRefine((r, ctx) => {
      // The API server rejects a pod whose limit is below its request; say so at config time, with the key.
      if (memoryBytes(r.memoryLimit) < memoryBytes(r.memory)) {
        ctx.addIssue({ code: 'custom', path: ['memoryLimit'], message: `memory limit ${r.memoryLimit} is below the memory request ${r.memory}` });
      }
    })
    .prefault({});
}

/** Helm's usual `resources` block from the setting. */
export function toResources(r: ResourceSettings) {
  return resources(r.cpu, r.memory, r.memoryLimit);
}
