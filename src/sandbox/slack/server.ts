import { randomBytes } from 'node:crypto';
import type { Call, SimResponse } from '../kit/http.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import { startService, type HostedService } from '../kit/service-host.js';
import { parsePayload, payloadProblem } from './payload.js';
import type { SlackMessage, SlackMode } from './types.js';

// Slack incoming-webhook receiver (https://api.slack.com/messaging/webhooks): success is 200 with the plain-text body
// `ok`; errors are plain-text codes (invalid_payload, no_service, channel_is_archived, rate_limited) that clients must
// classify by body (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks), and a 429
// carries Retry-After.

export interface SlackBox {
  webhookUrl: string;
  messages: SlackMessage[];
  mode: SlackMode;
}

const text = (status: number, body: string, headers?: Record<string, string>): SimResponse =>
  headers ? { status, text: body, headers } : { status, text: body };

export async function startSlackServer(log: RequestLogEntry[], latencyMs: number): Promise<{ hosted: HostedService; box: SlackBox }> {
  const secret = randomBytes(12).toString('hex');
  const hookPath = `/slack/webhook/T000/B000/${secret}`;
  const box: SlackBox = { webhookUrl: '', messages: [], mode: 'ok' };

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
    match: (method, path) =>
      path === hookPath
        ? { kind: 'found', route: `${method} /slack/webhook/T000/B000/{secret}`, params: {}, handler: handle }
        : { kind: 'not-found', route: `${method} <unmatched>` },
    log,
    latencyMs,
    notFound: () => text(404, 'no_service'),
    methodNotAllowed: () => text(404, 'no_service'),
    internalError: () => text(500, 'rollup_error'),
  });
  box.webhookUrl = `${hosted.url}${hookPath}`;
  return { hosted, box };
}
