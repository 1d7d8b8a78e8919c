import { defineConfig } from 'vitest/config';

// The CLI tests spawn real render/drift processes over the shipped environments.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
