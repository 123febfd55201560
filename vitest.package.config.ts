import { defineConfig } from 'vitest/config';

/** `npm pack`, an offline install of the tarball and its demo: minutes, so .ci/suites/package. */
export default defineConfig({
  test: {
    include: ['test/ci-only/package/**/*.test.ts'],
    setupFiles: ['test/setup/env.ts', 'test/setup/network-guard.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
