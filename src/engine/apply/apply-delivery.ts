import type { Logger } from 'pino';
import type { DeliveryPlan } from '../../model/delivery.js';
import type { DeliveryLog, DeliveryWriter } from '../../model/ports.js';
import type { ProgressListener } from '../../model/progress.js';
import type { Clock } from '../../util/clock.js';
import { startPhase } from '../phase-progress.js';
import { isProductboardPermission, writeEach } from './productboard-writes.js';

/** The scope Productboard's entity update needs (`security` of updateEntity in the v2 entities document). */
export const WRITE_SCOPE = 'entities:write';

export interface DeliveryPorts {
  writer: DeliveryWriter;
  log: DeliveryLog;
  clock: Clock;
  logger: Logger;
  /** Told how the writes go (the `write-productboard` phase); absent: nobody is watching. */
  progress?: ProgressListener | undefined;
}

export interface DeliveryItemResult {
  pbId: string;
  name: string;
  jiraKey: string;
  outcome: 'written' | 'skipped' | 'failed';
  /** Why skipped or failed. */
  reason?: string;
}

export interface DeliveryResult {
  items: DeliveryItemResult[];
  written: number;
  skipped: number;
  failed: number;
  /** Why Productboard took no write at all (a token without the write scope); null when it did. */
  refused: string | null;
}

/**
 * Performs the Productboard writes of a plan, once the pass's Jira tree is settled. Each success is
 * recorded in the ledger as it happens (never before: a crash leaves the old record and the next
 * pass writes again); an entity deleted meanwhile is skipped with the reason; a token without the
 * write scope stops the writes with one message naming the scope, leaving the Jira side applied.
 */
export async function applyDelivery(plan: DeliveryPlan, ports: DeliveryPorts): Promise<DeliveryResult> {
  // Status records that need no write: the Jira side they follow is already done.
  ports.log.recordStatusSynced(plan.synced, ports.clock.now());
  const progress = startPhase(ports, { name: 'write-productboard' }, plan.writes.length);
  const { outcomes, refused } = await writeEach(plan.writes, {
    send: (write) => ports.writer.write(write),
    record: (write) => {
      ports.log.recordDelivered([{ pbId: write.pbId, values: write.values }], ports.clock.now());
      if (write.synced) ports.log.recordStatusSynced([{ pbId: write.pbId, synced: write.synced }], ports.clock.now());
    },
    refusal: (write, error) =>
      isProductboardPermission(error)
        ? `Productboard refused the update of ${write.name} (HTTP 403): the token lacks the \`${WRITE_SCOPE}\` scope needed to write delivery fields; give the token that scope, or remove \`writeBack\` from the mapping`
        : null,
    advance: (done, failed) => progress.advance(done, failed),
  });
  if (refused) ports.logger.error({ scope: WRITE_SCOPE }, 'productboard refused delivery writes: missing scope');
  const items = outcomes.map(({ write, ...outcome }): DeliveryItemResult => ({
    pbId: write.pbId,
    name: write.name,
    jiraKey: write.jiraKey,
    ...outcome,
  }));
  const count = (outcome: DeliveryItemResult['outcome']) => items.filter((i) => i.outcome === outcome).length;
  const result = { items, written: count('written'), skipped: count('skipped'), failed: count('failed'), refused };
  progress.finish({ written: result.written, skipped: result.skipped, failed: result.failed, unchanged: plan.unchanged });
  return result;
}
