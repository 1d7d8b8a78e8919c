import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['generators/**/*.test.ts', 'executors/**/*.test.ts', 'lib/**/*.test.ts', '*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
