import { defineConfig } from 'vitest/config';

/** The release page in headless Chromium (Debian's package): `.ci/suites/browser`. */
export default defineConfig({
  test: {
    include: ['test/ci-only/browser/**/*.test.ts'],
    setupFiles: ['test/setup/env.ts', 'test/setup/network-guard.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-results-browser.json' }]],
  },
});
