import { formatJiraTree } from '../../report/format-tree.js';
import { scrubSecrets } from '../../util/secrets.js';
import { loggerFor, processContext, requireConfig, type CliIo, type GlobalOptions } from '../context.js';
import type { Interrupts } from '../interrupts.js';

/**
 * `pb-jira-sync tree`: the issues pb-jira-sync manages in the configured Jira project, as a tree
 * (epics, their stories, their sub-tasks, with key, type, summary and status). Read-only: no
 * ledger, no lease, no write; Jira is the only service asked.
 */
export async function treeCommand(io: CliIo, globals: GlobalOptions, interrupts: Interrupts): Promise<number> {
  const config = requireConfig(io, globals.config);
  const logger = loggerFor(io, globals.logLevel, config.secrets);
  const { services } = processContext(config, logger, interrupts);
  // The project first: a wrong key or credentials are reported as such, not as an empty tree.
  await services.jira.project();
  io.stdout(scrubSecrets(formatJiraTree(await services.jira.searchManaged()), config.secrets));
  return 0;
}
