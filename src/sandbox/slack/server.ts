import { randomBytes } from 'node:crypto';
import type { FaultInjector, FaultResponses } from '../kit/faults.js';
import type { SandboxClock } from '../kit/clock.js';
import { json, type Call, type SimResponse } from '../kit/http.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { startService, type HostedService } from '../kit/service-host.js';
import { parsePayload, payloadProblem } from './payload.js';
import type { SlackMessage, SlackMode } from './types.js';

// Slack incoming-webhook receiver (https://api.slack.com/messaging/webhooks): success is 200 with the plain-text body
// `ok`; errors are plain-text codes (invalid_payload, no_service, channel_is_archived, rate_limited) that clients must
// classify by body (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks), and a 429
// carries Retry-After.
// `GET /messages` on the same port is the sandbox's own control route (not Slack's): the messages received so far, as
// JSON, for a person or a script driving the sandbox from outside the process.

export interface SlackBox {
  webhookUrl: string;
  /** GET: `{ messages: SlackMessage[] }`, every message accepted so far. */
  messagesUrl: string;
  messages: SlackMessage[];
  mode: SlackMode;
}

const text = (status: number, body: string, headers?: Record<string, string>): SimResponse =>
  headers ? { status, text: body, headers } : { status, text: body };

/** Slack's answers to the hostile modes aimed at the webhook (kit/faults.ts); Slack never gets the probabilistic faults. */
export const SLACK_FAULT_RESPONSES: FaultResponses = {
  tooManyRequests: () => text(429, 'rate_limited', { 'Retry-After': '1' }),
  unavailable: (headers) => text(503, 'service_unavailable', headers),
};

const MESSAGES_PATH = '/messages';

export async function startSlackServer(
  log: RequestLogEntry[],
  clock: SandboxClock,
  latencyMs: number,
  faults: FaultInjector,
): Promise<{ hosted: HostedService; box: SlackBox }> {
  const secret = randomBytes(12).toString('hex');
  const hookPath = `/slack/webhook/T000/B000/${secret}`;
  const box: SlackBox = { webhookUrl: '', messagesUrl: '', messages: [], mode: 'ok' };

  const handle = (call: Call): SimResponse => {
    if (call.method !== 'POST' || call.path !== hookPath) return text(404, 'no_service');
    switch (box.mode) {
      case 'no_service':
        return text(404, 'no_service');
      case 'archived':
        return text(410, 'channel_is_archived');
      case 'rate-limited':
        box.mode = 'ok'; // one 429, then recovered
        return text(429, 'rate_limited', { 'Retry-After': '1' });
      default:
        break;
    }
    const body = parsePayload(call);
    if (!body || payloadProblem(body)) return text(400, 'invalid_payload');
    box.messages.push({ receivedAt: call.now, body });
    return text(200, 'ok');
  };

  const hosted = await startService({
    service: 'slack',
    // The webhook secret is part of the path; keep it out of the logged route template.
    match: (method, path) => {
      if (path === hookPath) return { kind: 'found', route: `${method} /slack/webhook/T000/B000/{secret}`, params: {}, handler: handle };
      if (method === 'GET' && path === MESSAGES_PATH)
        return {
          kind: 'found',
          route: `GET ${MESSAGES_PATH}`,
          params: {},
          handler: () => json(200, { messages: box.messages }),
          control: true,
        };
      return { kind: 'not-found', route: `${method} <unmatched>` };
    },
    log,
    clock,
    latencyMs,
    faults,
    notFound: () => text(404, 'no_service'),
    methodNotAllowed: () => text(404, 'no_service'),
    internalError: () => text(500, 'rollup_error'),
  });
  box.webhookUrl = `${hosted.url}${hookPath}`;
  box.messagesUrl = `${hosted.url}${MESSAGES_PATH}`;
  return { hosted, box };
}
