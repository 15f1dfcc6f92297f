import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test after which a sandbox recorded a violation of the vendors' contracts (test/helpers/contract-guard.ts).
    setupFiles: ['test/helpers/contract-setup.ts'],
    // e2e tests spawn the compiled CLI against in-process sandboxes: a few seconds a test when idle, but a CLI start
    // alone takes seconds on a busy 2-core machine (the longest test took ~30 s at a load average of 12). The timeout
    // only bounds a hang; room for a busy machine costs nothing when it is not busy.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
