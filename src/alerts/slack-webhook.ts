import axios from 'axios';
import { isPermanent, isSyncError } from '../errors.js';
import type { HttpPolicy } from '../http/policy.js';
import type { SlackPayload } from './slack-message.js';

export type DeliveryOutcome = { ok: true } | { ok: false; permanent: boolean; error: string };

// Slack answers webhook errors with a plain-text code (reference/jira-api.md §11). These mean the
// webhook itself is unusable: retrying cannot help, a person must fix the Slack side.
const EXPLAIN: Record<string, string> = {
  invalid_payload: 'Slack refused the message format',
  no_service: 'the webhook was removed or disabled; create a new one and update SLACK_WEBHOOK_URL',
  no_service_id: 'the webhook URL is incomplete; check SLACK_WEBHOOK_URL',
  no_team: 'the Slack workspace behind the webhook is gone',
  team_disabled: 'the Slack workspace behind the webhook is disabled',
  invalid_token: 'the webhook URL is not valid; check SLACK_WEBHOOK_URL',
  channel_not_found: 'the webhook\'s channel no longer exists',
  channel_is_archived: 'the webhook\'s channel is archived',
  action_prohibited: 'a Slack admin restricted posting to that channel',
  posting_to_general_channel_denied: 'posting to that channel is restricted',
  user_not_found: 'the webhook\'s user no longer exists',
};

/**
 * Posts to a Slack incoming webhook through the shared HTTP policy, so 429 Retry-After and 5xx
 * retries are handled there. The URL is a secret: it is never part of a route name or a message.
 * Never throws for Slack's own failures: an alert that cannot be delivered must not fail a sync.
 */
export async function postToSlack(webhookUrl: string, payload: SlackPayload, policy: HttpPolicy, timeoutMs: number): Promise<DeliveryOutcome> {
  try {
    await policy.execute({ service: 'slack', method: 'POST', route: 'POST slack incoming webhook', idempotent: true }, (signal) =>
      axios.post(webhookUrl, payload, { timeout: timeoutMs, maxRedirects: 0, headers: { 'Content-Type': 'application/json' }, responseType: 'text', ...(signal ? { signal } : {}) }),
    );
    return { ok: true };
  } catch (error) {
    if (!isSyncError(error)) return { ok: false, permanent: false, error: 'the alert could not be sent (unexpected error)' };
    const body = (error.cause as { body?: unknown } | undefined)?.body;
    const code = typeof body === 'string' ? body.trim() : '';
    const permanent = isPermanent(error);
    const why = EXPLAIN[code] ?? (code ? `Slack answered "${code.slice(0, 80)}"` : error.message);
    return { ok: false, permanent, error: `Slack rejected the alert${error.status ? ` (HTTP ${error.status}${code ? ` ${code}` : ''})` : ''}: ${why}` };
  }
}
