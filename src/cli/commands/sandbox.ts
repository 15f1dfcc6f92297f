import { writeFileSync } from 'node:fs';
import { formatEnv, serveSandbox } from '../../sandbox/serve.js';
import type { CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

/**
 * `pb-jira-sync sandbox`: runs the simulators until interrupted and prints the environment that
 * points the CLI at them (`--port-file` also writes it, mode 0600, for `. FILE` in another shell).
 */
export async function sandboxCommand(io: CliIo, options: { portFile?: string }, interrupts: Interrupts): Promise<number> {
  const sandbox = await serveSandbox({ format: 'shell', print: io.stdout });
  io.stdout('# Ctrl-C stops it.');
  if (options.portFile) writeFileSync(options.portFile, `${formatEnv(sandbox.env(), 'shell')}\n`, { mode: 0o600 });
  if (!interrupts.stop.aborted) await new Promise((resolve) => interrupts.stop.addEventListener('abort', resolve, { once: true }));
  await sandbox.close();
  return 0;
}
