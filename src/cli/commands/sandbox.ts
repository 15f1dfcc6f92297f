import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SyncError } from '../../errors.js';
import { formatEnv, serveSandbox } from '../../sandbox/serve.js';
import type { CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

/**
 * `pb-jira-sync sandbox`: runs the simulators until interrupted and prints the environment that
 * points the CLI at them (`--port-file` also writes it, mode 0600, for `. FILE` in another shell).
 * A port file that cannot be written is an error before anything is served: a script waiting for
 * the file would otherwise wait forever while the sandbox runs.
 */
export async function sandboxCommand(io: CliIo, options: { portFile?: string }, interrupts: Interrupts): Promise<number> {
  const portFile = options.portFile === undefined ? undefined : resolve(io.cwd, options.portFile);
  if (portFile) checkFolder(portFile);
  const sandbox = await serveSandbox({ format: 'shell', print: io.stdout });
  try {
    if (portFile) writePortFile(portFile, `${formatEnv(sandbox.env(), 'shell')}\n`);
    io.stdout('# Ctrl-C stops it.');
    if (!interrupts.stop.aborted) await new Promise((resolve) => interrupts.stop.addEventListener('abort', resolve, { once: true }));
  } finally {
    await sandbox.close();
  }
  return 0;
}

function checkFolder(file: string): void {
  const folder = dirname(file);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new SyncError('config', `cannot write the port file ${file}: the folder ${folder} does not exist`);
}

function writePortFile(file: string, text: string): void {
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch (error) {
    throw new SyncError(
      'config',
      `cannot write the port file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
