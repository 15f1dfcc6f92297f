import axios from 'axios';
import { isPermanent, isSyncError } from '../../src/errors.js';
import type { HttpPolicy } from '../../src/http/policy.js';
import type { Alert, DeliveryOutcome } from '../../src/model/alert.js';
import type { Notifier } from '../../src/model/ports.js';
import { slackMessage, type SlackPayload } from './block-kit.js';

// Slack answers webhook errors with a plain-text code (https://api.slack.com/messaging/webhooks#handling_errors). These mean the
// webhook itself is unusable: retrying cannot help, a person must fix the Slack side.
const EXPLAIN: Record<string, string> = {
  invalid_payload: 'Slack refused the message format',
  no_service: 'the webhook was removed or disabled; create a new one and update SLACK_WEBHOOK_URL',
  no_service_id: 'the webhook URL is incomplete; check SLACK_WEBHOOK_URL',
  no_team: 'the Slack workspace behind the webhook is gone',
  team_disabled: 'the Slack workspace behind the webhook is disabled',
  invalid_token: 'the webhook URL is not valid; check SLACK_WEBHOOK_URL',
  channel_not_found: "the webhook's channel no longer exists",
  channel_is_archived: "the webhook's channel is archived",
  action_prohibited: 'a Slack admin restricted posting to that channel',
  posting_to_general_channel_denied: 'posting to that channel is restricted',
  user_not_found: "the webhook's user no longer exists",
};

export interface SlackWebhookOptions {
  /** The incoming webhook URL: a secret, never part of a route name, a log line or a message. */
  webhookUrl: string;
  policy: HttpPolicy;
}

/**
 * The Notifier behind Slack incoming webhooks: the engine's alerts as Block Kit messages, posted
 * through the shared HTTP policy, so 429 Retry-After waits are handled there. Never throws for
 * Slack's own failures: an alert that cannot be delivered must not fail a pass.
 */
export class SlackNotifier implements Notifier {
  readonly unavailable = null;

  constructor(private readonly options: SlackWebhookOptions) {}

  notify(alert: Alert): Promise<DeliveryOutcome> {
    return postToSlack(this.options, slackMessage(alert));
  }
}

export async function postToSlack(options: SlackWebhookOptions, payload: SlackPayload): Promise<DeliveryOutcome> {
  const { webhookUrl, policy } = options;
  try {
    // A webhook post is not idempotent (docs/vendor-notes.md §9): it is sent again only when Slack
    // cannot have received it (connection refused) or refused it unread (429); after a timeout or a
    // 5xx the message may have been posted, and a second copy would be noise in the channel.
    await policy.execute({ service: 'slack', method: 'POST', route: 'POST slack incoming webhook', idempotent: false }, (signal) =>
      axios.post(webhookUrl, payload, {
        maxRedirects: 0,
        maxContentLength: policy.limits.maxResponseBytes,
        headers: { 'Content-Type': 'application/json' },
        responseType: 'text',
        ...(signal ? { signal } : {}),
      }),
    );
    return { status: 'delivered' };
  } catch (error) {
    if (!isSyncError(error)) return { status: 'failed', permanent: false, error: 'the alert could not be sent (unexpected error)' };
    if (error.kind === 'ambiguous')
      return {
        status: 'failed',
        permanent: false,
        error: `the alert may or may not have reached Slack (${error.message}); not sent again`,
      };
    const body = (error.cause as { body?: unknown } | undefined)?.body;
    // Slack's error codes are short words; anything else is vendor text, cut and scrubbed.
    const code = policy.scrub(typeof body === 'string' ? body.trim().slice(0, 80) : '');
    const why = EXPLAIN[code] ?? (code ? `Slack answered "${code}"` : error.message);
    return {
      status: 'failed',
      permanent: isPermanent(error),
      error: `Slack rejected the alert${error.status ? ` (HTTP ${error.status}${code ? ` ${code}` : ''})` : ''}: ${why}`,
    };
  }
}
