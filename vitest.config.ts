import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that need a Debian package (chromium, prometheus) run from .ci/suites/, not npm test.
    exclude: ['test/ci-only/**', 'node_modules/**'],
    setupFiles: ['test/setup/env.ts', 'test/setup/network-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core CI machine, where the
    // e2e files (mostly waiting on their stacks' wall clock) then hold the whole run up.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results.json' }]]
      : ['default'],
  },
});
