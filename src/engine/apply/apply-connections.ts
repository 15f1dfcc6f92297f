import type { Logger } from 'pino';
import { isSyncError, messageOf, stopsPass } from '../../errors.js';
import type { ConnectionPlan, ConnectionWrite } from '../../model/connection.js';
import type { ConnectionLog, ConnectionWriter } from '../../model/ports.js';
import type { Clock } from '../../util/clock.js';
import { mapPool } from '../../util/map-pool.js';

/** Connection writes in flight: the Productboard lane of the HTTP policy paces them (shared with reads). */
const WRITES_IN_FLIGHT = 8;

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

export interface ConnectionResult {
  items: ConnectionItemResult[];
  written: number;
  skipped: number;
  failed: number;
  /** Why Productboard took no connection write at all (a token without the scope); null when it did. */
  refused: string | null;
}

/**
 * Performs the connection writes of a plan, each recorded in the ledger once Productboard took it
 * (a crash before leaves the old record: the next pass writes it again). An entity deleted
 * meanwhile is skipped with the reason; a token without the scope stops the writes with one
 * message naming it, the rest of the pass standing.
 */
export async function applyConnections(plan: ConnectionPlan, ports: ConnectionPorts): Promise<ConnectionResult> {
  const items: ConnectionItemResult[] = [];
  let refused: string | null = null;
  const one = async (write: ConnectionWrite): Promise<void> => {
    if (refused) return;
    const base = { pbId: write.pbId, name: write.name, state: write.to.state };
    try {
      const outcome = await ports.writer.writeConnection(write.pbId, write.to);
      if (!outcome.ok) {
        items.push({ ...base, outcome: 'skipped', reason: outcome.gone });
        return;
      }
      ports.log.recordConnections([{ pbId: write.pbId, record: write.record }], ports.clock.now());
      items.push({ ...base, outcome: 'written' });
    } catch (error) {
      if (isSyncError(error) && error.kind === 'permission' && error.service === 'productboard') {
        refused ??= `Productboard refused the connection of ${write.name} (HTTP 403): the token lacks the \`${CONNECTION_SCOPE}\` scope needed to keep the plugin-integration column; give the token that scope, or remove \`productboard.pluginIntegration\` from the config`;
        return;
      }
      if (isSyncError(error) && error.kind === 'config' && error.service === 'productboard') {
        refused ??= error.message;
        return;
      }
      if (stopsPass(error)) throw error;
      items.push({ ...base, outcome: 'failed', reason: messageOf(error) });
    }
  };
  await mapPool(plan.writes, WRITES_IN_FLIGHT, one);
  if (refused) ports.logger.error({ scope: CONNECTION_SCOPE }, 'productboard refused connection writes: missing scope');
  const count = (outcome: ConnectionItemResult['outcome']) => items.filter((i) => i.outcome === outcome).length;
  return { items, written: count('written'), skipped: count('skipped'), failed: count('failed'), refused };
}
