import { afterEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

// A sandbox per test, closed after it: for suites whose tests each need their own Jira site.

export function sandboxPerTest(): (options?: SandboxOptions) => Promise<Sandbox> {
  let current: Sandbox | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startSandbox(options);
    return current;
  };
}
