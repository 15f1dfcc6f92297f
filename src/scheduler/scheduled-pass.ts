import { isInterruption, isSyncError } from '../errors.js';
import { TooManyChanges, refusalAlert } from '../engine/change-limit.js';
import { headline, withPass, type PassContext } from '../engine/pass.js';
import { reconcilePass } from '../engine/run-reconcile.js';
import { syncCounts, syncPass } from '../engine/run-sync.js';
import { stuckItems } from '../engine/stuck-items.js';
import type { StuckItem } from '../model/stuck-item.js';
import { reportHealth } from './health-alert.js';
import { writeScheduledReport } from './scheduled-report.js';
import { reportStuckItems } from './stuck-alert.js';

export type PassOutcome =
  /** `degraded`: the pass finished, but `stuck` items could not be brought into Jira. */
  | { status: 'succeeded' | 'degraded'; counts: Record<string, number>; stuck: StuckItem[] }
  | { status: 'failed' | 'interrupted'; error: string }
  | { status: 'skipped'; reason: string };

/**
 * One scheduled pass, in one envelope (one lease, one ledger connection, one run record): sync, then
 * reconcile with alerts against the sync's view of Productboard, then the delivery report (when
 * `report.out` is set), then the alerts about stuck items and health. Never throws: the scheduler goes on.
 */
export async function runScheduledPass(context: PassContext, nextRun: () => string | null): Promise<PassOutcome> {
  try {
    return await withPass(
      context,
      {
        command: 'scheduled pass',
        dryRun: false,
        counts: (outcome) => ('counts' in outcome ? outcome.counts : {}),
        stuck: (outcome) => ('stuck' in outcome ? outcome.stuck : []),
      },
      async (pass) => {
        pass.logger.info('scheduled pass started');
        try {
          const sync = await syncPass(pass);
          // Productboard does not change because we wrote to Jira: reconcile reuses the sync's view of it.
          const reconcile = await reconcilePass(pass, { alert: 'changes', fix: false, source: sync.graph });
          const counts = { ...syncCounts(sync), findings: reconcile.findings.length };
          const stuck = stuckItems(sync);
          pass.logger.info({ counts }, 'scheduled pass finished');
          await writeScheduledReport(pass, reconcile.world);
          await reportStuckItems(pass, stuck);
          await reportHealth(pass, null, nextRun());
          return { status: stuck.length ? 'degraded' : 'succeeded', counts, stuck };
        } catch (error) {
          const message = headline(error, context.config.secrets);
          if (isInterruption(error)) {
            pass.logger.warn({ error: message }, 'scheduled pass interrupted');
          } else if (!isSyncError(error) || error.kind !== 'conflict') {
            // (A conflict, another writer holding the Jira lease, skips this tick below: no failure to alert.)
            pass.logger.error({ error: message }, 'scheduled pass failed');
            // A pass refused for writing too much says so (once, like any failing streak), with what it would have written.
            const refused = error instanceof TooManyChanges ? refusalAlert(context.config.jira.project, error.refusal) : undefined;
            await reportHealth(pass, message, nextRun(), refused);
          }
          throw error;
        }
      },
    );
  } catch (error) {
    if (isSyncError(error) && error.kind === 'conflict') {
      context.logger.warn({ reason: error.message }, 'pass skipped: another pass holds the lease');
      return { status: 'skipped', reason: error.message };
    }
    return { status: isInterruption(error) ? 'interrupted' : 'failed', error: headline(error, context.config.secrets) };
  }
}
