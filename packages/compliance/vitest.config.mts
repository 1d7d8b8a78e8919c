import { defineConfig } from 'vitest/config';

// The rule tests render whole test environments through the real planner.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 } });
