import type { Pass } from '../engine/pass.js';
import type { Alert } from '../model/alert.js';
import type { MetaStore } from '../ledger/meta-store.js';

/** Whether scheduled passes are failing, and since when: kept in the ledger across restarts. */
export interface Health {
  state: 'ok' | 'failing';
  since: number;
  lastError: string | null;
}

const HEALTH_KEY = 'schedule.health';

/**
 * Tells people when scheduled passes start failing (once, not every tick) and when they recover:
 * a sync bot that fails silently is worse than none. `failureAlert`: what to say instead of the
 * generic "pass failed" when the failure has its own message (a pass refused for writing too much).
 */
export async function reportHealth(pass: Pass, error: string | null, nextRun: string | null, failureAlert?: Alert): Promise<void> {
  const ledger = pass.ledger;
  if (!ledger) return;
  const now = pass.clock.now();
  const previous = ledger.getMeta<Health>(HEALTH_KEY) ?? { state: 'ok', since: now, lastError: null };
  const project = pass.config.jira.project;
  let alert: Alert | undefined;
  if (error && previous.state === 'ok') {
    ledger.setMeta(HEALTH_KEY, { state: 'failing', since: now, lastError: error } satisfies Health);
    alert = failureAlert ?? { kind: 'pass-failing', project, error, nextRun };
  } else if (error) {
    ledger.setMeta(HEALTH_KEY, { ...previous, lastError: error } satisfies Health);
  } else if (previous.state === 'failing') {
    ledger.setMeta(HEALTH_KEY, { state: 'ok', since: now, lastError: null } satisfies Health);
    alert = { kind: 'pass-recovered', project, failingForMs: now - previous.since, lastError: previous.lastError };
  }
  const notifier = pass.writers.notifier;
  if (!alert || notifier.unavailable) return;
  const outcome = await notifier.notify(alert);
  if (outcome.status === 'failed') pass.logger.warn({ error: outcome.error }, 'health alert not delivered');
}

export const readHealth = (ledger: MetaStore): Health | undefined => ledger.getMeta<Health>(HEALTH_KEY);
