import { defineConfig } from 'vitest/config';

// The end-to-end suites: each starts its own kube-apiserver, so files run one at a time (2 cores).
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
