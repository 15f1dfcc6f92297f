import type { Pass } from '../engine/pass.js';
import type { StuckItem } from '../model/stuck-item.js';

/** The stuck items people were last told about, by Productboard id: kept in the ledger across restarts. */
const ALERTED_KEY = 'schedule.stuck';

type Alerted = Record<string, StuckItem>;

/** An item Productboard returned without an id is known by its name. */
const keyOf = (item: StuckItem): string => item.pbId || `(no id) ${item.name}`;

/**
 * Tells people about items scheduled passes cannot bring into Jira: once when an item gets stuck
 * (with Jira's reason), nothing while it stays stuck, and once more when it is no longer stuck.
 * What was told is remembered only when Slack took the message, so an undelivered alert is sent
 * again by the next pass.
 */
export async function reportStuckItems(pass: Pass, stuck: readonly StuckItem[]): Promise<void> {
  const ledger = pass.ledger;
  if (!ledger) return;
  const alerted = ledger.getMeta<Alerted>(ALERTED_KEY) ?? {};
  const now = new Map(stuck.map((item) => [keyOf(item), item]));
  const fresh = [...now].flatMap(([key, item]) => (alerted[key] ? [] : [item]));
  const resolved = Object.entries(alerted).flatMap(([key, item]) => (now.has(key) ? [] : [item]));
  if (!fresh.length && !resolved.length) return;
  const notifier = pass.writers.notifier;
  if (notifier.unavailable) return;
  const project = pass.config.jira.project;
  const outcome = await notifier.notify({ kind: 'items-stuck', project, stuck: fresh, resolved, stuckTotal: stuck.length });
  if (outcome.status === 'delivered') ledger.setMeta(ALERTED_KEY, Object.fromEntries(now) satisfies Alerted);
  else if (outcome.status === 'failed') pass.logger.warn({ error: outcome.error }, 'stuck items alert not delivered');
}
