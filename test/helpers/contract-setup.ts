import { afterAll, afterEach } from 'vitest';
import { checkWatched, forgetWatched } from './contract-guard.js';

// Registered for every test file (vitest.config.ts setupFiles): the after-test contract check of contract-guard.ts.
afterEach(() => {
  checkWatched();
});
afterAll(() => {
  forgetWatched();
});
