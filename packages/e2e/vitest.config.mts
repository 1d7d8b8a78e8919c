import { defineConfig } from 'vitest/config';

// Unit tests only (no API server); the end-to-end suites (*.e2e.ts) run with vitest.e2e.mts (target e2e).
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
