import { defineConfig } from 'vitest/config';

/** The suite that needs Debian's `prometheus` binary (.ci/suites/prometheus installs it). */
export default defineConfig({
  test: {
    include: ['test/ci-only/prometheus/**/*.test.ts'],
    setupFiles: ['test/setup/env.ts', 'test/setup/network-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
