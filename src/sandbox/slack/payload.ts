import { isRecord, type Call } from '../kit/http.js';
import type { SlackWebhookBody } from './types.js';

// What an incoming webhook accepts: a JSON body (or form field `payload=<json>`) with non-empty `text` or `blocks`,
// within the Block Kit limits Slack rejects on (https://api.slack.com/reference/block-kit/blocks).

const MAX_BLOCKS = 50; // per message
const MAX_HEADER_TEXT = 150; // header block plain_text limit
const MAX_SECTION_TEXT = 3000; // section.text limit
const MAX_SECTION_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;

export function parsePayload(call: Call): SlackWebhookBody | undefined {
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
