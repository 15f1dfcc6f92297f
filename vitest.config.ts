import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test after which a sandbox recorded a violation of the vendors' contracts (test/helpers/contract-guard.ts).
    setupFiles: ['test/helpers/contract-setup.ts'],
    // e2e tests spawn the compiled CLI against in-process sandboxes; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
