import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { slack } from './helpers.js';

describe('Slack incoming-webhook receiver', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('accepts text or blocks with 200 "ok" and records the message', async () => {
    const r = await slack(sb.slack.webhookUrl, {
      text: 'Sync finished',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Sync' } }],
    });
    expect(r.status).toBe(200);
    expect(r.text).toBe('ok');
    expect(sb.slack.messages.at(-1)?.body.text).toBe('Sync finished');
    expect(typeof sb.slack.messages.at(-1)?.receivedAt).toBe('number');
  });

  it('rejects invalid payloads with 400 invalid_payload', async () => {
    const before = sb.slack.messages.length;
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    const bad = [
      {},
      { text: '' },
      { blocks: [] },
      { text: 'x', blocks: Array.from({ length: 51 }, () => section(1)) },
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      { text: 'x', blocks: [section(3001)] },
      'not json',
    ];
    for (const body of bad) {
      const r = await slack(sb.slack.webhookUrl, body);
      expect(r.status).toBe(400);
      expect(r.text).toBe('invalid_payload');
    }
    expect((await slack(sb.slack.webhookUrl, { text: 'x', blocks: [section(3000)] })).status).toBe(200);
    expect(sb.slack.messages.length).toBe(before + 1);
  });

  it('honours the mutable mode', async () => {
    sb.slack.mode = 'rate-limited';
    const limited = await slack(sb.slack.webhookUrl, { text: 'a' });
    expect(limited.status).toBe(429);
    expect(limited.text).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(sb.slack.mode).toBe('ok');
    expect((await slack(sb.slack.webhookUrl, { text: 'a' })).status).toBe(200);

    sb.slack.mode = 'no_service';
    expect(await slack(sb.slack.webhookUrl, { text: 'a' })).toMatchObject({ status: 404, text: 'no_service' });
    sb.slack.mode = 'archived';
    expect(await slack(sb.slack.webhookUrl, { text: 'a' })).toMatchObject({ status: 410, text: 'channel_is_archived' });
    sb.slack.mode = 'ok';
  });

  it('answers 404 no_service on any other path and logs requests without the secret', async () => {
    const wrong = sb.slack.webhookUrl.replace(/[^/]+$/, 'nope');
    expect(await slack(wrong, { text: 'a' })).toMatchObject({ status: 404, text: 'no_service' });
    const routes = sb.requests.filter((q) => q.service === 'slack').map((q) => q.route);
    expect(routes).toContain('POST /slack/webhook/T000/B000/{secret}');
  });
});
