import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync, type SyncReport } from '../../engine/run-sync.js';
import { formatDeliveryPlan, formatDeliveryResults } from '../../report/format-delivery.js';
import { formatPlan, formatResults } from '../../report/format-plan.js';
import { formatJiraTree } from '../../report/format-tree.js';
import { formatFindings } from '../../report/format-findings.js';
import { runReconcile } from '../../engine/run-reconcile.js';
import { formatSlackMessage } from '../../report/format-slack.js';
import { isWriteRoute, seedIds, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { loggerFor, processContext, requireConfig, type CliIo, type GlobalOptions } from '../context.js';
import type { Interrupts } from '../interrupts.js';

const rule = (title: string) => `\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}`;

const writesOf = (report: SyncReport): number =>
  Object.entries(report.requests)
    .filter(([route]) => isWriteRoute(route))
    .reduce((sum, [, stats]) => sum + stats.requests, 0);

/** Key, status and progress as Productboard shows them, for an Epic's item, a Story's and its Sub-tasks'. */
function deliveryShown(sandbox: Sandbox): string {
  const ids = [seedIds.initiatives.selfService, seedIds.featureWithSubfeatures, ...seedIds.subfeaturesOfFeature];
  return ids
    .map((id) => sandbox.productboard.state.get(id))
    .filter((e) => e !== undefined)
    .map((e) => {
      const f = e.customFields;
      const shown = (name: string) => (f[name] === undefined ? '—' : String(f[name]));
      return `  ${e.type.padEnd(10)} ${`"${e.name}"`.padEnd(30)} ${shown('Jira key').padEnd(7)} ${shown('Jira status').padEnd(12)} ${shown('Delivery progress')}%`;
    })
    .join('\n');
}

/**
 * The quick-start demo: starts the embedded sandbox (a local Productboard v2 + Jira Cloud v3 with a
 * seeded workspace), then runs the real engine against it: a dry run, a real sync, the resulting
 * Jira tree, and a rerun that must write nothing.
 */
export async function demoCommand(io: CliIo, globals: GlobalOptions, interrupts: Interrupts): Promise<number> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'pb-jira-sync-demo-'));
  try {
    const env = { ...io.env, ...sandbox.env(), PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite') };
    const config = requireConfig({ ...io, env }, undefined);
    const logger = loggerFor(io, globals.logLevel, config.secrets);
    // One set of services for the whole demo, as in any process: the reports count each step's own requests.
    const context = processContext(config, logger, interrupts);
    const sync = (dryRun: boolean) => runSync(context, { dryRun });

    io.stdout(
      `pb-jira-sync demo: sandbox Productboard at ${sandbox.productboard.url}, Jira at ${sandbox.jira.url} (project ${sandbox.jira.projectKey})`,
    );
    io.stdout(`ledger: ${config.ledgerPath}; mapping: ${config.mapping.file}`);

    io.stdout(rule('1. pb-jira-sync sync --dry-run   (the plan; nothing is written)'));
    const dry = await sync(true);
    io.stdout(formatPlan(dry));
    io.stdout(formatDeliveryPlan(dry.delivery, 5));
    io.stdout(`\nwrite requests sent: ${writesOf(dry)}`);

    io.stdout(rule('2. pb-jira-sync sync   (applies the plan)'));
    const first = await sync(false);
    io.stdout(formatPlan(first));
    io.stdout(formatResults(first));
    io.stdout(formatDeliveryPlan(first.delivery, 5));
    io.stdout(formatDeliveryResults(first.delivery));

    io.stdout(rule('3. The resulting Jira tree'));
    await context.services.jira.project();
    io.stdout(formatJiraTree(await context.services.jira.searchManaged()));

    io.stdout(rule('4. pb-jira-sync sync again   (idempotent: nothing to do)'));
    const again = await sync(false);
    io.stdout(formatPlan(again));
    io.stdout(`\nwrite requests sent: ${writesOf(again)}`);

    io.stdout(rule('5. Drift: a person moves a Story to another Epic; a product manager archives a feature'));
    const jiraState = sandbox.jira.state;
    const story = jiraState.issues().find((i) => i.summary === 'Partner welcome checklist');
    const otherEpic = jiraState.issues().find((i) => i.summary === 'Accessibility');
    const archived = sandbox.productboard.state.list('feature').find((f) => f.name === 'Budget alerts');
    if (story && otherEpic) jiraState.moveIssue(story.key, otherEpic.key);
    if (archived) sandbox.productboard.state.archive(archived.id);
    io.stdout(`moved ${story?.key} under ${otherEpic?.key}; archived "${archived?.name}" in Productboard`);

    io.stdout(rule('6. pb-jira-sync reconcile --alert   (exit 2: findings; Slack is told)'));
    const reconcile = (fix: boolean) => runReconcile(context, { alert: 'changes', fix, dryRun: false });
    io.stdout(formatFindings(await reconcile(false)));
    const alert = sandbox.slack.messages.at(-1);
    io.stdout('\nThe Slack message the sandbox received:');
    io.stdout(alert ? formatSlackMessage(alert.body) : '(none)');

    io.stdout(rule('7. pb-jira-sync reconcile --fix   (moves mis-parented issues back; never closes or deletes)'));
    io.stdout(formatFindings(await reconcile(true)));

    io.stdout(rule('Requests of the first sync, by endpoint'));
    for (const [route, stats] of Object.entries(first.requests)) io.stdout(`  ${String(stats.requests).padStart(4)}  ${route}`);
    io.stdout(rule('What Productboard now shows (the delivery fields of a few items)'));
    io.stdout(deliveryShown(sandbox));
    return first.apply.failed > 0 ? 1 : 0;
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
