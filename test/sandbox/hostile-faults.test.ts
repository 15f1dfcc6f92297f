import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostileFault, Sandbox } from '../../src/sandbox/index.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { jira, jiraAuth, pb, slack } from './helpers.js';

// Issue 10: the hostile-server modes (FaultPlan.hostile), each aimed at one service and route: a trickled body, a
// request never answered, an absurd Retry-After, credentials echoed in an error body, an oversized page.

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const start = async (...hostile: HostileFault[]): Promise<Sandbox> => {
  sb = await startCheckedSandbox({ faults: { hostile } });
  return sb;
};

const SEARCH = { data: { filter: { type: ['feature'] } } };

/** Sends a Productboard search and reports the status, headers and the first `bytes` body chunks as they arrive. */
function firstChunks(s: Sandbox, bytes: number): Promise<{ status: number; contentLength: number; chunks: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/v2/entities/search', s.productboard.url);
    const req = request(
      url,
      { method: 'POST', headers: { Authorization: `Bearer ${s.productboard.token}`, 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (chunks.length === bytes) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, contentLength: Number(res.headers['content-length']), chunks });
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => {
      if (!req.destroyed) reject(e);
    });
    req.end(JSON.stringify(SEARCH));
  });
}

describe('hostile server modes', () => {
  it('trickle: headers with the full Content-Length at once, then the body one byte at a time', async () => {
    const s = await start({ kind: 'trickle', service: 'productboard', route: 'POST /v2/entities/search', byteEveryMs: 5 });
    const { status, contentLength, chunks } = await firstChunks(s, 6);
    expect(status).toBe(200);
    expect(contentLength).toBeGreaterThan(1000);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Buffer.concat(chunks).toString()).toBe('{"data');
    expect(s.requests[0]).toMatchObject({ route: 'POST /v2/entities/search', status: 200, fault: 'trickle' });
    // Other routes answer whole.
    expect((await pb(s, 'GET', '/v2/notes')).status).toBe(200);
  });

  it('hang: the request is read and never answered, until the client gives up; `count` limits it', async () => {
    const s = await start({ kind: 'hang', service: 'jira', route: 'GET /rest/api/3/project/{projectIdOrKey}', count: 1 });
    const path = `${s.jira.url}/rest/api/3/project/PBJ`;
    const headers = { Authorization: jiraAuth(s) };
    await expect(fetch(path, { headers, signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|aborted/i);
    expect(s.requests[0]).toMatchObject({ route: 'GET /rest/api/3/project/{projectIdOrKey}', status: 0, fault: 'hang' });
    // The second request is past the count: answered.
    expect((await fetch(path, { headers })).status).toBe(200);
  });

  it('closing the sandbox ends exchanges still hanging or trickling', async () => {
    const s = await start({ kind: 'hang', service: 'jira' }, { kind: 'trickle', service: 'productboard', byteEveryMs: 1000 });
    const hanging = fetch(`${s.jira.url}/rest/api/3/myself`, { headers: { Authorization: jiraAuth(s) } }).catch((e: unknown) => e);
    const trickling = pb(s, 'GET', '/v2/notes').catch((e: unknown) => e);
    while (s.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    await s.close();
    expect(await hanging).toBeInstanceOf(Error);
    expect(await trickling).toBeInstanceOf(Error);
  });

  it("retryAfter: the vendor's 429 or 503 with an absurd wait (seconds, beyond the timer range, an HTTP date), nothing processed", async () => {
    const s = await start(
      { kind: 'retryAfter', service: 'productboard', route: '/v2/entities/search', status: 429, retryAfter: '86400' },
      { kind: 'retryAfter', service: 'jira', route: 'POST /rest/api/3/issue', status: 503, retryAfter: 'Fri, 01 Jan 2100 00:00:00 GMT' },
      { kind: 'retryAfter', service: 'slack', status: 429, retryAfter: '99999999999' },
    );
    const search = await pb(s, 'POST', '/v2/entities/search', SEARCH);
    expect(search.status).toBe(429);
    expect(search.headers.get('retry-after')).toBe('86400');
    expect(search.body.errors[0]).toMatchObject({ code: 'rate.limitExceeded' });

    const create = await jira(s, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PBJ' }, issuetype: { name: 'Task' }, summary: 'never made' },
    });
    expect(create.status).toBe(503);
    expect(create.headers.get('retry-after')).toBe('Fri, 01 Jan 2100 00:00:00 GMT');
    expect(s.jira.state.issues()).toHaveLength(0);

    const hook = await slack(s.slack.webhookUrl, { text: 'alert' });
    expect(hook.status).toBe(429);
    expect(hook.text).toBe('rate_limited');
    expect(hook.headers.get('retry-after')).toBe('99999999999');
    expect(s.slack.messages).toHaveLength(0);
    expect(s.requests.map((r) => r.fault)).toEqual(['retryAfter', 'retryAfter', 'retryAfter']);
  });

  it('echoCredentials: Jira 401 as text and Productboard 403 as JSON, each quoting the Authorization header sent', async () => {
    const s = await start(
      { kind: 'echoCredentials', service: 'jira', route: 'GET /rest/api/3/myself' },
      { kind: 'echoCredentials', service: 'productboard' },
    );
    const me = await jira(s, 'GET', '/rest/api/3/myself');
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(me.text).toBe(`Unauthorized: header Authorization: ${jiraAuth(s)} was refused`);
    const entities = await pb(s, 'GET', '/v2/entities?type[]=feature');
    expect(entities.status).toBe(403);
    expect(entities.body.errors[0]).toMatchObject({
      code: 'auth.accessDenied',
      detail: expect.stringContaining(`Bearer ${s.productboard.token}`),
    });
    // Only the route aimed at: another Jira route answers normally.
    expect((await jira(s, 'GET', '/rest/api/3/statuscategory')).status).toBe(200);
  });

  it("oversized: the route's page with its items repeated to the size asked, streamed chunked, valid JSON", async () => {
    const bytes = 3 * 1024 * 1024;
    const s = await start(
      { kind: 'oversized', service: 'productboard', route: 'POST /v2/entities/search', bytes, count: 1 },
      { kind: 'oversized', service: 'jira', route: '/rest/api/3/search/jql', bytes: 200_000, count: 1 },
    );
    const res = await fetch(`${s.productboard.url}/v2/entities/search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.productboard.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(SEARCH),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const text = await res.text();
    expect(text.length).toBeGreaterThanOrEqual(bytes);
    expect(text.length).toBeLessThan(bytes + 64 * 1024);
    const page = JSON.parse(text) as { data: Array<{ id: string; type: string }>; links: { next: string | null } };
    const normal = (await pb(s, 'POST', '/v2/entities/search', SEARCH)).body as typeof page;
    expect(page.data.length).toBeGreaterThan(normal.data.length);
    expect(new Set(page.data.map((e) => e.id))).toEqual(new Set(normal.data.map((e) => e.id)));
    expect(page.data.slice(0, normal.data.length)).toEqual(normal.data);
    expect(page.links).toEqual(normal.links);
    expect(s.requests[0]).toMatchObject({ status: 200, fault: 'oversized' });

    await jira(s, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Task' }, summary: 'one' } });
    const big = await jira(s, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ', fields: ['summary'] });
    expect(big.text.length).toBeGreaterThanOrEqual(200_000);
    expect(big.body.issues.every((i: { key: string }) => i.key === 'PBJ-1')).toBe(true);
    expect((await jira(s, 'POST', '/rest/api/3/search/jql', { jql: 'project = PBJ', fields: ['summary'] })).body.issues).toHaveLength(1);
  });
});

describe('Slack messages over HTTP', () => {
  it('GET /messages lists what the webhook accepted; the control route is never faulted', async () => {
    const s = await start({ kind: 'hang', service: 'slack' });
    s.faults = {};
    await slack(s.slack.webhookUrl, { text: 'first' });
    s.faults = { hostile: [{ kind: 'hang', service: 'slack' }] };
    const listed = await fetch(s.slack.messagesUrl, { signal: AbortSignal.timeout(5000) });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ messages: [{ receivedAt: expect.any(Number), body: { text: 'first' } }] });
  });
});
