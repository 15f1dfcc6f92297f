import type { Logger } from 'pino';
import { isSyncError } from '../../errors.js';
import type { ConnectionPlan, ConnectionWrite } from '../../model/connection.js';
import type { ConnectionLog, ConnectionWriter } from '../../model/ports.js';
import type { Clock } from '../../util/clock.js';
import { isProductboardPermission, tally, writeEach, type WriteTally } from './productboard-writes.js';

/** The scope setting a connection needs (`security` of the connection PUT and DELETE in the plugin-integrations document). */
export const CONNECTION_SCOPE = 'plugin-integrations:write';

export interface ConnectionPorts {
  writer: ConnectionWriter;
  log: ConnectionLog;
  clock: Clock;
  logger: Logger;
}

export interface ConnectionItemResult {
  pbId: string;
  name: string;
  state: ConnectionWrite['to']['state'];
  outcome: 'written' | 'skipped' | 'failed';
  reason?: string;
}

export type ConnectionResult = WriteTally<ConnectionItemResult>;

/**
 * Performs the connection writes of a plan, each recorded in the ledger once Productboard took it
 * (a crash before leaves the old record: the next pass writes it again). An entity deleted
 * meanwhile is skipped with the reason; a token without the scope stops the writes with one
 * message naming it, the rest of the pass standing.
 */
export async function applyConnections(plan: ConnectionPlan, ports: ConnectionPorts): Promise<ConnectionResult> {
  const { outcomes, refused } = await writeEach(plan.writes, {
    send: (write) => ports.writer.writeConnection(write.pbId, write.to),
    record: (write) => ports.log.recordConnections([{ pbId: write.pbId, record: write.record }], ports.clock.now()),
    refusal: (write, error) => {
      if (isProductboardPermission(error))
        return `Productboard refused the connection of ${write.name} (HTTP 403): the token lacks the \`${CONNECTION_SCOPE}\` scope needed to keep the plugin-integration column; give the token that scope, or remove \`productboard.pluginIntegration\` from the config`;
      // The integration itself cannot be found or used: no connection of this pass can be written.
      return isSyncError(error) && error.kind === 'config' && error.service === 'productboard' ? error.message : null;
    },
  });
  if (refused) ports.logger.error({ scope: CONNECTION_SCOPE }, 'productboard refused connection writes: missing scope');
  const items = outcomes.map(({ write, ...outcome }): ConnectionItemResult => ({
    pbId: write.pbId,
    name: write.name,
    state: write.to.state,
    ...outcome,
  }));
  return tally(items, refused);
}
