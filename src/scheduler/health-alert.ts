import { postToSlack } from '../alerts/slack-webhook.js';
import { escapeMrkdwn, type SlackPayload } from '../alerts/slack-message.js';
import type { EngineConfig } from '../config/load-config.js';
import { HttpPolicy } from '../http/policy.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import { DEFAULT_LANES } from '../http/lanes.js';
import type { Clock } from '../util/clock.js';

/** Whether scheduled passes are failing, and since when: kept in the ledger across restarts. */
export interface Health {
  state: 'ok' | 'failing';
  since: number;
  lastError: string | null;
}

const HEALTH_KEY = 'schedule.health';

const payload = (title: string, detail: string): SlackPayload => ({
  text: escapeMrkdwn(`${title}: ${detail}`),
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(detail).slice(0, 3000) } },
  ],
});

/**
 * Tells Slack when scheduled passes start failing (once, not every tick) and when they recover.
 * A silent sync bot is the top complaint about the tools we replace (peers-and-pain-points §2).
 */
export async function reportHealth(ledger: Ledger, config: EngineConfig, clock: Clock, logger: Logger, error: string | null, nextRun: string | null): Promise<void> {
  const previous = ledger.getMeta<Health>(HEALTH_KEY) ?? { state: 'ok', since: clock.now(), lastError: null };
  const now = clock.now();
  let message: SlackPayload | undefined;
  if (error && previous.state === 'ok') {
    ledger.setMeta(HEALTH_KEY, { state: 'failing', since: now, lastError: error } satisfies Health);
    message = payload(`pb-jira-sync · ${config.jira.project}: scheduled pass failed`, `${error}\nNext attempt: ${nextRun ?? 'unknown'}. You will hear again when a pass succeeds.`);
  } else if (error) {
    ledger.setMeta(HEALTH_KEY, { ...previous, lastError: error } satisfies Health);
  } else if (previous.state === 'failing') {
    ledger.setMeta(HEALTH_KEY, { state: 'ok', since: now, lastError: null } satisfies Health);
    const minutes = Math.max(1, Math.round((now - previous.since) / 60_000));
    message = payload(`pb-jira-sync · ${config.jira.project}: scheduled passes recovered`, `The pass succeeded again after failing for about ${minutes} minute${minutes === 1 ? '' : 's'}. Last error: ${previous.lastError ?? 'unknown'}`);
  }
  if (!message || !config.slack.webhookUrl) return;
  const policy = new HttpPolicy({ clock, logger, lanes: DEFAULT_LANES });
  const outcome = await postToSlack(config.slack.webhookUrl, message, policy, config.http.timeoutMs);
  if (!outcome.ok) logger.warn({ error: outcome.error }, 'health alert not delivered');
}

export const readHealth = (ledger: Ledger): Health | undefined => ledger.getMeta<Health>(HEALTH_KEY);
