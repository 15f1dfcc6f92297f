import { Command, CommanderError, Option } from 'commander';
import { exitCodeFor } from '../errors.js';
import { processIo, reportFailure, type CliIo } from './context.js';

/**
 * The CLI entry. Exit codes: 0 success, 1 error (config, auth, network, API); `reconcile` adds 2
 * for "findings"; an interrupted command exits 130.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('pb-jira-sync')
    .description('Keep Jira epics, stories and sub-tasks in step with the Productboard hierarchy.')
    .addOption(new Option('--log-level <level>', 'log level for stderr (JSON lines)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();

  const globals = () => program.opts<{ logLevel?: string }>();

  program
    .command('sync')
    .description('one pass: pull Productboard, plan, apply to Jira, record in the ledger')
    .option('--dry-run', 'print the plan; send no write request to Jira and change no ledger link')
    .option('--json', 'print exactly one JSON document on stdout (logs go to stderr)')
    .option('--config <file>', 'config file (default: the shipped config/default.yaml, which reads the environment)')
    .action(async (options: { dryRun?: boolean; json?: boolean; config?: string }) => {
      const { syncCommand } = await import('./commands/sync.js');
      const result = await syncCommand(io, { ...options, ...globals() });
      exitCode = result.code;
    });

  program
    .command('reconcile')
    .description('find orphaned, mis-parented, wrong-level, unparented, ambiguous, missing and untracked items (exit 2 when any)')
    .option('--alert [mode]', 'post new and resolved findings to Slack; --alert=all posts the full digest')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--fix', 'move mis-parented and wrong-level issues back under their expected parent')
    .option('--dry-run', 'change nothing (no Jira move, no Slack post, no ledger update); show what would happen')
    .option('--config <file>', 'config file')
    .action(async (options: { alert?: boolean | string; json?: boolean; fix?: boolean; dryRun?: boolean; config?: string }) => {
      const { reconcileCommand } = await import('./commands/reconcile.js');
      exitCode = await reconcileCommand(io, { ...options, ...globals() });
    });

  program
    .command('schedule')
    .description('run passes (sync, then reconcile with alerts) on the configured cron schedule until stopped')
    .option('--config <file>', 'config file')
    .action(async (options: { config?: string }) => {
      const { scheduleCommand } = await import('./commands/schedule.js');
      exitCode = await scheduleCommand(io, { ...options, ...globals() });
    });

  program
    .command('status')
    .description('show the last passes, the next scheduled time, the lease, open findings and the link count')
    .option('--json', 'print one JSON document, for monitoring')
    .option('--limit <n>', 'how many runs to show', '10')
    .option('--config <file>', 'config file')
    .action(async (options: { config?: string; json?: boolean; limit?: string }) => {
      const { statusCommand } = await import('./commands/status.js');
      exitCode = await statusCommand(io, options);
    });

  program
    .command('validate')
    .description('check the config and mapping files; list every problem with file and location')
    .argument('[mappings...]', 'extra mapping files to check')
    .option('--config <file>', 'config file')
    .option('--offline', 'only check the files, do not contact Jira or Productboard')
    .action(async (mappings: string[], options: { config?: string; offline?: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      exitCode = await validateCommand(io, options, mappings);
    });

  program
    .command('demo')
    .description('start the embedded sandbox and run a real sync against it (no credentials needed)')
    .action(async () => {
      const { demoCommand } = await import('./commands/demo.js');
      exitCode = await demoCommand(io, globals());
    });

  program
    .command('sandbox')
    .description('run the sandbox servers (Productboard, Jira, Slack) and print the environment to use')
    .option('--port-file <file>', 'also write the environment to this file')
    .action(async (options: { portFile?: string }) => {
      const { sandboxCommand } = await import('./commands/sandbox.js');
      exitCode = await sandboxCommand(io, options);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    reportFailure(io, error);
    return exitCodeFor(error);
  }
  return exitCode;
}
