import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SyncError, exitCodeFor } from '../errors.js';
import { errorJson } from '../report/error-json.js';
import { jsonText } from '../util/untrusted-text.js';
import { packageRoot } from '../util/package-root.js';
import { installInterrupts } from './interrupts.js';
import type { CliIo, GlobalOptions } from './context.js';
import type { SandboxCommandOptions } from './commands/sandbox.js';
import type { SyncCommandOptions } from './commands/sync.js';

/**
 * The CLI entry. Exit codes: 0 success, 1 error (config, auth, network, API), 130 interrupted
 * before the command finished; `reconcile` adds 2 for "findings"; `schedule` exits 0 after a clean
 * stop. `early`: signals the launcher received before this module was loaded.
 */
export async function main(argv: string[], io?: CliIo, early: readonly NodeJS.Signals[] = []): Promise<number> {
  // First, before loading anything slow: a SIGTERM during start-up must end the command cleanly.
  const interrupts = installInterrupts(undefined, early);
  const context = await import('./context.js');
  const cli = io ?? context.processIo();
  let exitCode = 0;
  const program = new Command()
    .name('pb-jira-sync')
    .description('Keep Jira epics, stories and sub-tasks in step with the Productboard hierarchy.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--config <file>', 'config file (default: the shipped config/default.yaml, which reads the environment)')
    .addOption(
      new Option('--log-level <level>', 'log level for stderr (JSON lines)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => cli.stdout(s), writeErr: (s) => cli.stderr(s) })
    .showHelpAfterError();

  // `--config` and `--log-level` are global: accepted before or after the command name.
  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

  program
    .command('sync')
    .description('one pass: pull Productboard, plan, apply to Jira, record in the ledger')
    .option('--dry-run', 'print the plan; send no write request to Jira and change no ledger link')
    .option('--out <file>', 'with --dry-run: save the complete plan to this file, for review and --plan')
    .option('--plan <file>', 'apply exactly the plan saved with --out; refused, naming what changed, if Productboard or Jira changed since')
    .option('--max-changes <n>', 'refuse (and alert) when the plan would create, update or move more issues than this', positiveCount)
    .option('--detailed-exitcode', 'with --dry-run: exit 0 when there is nothing to do, 2 when changes are pending, 1 on error')
    .option('--full-read', 'read everything in both services this pass, not only what changed since the last one')
    .option('--summary', 'print the counts only, not every action')
    .option('--quiet', 'no progress display on stderr (nor progress log lines off a terminal)')
    .option('--json', 'print exactly one JSON document on stdout (logs go to stderr)')
    .action(async (options: SyncCommandOptions, command: Command) => {
      const { syncCommand } = await import('./commands/sync.js');
      exitCode = await syncCommand(cli, { ...options, ...globals(command) }, interrupts);
    });

  program
    .command('reconcile')
    .description('find orphaned, mis-parented, wrong-level, unparented, ambiguous, missing and untracked items (exit 2 when any)')
    .option('--alert [mode]', 'post new and resolved findings to Slack; --alert=all posts the full digest')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--fix', 'move mis-parented and wrong-level issues back under their expected parent')
    .option('--dry-run', 'change nothing (no Jira move, no Slack post, no ledger update); show what would happen')
    .action(async (options: { alert?: boolean | string; json?: boolean; fix?: boolean; dryRun?: boolean }, command: Command) => {
      const { reconcileCommand } = await import('./commands/reconcile.js');
      exitCode = await reconcileCommand(cli, { ...options, ...globals(command) }, interrupts);
    });

  program
    .command('schedule')
    .description('run passes (sync, then reconcile with alerts) on the configured cron schedule until stopped')
    .action(async (_options: unknown, command: Command) => {
      const { scheduleCommand } = await import('./commands/schedule.js');
      exitCode = await scheduleCommand(cli, globals(command), interrupts);
    });

  program
    .command('status')
    .description('show the last passes, the next scheduled time, the lease, open findings and the link count')
    .option('--json', 'print one JSON document, for monitoring')
    .option('--limit <n>', 'how many runs to show (1-1000)', runCount, 10)
    .option('--jira', 'also ask Jira who holds the Jira-side lease of the project (needs the Jira credentials; read-only)')
    .action(async (options: { json?: boolean; limit: number; jira?: boolean }, command: Command) => {
      const { statusCommand } = await import('./commands/status.js');
      exitCode = await statusCommand(cli, { ...options, ...globals(command) }, interrupts);
    });

  program
    .command('history')
    .description('what the runs changed, item by item, each field before → after (from the ledger; no credentials needed)')
    .option('--run <id>', 'one run: its id, or the start of it as `status` shows it')
    .option('--item <key-or-id>', 'one item: its Jira key or its Productboard id')
    .option('--limit <n>', 'how many runs to show (1-1000)', runCount, 10)
    .option('--json', 'print one JSON document')
    .action(async (options: { run?: string; item?: string; limit: number; json?: boolean }, command: Command) => {
      const { historyCommand } = await import('./commands/history.js');
      exitCode = await historyCommand(cli, { ...options, ...globals(command) });
    });

  program
    .command('report')
    .description('write the delivery report per value stream: tree, status, progress, insights, backlog health (read-only)')
    .addOption(
      new Option('--format <format>', 'html (one self-contained page), md (Confluence, GitHub) or json').choices(['html', 'md', 'json']),
    )
    .option('--out <file>', 'write to this file (replaced atomically) instead of stdout; its extension picks the format')
    .option('--stale-days <n>', 'an open item not updated for this many days is stale (default: report.staleDays, 30)', staleDays)
    .action(async (options: { format?: 'html' | 'md' | 'json'; out?: string; staleDays?: number }, command: Command) => {
      const { reportCommand } = await import('./commands/report.js');
      exitCode = await reportCommand(cli, { ...options, ...globals(command) }, interrupts);
    });

  program
    .command('validate')
    .description('check the config and mapping files; list every problem with file and location')
    .argument('[mappings...]', 'extra mapping files to check')
    .option('--offline', 'only check the files, do not contact Jira or Productboard')
    .action(async (mappings: string[], options: { offline?: boolean }, command: Command) => {
      const { validateCommand } = await import('./commands/validate.js');
      exitCode = await validateCommand(cli, { ...options, ...globals(command) }, mappings, interrupts);
    });

  program
    .command('serve')
    .description("the plugin integration's action endpoint: Productboard's probe and its push / unlink / dismiss buttons")
    .option('--port <n>', 'port to listen on', portNumber, 8080)
    .option('--host <address>', 'address to listen on (a reverse proxy terminates HTTPS in front)', '127.0.0.1')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM) instead of plain HTTP')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .action(async (options: { port: number; host: string; tlsCert?: string; tlsKey?: string }, command: Command) => {
      const { serveCommand } = await import('./commands/serve.js');
      exitCode = await serveCommand(cli, { ...options, ...globals(command) }, interrupts);
    });

  program
    .command('plugin-integration')
    .description('create the configured Productboard plugin integration (Productboard probes `serve` at its action URL first)')
    .argument('<action>', 'create')
    .action(async (action: string, _options: unknown, command: Command) => {
      const { pluginIntegrationCommand } = await import('./commands/plugin-integration.js');
      exitCode = await pluginIntegrationCommand(cli, action, globals(command), interrupts);
    });

  program
    .command('demo')
    .description('start the embedded sandbox and run a real sync against it (no credentials needed)')
    .action(async (_options: unknown, command: Command) => {
      const { demoCommand } = await import('./commands/demo.js');
      exitCode = await demoCommand(cli, globals(command), interrupts);
    });

  program
    .command('tree')
    .description('print the Jira issues pb-jira-sync manages in the project, as a tree (read-only)')
    .action(async (_options: unknown, command: Command) => {
      const { treeCommand } = await import('./commands/tree.js');
      exitCode = await treeCommand(cli, globals(command), interrupts);
    });

  program
    .command('sandbox')
    .description('run the sandbox servers (Productboard, Jira, Slack) and print the environment to use')
    .option('--port-file <file>', 'also write the environment to this file')
    .option('--generate <n>', 'a generated workspace of this many items instead of the seed', generatedItems)
    .option('--latency <ms>', 'add this many milliseconds to every response', latencyMs)
    .option('--rate-limits', "enforce the vendors' rate limits (answered 429 with Retry-After)")
    .option('--level2 <name>', 'add a Jira issue type at hierarchy level 2, above Epic (e.g. Initiative)')
    .action(async (options: SandboxCommandOptions) => {
      const { sandboxCommand } = await import('./commands/sandbox.js');
      exitCode = await sandboxCommand(cli, options, interrupts);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    return failed(error, argv, cli, context.reportFailure);
  } finally {
    interrupts.dispose();
  }
  return exitCode;
}

/**
 * The exit code of a failure, once it is reported: on stderr, and with `--json` also as the one
 * JSON document on stdout (a usage error included). Commander has already printed its own errors.
 */
function failed(error: unknown, argv: string[], cli: CliIo, report: (io: CliIo, error: unknown, json: boolean) => void): number {
  const options = argv.slice(2);
  const json = options.slice(0, options.includes('--') ? options.indexOf('--') : undefined).includes('--json');
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    if (json) cli.stdout(jsonText(errorJson(new SyncError('config', error.message.replace(/^error: /, ''))), 2));
    return 1;
  }
  report(cli, error, json);
  return exitCodeFor(error);
}

/** `--max-changes`: a whole number of issues, at least 1. */
function positiveCount(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of issues, at least 1.');
  return Number(value);
}

/** `sandbox --generate`: 1 to 200,000 items (the benchmark's workspace is 16,000). */
function generatedItems(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 200_000)
    throw new InvalidArgumentError('expected a whole number of items from 1 to 200000.');
  return Number(value);
}

/** `sandbox --latency`: 0 to 60,000 ms. */
function latencyMs(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 60_000) throw new InvalidArgumentError('expected milliseconds from 0 to 60000.');
  return Number(value);
}

/** `--limit`: a whole number of runs; anything else is a usage error, not a failed query. */
function runCount(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 1000) {
    throw new InvalidArgumentError('expected a whole number from 1 to 1000.');
  }
  return Number(value);
}

/** `--port`: 0 (any free port) to 65535. */
function portNumber(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return Number(value);
}

/** `--stale-days`: a whole number of days, like the config's `report.staleDays`. */
function staleDays(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 3650)
    throw new InvalidArgumentError('expected a whole number of days from 1 to 3650.');
  return Number(value);
}

const packageVersion = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
