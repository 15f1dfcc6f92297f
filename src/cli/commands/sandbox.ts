import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SyncError } from '../../errors.js';
import { withLevelTwo } from '../../sandbox/jira/profiles.js';
import { workspaceOfSize } from '../../sandbox/productboard/generate-workspace.js';
import { formatEnv, serveSandbox, type ServeSandboxOptions } from '../../sandbox/serve.js';
import type { CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

export interface SandboxCommandOptions {
  portFile?: string;
  /** A generated workspace of this many items instead of the seed. */
  generate?: number;
  latency?: number;
  rateLimits?: boolean;
  /** A Jira issue type at hierarchy level 2 (above Epic), e.g. Initiative. */
  level2?: string;
}

/**
 * `pb-jira-sync sandbox [--generate N] [--latency MS] [--rate-limits] [--level2 NAME]`: runs the
 * simulators until interrupted and prints the environment that points the CLI at them
 * (`--port-file` also writes it, mode 0600, for `. FILE` in another shell).
 * A port file that cannot be written is an error before anything is served: a script waiting for
 * the file would otherwise wait forever while the sandbox runs.
 */
export async function sandboxCommand(io: CliIo, options: SandboxCommandOptions, interrupts: Interrupts): Promise<number> {
  const portFile = options.portFile === undefined ? undefined : resolve(io.cwd, options.portFile);
  if (portFile) checkFolder(portFile);
  const sandbox = await serveSandbox({ format: 'shell', print: io.stdout, ...sandboxOptions(io, options) });
  try {
    if (portFile) writePortFile(portFile, `${formatEnv(sandbox.env(), 'shell')}\n`);
    io.stdout('# Ctrl-C stops it.');
    if (!interrupts.stop.aborted) await new Promise((resolve) => interrupts.stop.addEventListener('abort', resolve, { once: true }));
  } finally {
    await sandbox.close();
  }
  return 0;
}

/** The options as the sandbox takes them, each said in a comment line of the printed environment. */
function sandboxOptions(io: CliIo, options: SandboxCommandOptions): ServeSandboxOptions {
  const serve: ServeSandboxOptions = {};
  if (options.level2 !== undefined) {
    try {
      serve.jira = withLevelTwo(options.level2);
    } catch (error) {
      throw new SyncError('config', `--level2 ${options.level2}: ${(error as Error).message}`);
    }
  }
  if (options.generate !== undefined) {
    serve.generate = workspaceOfSize(options.generate);
    const { initiatives, features, subfeatures, notes } = serve.generate;
    io.stdout(
      `# Generated workspace: ${options.generate} items (${initiatives} initiatives, ${features} features, ${subfeatures} subfeatures), ${notes} notes`,
    );
  }
  if (options.latency !== undefined || options.rateLimits) {
    serve.latencyMs = options.latency ?? 0;
    serve.enforceRateLimits = Boolean(options.rateLimits);
    io.stdout(`# Latency ${serve.latencyMs} ms per response; the vendors’ rate limits are ${serve.enforceRateLimits ? 'on' : 'off'}`);
  }
  if (options.level2 !== undefined) io.stdout(`# Jira: ${options.level2.trim()} at hierarchy level 2, above Epic`);
  return serve;
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
