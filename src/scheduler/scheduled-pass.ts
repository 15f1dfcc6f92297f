import { randomUUID } from 'node:crypto';
import type { EngineConfig } from '../config/load-config.js';
import { describeError, isSyncError } from '../errors.js';
import { Ledger } from '../ledger/ledger.js';
import { PASS_LEASE } from '../ledger/lease.js';
import type { Logger } from '../log/logger.js';
import { runReconcile } from '../engine/run-reconcile.js';
import { runSync } from '../engine/run-sync.js';
import { reportHealth } from './health-alert.js';
import type { Clock } from '../util/clock.js';


export type PassOutcome =
  | { status: 'succeeded'; counts: Record<string, number> }
  | { status: 'failed' | 'interrupted'; error: string }
  | { status: 'skipped'; reason: string };

export interface PassOptions {
  config: EngineConfig;
  clock: Clock;
  logger: Logger;
  /** Identifies this process in the lease (host:pid). */
  holder: string;
  signal?: AbortSignal;
  cancel?: AbortSignal;
  /** When the scheduler will try again, for the failure alert. */
  nextRun: () => string | null;
}

/**
 * One scheduled pass: take the ledger lease (or skip, saying who holds it), sync, reconcile with
 * alerts, and record the pass with its counts or its error. Never throws: the scheduler goes on.
 */
export async function runScheduledPass(options: PassOptions): Promise<PassOutcome> {
  const { config, clock, logger, holder } = options;
  const ledger = Ledger.open(config.ledgerPath);
  try {
    return await ledger.leases.hold(PASS_LEASE, holder, clock, config.schedule.leaseSeconds * 1000, () => pass(options, ledger));
  } catch (error) {
    if (isSyncError(error) && error.kind === 'conflict') {
      logger.warn({ reason: error.message }, 'pass skipped: another pass holds the lease');
      return { status: 'skipped', reason: error.message };
    }
    throw error;
  } finally {
    ledger.close();
  }
}

async function pass(options: PassOptions, ledger: Ledger): Promise<PassOutcome> {
  const { config, clock } = options;
  const runId = randomUUID();
  const log = options.logger.child({ passId: runId });
  ledger.startRun(runId, 'scheduled pass', clock.now());
  log.info('scheduled pass started');
  try {
    const common = { config, clock, logger: log, withinPass: true, ...(options.signal ? { signal: options.signal } : {}), ...(options.cancel ? { cancel: options.cancel } : {}) };
    const sync = await runSync({ ...common, dryRun: false });
    // Productboard does not change because we wrote to Jira: reconcile reuses the sync's view of it.
    const reconcile = await runReconcile({ ...common, alert: 'changes', fix: false, dryRun: false, source: sync.graph });
    const counts = { ...sync.plan.counts, applied: sync.apply.applied, failed: sync.apply.failed, pending: sync.apply.pending, findings: reconcile.findings.length };
    ledger.finishRun(runId, 'succeeded', clock.now(), counts, null);
    log.info({ counts }, 'scheduled pass finished');
    await reportHealth(ledger, config, clock, log, null, options.nextRun());
    return { status: 'succeeded', counts };
  } catch (error) {
    const interrupted = isSyncError(error) && error.kind === 'interrupted';
    const message = describeError(error).split('\n')[0]!;
    ledger.finishRun(runId, interrupted ? 'interrupted' : 'failed', clock.now(), null, message);
    if (interrupted) {
      log.warn({ error: message }, 'scheduled pass interrupted');
      return { status: 'interrupted', error: message };
    }
    log.error({ error: message }, 'scheduled pass failed');
    await reportHealth(ledger, config, clock, log, message, options.nextRun());
    return { status: 'failed', error: message };
  }
}
