import { defineConfig } from 'vitest/config';

// The interop suites run the real sops binary many times (and re-key a whole environment): allow them time.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
