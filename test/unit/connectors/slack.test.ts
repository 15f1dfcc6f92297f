import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { slackMessage, MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT } from '../../../connectors/slack/block-kit.js';
import { SlackNotifier } from '../../../connectors/slack/webhook.js';
import type { Alert } from '../../../src/model/alert.js';
import { HttpPolicy } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { guardNetwork } from '../../helpers/nock-guard.js';
import type { Finding, FindingKind } from '../../../src/model/finding.js';
import { VirtualClock } from '../../../src/util/clock.js';

guardNetwork();

// Only what the message shows matters here; the kinds' own fields are the reconciler's business.
const finding = (n: number, kind: FindingKind = 'mis-parented', name = `Feature ${n}`): Finding =>
  ({
    kind,
    pbId: `pb-${n}`,
    pbName: name,
    pbUrl: `https://acme.productboard.com/entity-detail/${n}`,
    jiraId: String(n),
    jiraKey: `PBJ-${n}`,
    jiraUrl: `https://acme.atlassian.net/browse/PBJ-${n}`,
    expectedParent: 'PBJ-1',
    actualParent: 'PBJ-2',
    message: `PBJ-${n} is under PBJ-2, but Productboard places it under PBJ-1 ("Epic")`,
    suggestion: 'Run reconcile --fix',
    fix: null,
  }) as Finding;

const textOf = (payload: ReturnType<typeof slackMessage>) => JSON.stringify(payload.blocks);
const buildAlert = (input: Omit<Extract<Alert, { kind: 'findings' }>, 'kind'>) => slackMessage({ kind: 'findings', ...input });

describe('Slack alert message', () => {
  it('has a header, counts per kind, findings grouped with links to both systems, and a text fallback', () => {
    const payload = buildAlert({
      project: 'PBJ',
      findings: [finding(5), finding(6, 'orphaned')],
      resolved: [],
      digest: false,
      openTotal: 2,
    });
    expect(payload.blocks[0]).toMatchObject({ type: 'header', text: { text: 'pb-jira-sync · PBJ: 2 new hierarchy findings' } });
    expect(payload.text).toBe('pb-jira-sync · PBJ: 2 new hierarchy findings (1 mis-parented, 1 orphaned)');
    const all = textOf(payload);
    expect(all).toContain('<https://acme.atlassian.net/browse/PBJ-5|PBJ-5>');
    expect(all).toContain('<https://acme.productboard.com/entity-detail/5|Feature 5>');
    expect(all.indexOf('Mis-parented* (1)')).toBeLessThan(all.indexOf('Orphaned* (1)'));
  });

  it('escapes <, > and & in names so they cannot break links or mention people', () => {
    const payload = buildAlert({
      project: 'PBJ',
      findings: [finding(7, 'unparented', 'R&D <b>bold</b> <!channel>')],
      resolved: [],
      digest: false,
      openTotal: 1,
    });
    const all = textOf(payload);
    expect(all).toContain('R&amp;D &lt;b&gt;bold&lt;/b&gt; &lt;!channel&gt;');
    expect(all).not.toContain('<!channel>');
  });

  it('stays within 50 blocks, 3000-character sections and a 150-character header, saying how many were left out', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      finding(
        i + 10,
        (['mis-parented', 'orphaned', 'untracked', 'unparented'] as const)[i % 4],
        `A rather long feature name number ${i} ${'x'.repeat(80)}`,
      ),
    );
    const payload = buildAlert({
      project: `P${'X'.repeat(200)}`,
      findings: many,
      resolved: many.slice(0, 30),
      digest: true,
      openTotal: 2000,
    });
    expect(payload.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const block of payload.blocks) {
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
    }
    const shownLines = payload.blocks
      .filter((b) => b.type === 'section')
      .flatMap((b) => (b.type === 'section' ? b.text!.text.split('\n') : []))
      .filter((l) => l.startsWith('•'));
    const more = payload.blocks.find((b) => b.type === 'section' && b.text!.text.startsWith('…and '));
    expect(more && more.type === 'section' && more.text!.text).toBe(
      `…and ${2030 - shownLines.length} more. Run \`pb-jira-sync reconcile\` for the full list.`,
    );
  });

  it('lists resolved findings separately', () => {
    const payload = buildAlert({ project: 'PBJ', findings: [], resolved: [finding(3)], digest: false, openTotal: 0 });
    expect(payload.text).toBe('pb-jira-sync · PBJ: 0 new hierarchy findings, 1 resolved');
    expect(textOf(payload)).toContain('Resolved since the last alert* (1)');
  });
});

describe('Slack delivery', () => {
  const HOOK = 'https://hooks.slack.test';
  const PATH = '/services/T000/B000/secretpart';
  const policy = (clock = new VirtualClock()) =>
    new HttpPolicy({ clock, logger: silentLogger(), lanes: { default: { concurrency: 1, ratePerSecond: Infinity } }, random: () => 0.5 });
  const alert: Alert = { kind: 'findings', project: 'PBJ', findings: [finding(1)], resolved: [], digest: false, openTotal: 1 };
  const payload = slackMessage(alert);
  const notify = (policyUsed: HttpPolicy) => new SlackNotifier({ webhookUrl: `${HOOK}${PATH}`, policy: policyUsed }).notify(alert);

  it('posts JSON with text and blocks and accepts 200 ok', async () => {
    nock(HOOK)
      .post(PATH, (body) => body.text === payload.text && body.blocks.length === payload.blocks.length)
      .reply(200, 'ok');
    expect(await notify(policy())).toEqual({ status: 'delivered' });
  });

  it('waits out a 429 Retry-After, then delivers', async () => {
    const clock = new VirtualClock();
    nock(HOOK).post(PATH).reply(429, 'rate_limited', { 'Retry-After': '4' }).post(PATH).reply(200, 'ok');
    const start = clock.now();
    expect(await notify(policy(clock))).toEqual({ status: 'delivered' });
    expect(clock.now() - start).toBeGreaterThanOrEqual(4000);
  });

  it('reports a removed webhook (404 no_service) as permanent, without retrying or naming the URL', async () => {
    nock(HOOK).post(PATH).reply(404, 'no_service');
    const outcome = await notify(policy());
    expect(outcome).toEqual({
      status: 'failed',
      permanent: true,
      error:
        'Slack rejected the alert (HTTP 404 no_service): the webhook was removed or disabled; create a new one and update SLACK_WEBHOOK_URL',
    });
    expect(JSON.stringify(outcome)).not.toContain('secretpart');
  });

  describe('issue 9 §11: a webhook post is sent again only when Slack cannot have received it', () => {
    it('connection refused before sending: retried, then delivered', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
      nock(HOOK).post(PATH).replyWithError(refused).post(PATH).reply(200, 'ok');
      expect(await notify(policy())).toEqual({ status: 'delivered' });
      expect(nock.isDone()).toBe(true);
    });

    it.each([
      ['a 500 after sending', (scope: nock.Interceptor) => scope.reply(500, 'internal_error')],
      ['a 503 after sending', (scope: nock.Interceptor) => scope.reply(503, 'service_unavailable', { 'Retry-After': '1' })],
      [
        'a connection reset after sending',
        (scope: nock.Interceptor) => scope.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
      ],
    ])('%s: not sent again (it may have been posted), reported as not delivered', async (_, answer) => {
      answer(nock(HOOK).post(PATH));
      // A second post would find no interceptor and fail the test through the network guard.
      const outcome = await notify(policy());
      expect(outcome).toMatchObject({
        status: 'failed',
        permanent: false,
        error: expect.stringContaining('may or may not have reached Slack'),
      });
      expect(nock.isDone()).toBe(true);
    });
  });

  it('reports an archived channel (410) as permanent', async () => {
    nock(HOOK).post(PATH).reply(410, 'channel_is_archived');
    expect(await notify(policy())).toMatchObject({ status: 'failed', permanent: true, error: expect.stringContaining('archived') });
  });
});

describe('Slack health messages', () => {
  it('says a scheduled pass failed, with the error and the next attempt, and later that passes recovered', () => {
    const failing = slackMessage({
      kind: 'pass-failing',
      project: 'PBJ',
      error: 'error [auth] Jira GET /rest/api/3/project/{key}: HTTP 401 <b>',
      nextRun: '2026-11-23T20:15:00.000Z',
    });
    expect(failing.blocks[0]).toMatchObject({ type: 'header', text: { text: 'pb-jira-sync · PBJ: scheduled pass failed' } });
    expect(textOf(failing)).toContain(
      'HTTP 401 &lt;b&gt;\\nNext attempt: 2026-11-23T20:15:00.000Z. You will hear again when a pass succeeds.',
    );
    const recovered = slackMessage({ kind: 'pass-recovered', project: 'PBJ', failingForMs: 5 * 60_000, lastError: 'boom' });
    expect(recovered.text).toBe(
      'pb-jira-sync · PBJ: scheduled passes recovered: The pass succeeded again after failing for about 5 minutes. Last error: boom',
    );
  });
});
