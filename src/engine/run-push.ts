import { messageOf } from '../errors.js';
import { Ledger } from '../ledger/ledger.js';
import { scrubSecrets } from '../util/secrets.js';
import type { Connection, ConnectionHold } from '../model/connection.js';
import { syncCounts, syncPass, type SyncReport } from './run-sync.js';
import { stuckItems } from './stuck-items.js';
import { withPass, type PassContext } from './pass.js';

// The buttons of the plugin-integration column, as `serve` carries them out. A push syncs that one
// item now, through the same planner and applier as every pass (a pass kept to the item and its
// ancestors, under both leases), after the endpoint has answered `progress`; the pass then writes
// the final state. Unlink and dismiss are answered `initial` at once and remembered in the ledger,
// so later passes do not put back what the person took away (mappings/README.md, "The column").

/** What a pushed item's connection shows while its pass runs: written to the ledger before the answer. */
export const PROGRESS: Connection = { state: 'progress' };

/**
 * Records what the answer to a press makes Productboard show (it applies the answer as if we had
 * written it), with the hold the press asks for: the next pass compares with it.
 */
export function recordPress(context: PassContext, pbId: string, connection: Connection, hold: ConnectionHold | null): void {
  const ledger = Ledger.open(context.config.ledgerPath, { secrets: context.config.secrets });
  try {
    ledger.recordConnections([{ pbId, record: { connection, hold } }], context.clock.now());
  } finally {
    ledger.close();
  }
}

/**
 * The pass behind a push. The item's connection ends `connected` or `error` whatever happens: a pass
 * that cannot run (another holds the lease) or that leaves the item out (the mapping does not sync
 * it) writes an error saying why, so the button never stays spinning.
 */
export async function runPush(context: PassContext, pbId: string): Promise<SyncReport | null> {
  const spec = { command: 'serve push', dryRun: false, counts: syncCounts, stuck: stuckItems };
  try {
    return await withPass<SyncReport>(context, spec, async (pass) => {
      const report = await syncPass(pass, { focus: pbId });
      if (!report.desired.issues.has(pbId)) {
        const skip = report.desired.skipped.find((s) => s.pbId === pbId);
        await settle(context, pbId, `Not synced to Jira: ${skip ? skip.detail : 'the mapping does not sync this item'}`);
      } else if (pass.ledger?.connections().get(pbId)?.connection.state === 'progress') {
        await settle(context, pbId, 'Not in Jira yet: the next pass finishes it (its create awaits Jira)');
      }
      return report;
    });
  } catch (error) {
    context.logger.error({ pbId, error: messageOf(error) }, 'push: pass failed');
    await settle(context, pbId, `The sync could not run: ${scrubSecrets(messageOf(error), context.config.secrets)}`).catch((e: unknown) =>
      context.logger.error({ pbId, error: messageOf(e) }, 'push: could not write the error connection'),
    );
    return null;
  }
}

/** An error on the item's button, written and recorded. */
async function settle(context: PassContext, pbId: string, message: string): Promise<void> {
  const connection: Connection = { state: 'error', message: message.slice(0, 255) };
  const outcome = await context.services.connections.writeConnection(pbId, connection);
  if (outcome.ok) recordPress(context, pbId, connection, null);
}
