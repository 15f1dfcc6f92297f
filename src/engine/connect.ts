import type { ConnectionPlan } from '../model/connection.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import { applyConnections, type ConnectionResult } from './apply/apply-connections.js';
import type { ApplyResult } from './apply/context.js';
import { tallyFields } from './apply/productboard-writes.js';
import { planConnections } from './connection-planner.js';
import { treeAfterApply } from './deliver.js';
import type { Pass } from './pass.js';

/** The plugin-integration column of a sync: the connection writes planned and (in a real pass) what they did. */
export interface ConnectionReport {
  plan: ConnectionPlan;
  result: ConnectionResult;
}

/**
 * The column, next to the delivery fields and once the pass's Jira tree is settled: planned by a pure
 * function of the same Jira tree and roll-up, plus what Jira refused this pass, applied through the
 * pass's connection writer (a dry run's only remembers). Null when no integration is configured.
 * `scope`: a push's pass, which keeps only the pushed item and its ancestors.
 */
export async function connect(
  pass: Pass,
  decided: { desired: DesiredTree; observed: ObservedTree; plan: Plan },
  apply: ApplyResult,
  scope?: ReadonlySet<string>,
): Promise<ConnectionReport | null> {
  if (!pass.config.productboard.pluginIntegration) return null;
  const { issues, keys } = treeAfterApply(decided.observed, decided.plan, apply);
  const refused = new Map(apply.results.flatMap((r) => (r.outcome === 'failed' ? [[r.pbId, r.error ?? 'no reason given'] as const] : [])));
  const host = pass.config.jira.host.replace(/\/+$/, '');
  const plan = planConnections({
    desired: decided.desired,
    issues,
    keys,
    refused,
    written: pass.ledger?.connections() ?? new Map(),
    browseUrl: (key) => `${host}/browse/${encodeURIComponent(key)}`,
    ...(scope ? { scope } : {}),
  });
  const result = await applyConnections(plan, {
    writer: pass.writers.connections,
    log: pass.writers.connectionLog,
    clock: pass.clock,
    logger: pass.logger,
  });
  pass.logger.info(tallyFields(plan.writes.length, result), 'productboard connections written');
  return { plan, result };
}
