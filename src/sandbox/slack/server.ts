import { randomBytes } from 'node:crypto';
import { isRecord, type Call, type SimResponse } from '../kit/http.js';
import { startService, type HostedService } from '../kit/service-host.js';
import type { RequestLogEntry } from '../kit/request-log.js';
import type { SlackMessage, SlackMode, SlackWebhookBody } from './types.js';

// Slack incoming-webhook receiver (jira-api.md §11): success is 200 with the plain-text body `ok`; errors are
// plain-text codes (invalid_payload, no_service, channel_is_archived, rate_limited) that clients must classify
// by body, and a 429 carries Retry-After.

export interface SlackBox {
  webhookUrl: string;
  messages: SlackMessage[];
  mode: SlackMode;
}

const MAX_BLOCKS = 50; // @slack/types chunk.ts "Maximum of 50 blocks"
const MAX_HEADER_TEXT = 150; // header block plain_text limit
const MAX_SECTION_TEXT = 3000; // section.text limit
const MAX_SECTION_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;

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

function parsePayload(call: Call): SlackWebhookBody | undefined {
  let raw = call.body.toString('utf8');
  // Incoming webhooks also accept a form-encoded `payload=<json>` body.
  if (String(call.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    raw = new URLSearchParams(raw).get('payload') ?? '';
  }
  try {
    const v: unknown = JSON.parse(raw);
    return isRecord(v) ? (v as SlackWebhookBody) : undefined;
  } catch {
    return undefined;
  }
}

function textOf(v: unknown): string | undefined {
  return isRecord(v) && typeof v['text'] === 'string' ? v['text'] : undefined;
}

/** Needs non-empty `text` or `blocks`; enforces the Block Kit limits Slack rejects on. */
export function payloadProblem(body: SlackWebhookBody): string | undefined {
  const hasText = typeof body.text === 'string' && body.text.trim() !== '';
  const blocks = body.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return 'blocks must be an array';
  if (!hasText && (!blocks || blocks.length === 0)) return 'no text or blocks';
  if (!blocks) return undefined;
  if (blocks.length > MAX_BLOCKS) return 'too many blocks';
  for (const b of blocks) {
    if (!isRecord(b) || typeof b['type'] !== 'string') return 'block without type';
    if (b['type'] === 'header') {
      const t = textOf(b['text']);
      if (t === undefined || t.length > MAX_HEADER_TEXT) return 'header text missing or too long';
    }
    if (b['type'] === 'section') {
      const t = textOf(b['text']);
      if (t !== undefined && t.length > MAX_SECTION_TEXT) return 'section text too long';
      const fields = b['fields'];
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length > MAX_SECTION_FIELDS) return 'too many section fields';
        if (fields.some((f) => (textOf(f)?.length ?? 0) > MAX_FIELD_TEXT)) return 'section field too long';
      }
      if (t === undefined && fields === undefined) return 'section needs text or fields';
    }
  }
  return undefined;
}
