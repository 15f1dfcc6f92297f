import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { createIssue, jira, pb } from './helpers.js';
import { VirtualClock } from '../../src/util/clock.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

// The rate-limit tests hold the sandbox's clock still: a burst is judged at one instant however long a busy machine takes
// to deliver it (a bucket would otherwise refill while the burst is in flight), and time moves only when the test moves
// it, to show when the limits let requests through again.
const stillClock = () => new VirtualClock(Date.parse('2026-03-02T09:00:00Z'));

describe('enforced rate limits', () => {
  it('Productboard: 50 requests per second per token, then 429 with Retry-After and X-RateLimit-*', async () => {
    const clock = stillClock();
    sb = await startCheckedSandbox({ enforceRateLimits: true, clock });
    const s = sb;
    const burst = () => Promise.all(Array.from({ length: 60 }, () => pb(s, 'GET', '/v2/entities?type[]=initiative')));
    const replies = await burst();
    const served = replies.filter((r) => r.status === 200);
    const limited = replies.filter((r) => r.status === 429);
    expect(served).toHaveLength(50);
    expect(limited).toHaveLength(10);
    // Every answer tells what is left of the second's 50.
    expect(served.every((r) => r.headers.get('x-ratelimit-limit') === '50')).toBe(true);
    expect(served.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    const r = limited[0];
    expect(r?.headers.get('retry-after')).toBe('1');
    expect(r?.headers.get('x-ratelimit-limit')).toBe('50');
    expect(r?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r?.body.errors[0]).toMatchObject({ code: 'rate.limitExceeded', title: 'Rate limit exceeded' });
    expect(s.requests.filter((q) => q.status === 429).every((q) => q.fault === 'rateLimit')).toBe(true);

    // A sliding second: 1 ms before the burst leaves the window, still refused; once it has left, 50 more.
    clock.advance(999);
    expect((await pb(s, 'GET', '/v2/entities?type[]=initiative')).status).toBe(429);
    clock.advance(1);
    const next = await burst();
    expect(next.filter((q) => q.status === 200)).toHaveLength(50);
    expect(next.filter((q) => q.status === 429)).toHaveLength(10);
  });

  it('Jira: per-issue write limit (20 per 2 s) and per-route burst buckets', async () => {
    const clock = stillClock();
    const t0 = clock.now();
    sb = await startCheckedSandbox({ enforceRateLimits: true, clock });
    const s = sb;
    const a = await createIssue(s, { issuetype: { name: 'Task' }, summary: 'hot issue' });
    const writes = await Promise.all(
      Array.from({ length: 22 }, (_, i) => jira(s, 'PUT', `/rest/api/3/issue/${a.id}/properties/p${i}`, { i })),
    );
    expect(writes.filter((w) => w.status === 201)).toHaveLength(20); // each a new property
    const perIssue = writes.filter((w) => w.status === 429);
    expect(perIssue).toHaveLength(2);
    expect(perIssue[0]?.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
    expect(perIssue[0]?.headers.get('retry-after')).toBe('1');
    expect(perIssue[0]?.headers.get('x-ratelimit-limit')).toBe('20');
    expect(perIssue[0]?.headers.get('x-ratelimit-remaining')).toBe('0');
    // The window frees when the first write is 2 s old.
    expect(perIssue[0]?.headers.get('x-ratelimit-reset')).toBe(new Date(t0 + 2000).toISOString());
    expect(perIssue[0]?.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    // Reads of the same issue are not writes, and another issue has its own window.
    expect((await jira(s, 'GET', `/rest/api/3/issue/${a.id}`)).status).toBe(200);
    const b = await createIssue(s, { issuetype: { name: 'Task' }, summary: 'cool issue' });
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${b.id}/properties/p`, { i: 0 })).status).toBe(201);

    // GET's bucket holds one second's worth (100) and refills at 100 per second.
    const gets = await Promise.all(Array.from({ length: 150 }, () => jira(s, 'GET', '/rest/api/3/myself')));
    expect(gets.filter((g) => g.status === 200)).toHaveLength(100);
    const burst = gets.filter((g) => g.status === 429);
    expect(burst).toHaveLength(50);
    expect(burst[0]?.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(burst[0]?.headers.get('x-ratelimit-limit')).toBe('100');
    expect(burst[0]?.headers.get('retry-after')).toBe('1');
    expect(burst[0]?.headers.get('x-ratelimit-reset')).toBe(new Date(t0 + 10).toISOString());
    expect(s.requests.filter((q) => q.status === 429).every((q) => q.fault === 'rateLimit')).toBe(true);
    // Another route has its own bucket.
    expect((await jira(s, 'GET', '/rest/api/3/statuscategory')).status).toBe(200);
    // 10 ms later one token is back: one more GET, not two.
    clock.advance(10);
    expect((await jira(s, 'GET', '/rest/api/3/myself')).status).toBe(200);
    expect((await jira(s, 'GET', '/rest/api/3/myself')).status).toBe(429);

    // 2 s after the first writes, the hot issue takes writes again.
    clock.advance(1989);
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${a.id}/properties/later`, { i: 0 })).status).toBe(429);
    clock.advance(1);
    expect((await jira(s, 'PUT', `/rest/api/3/issue/${a.id}/properties/later`, { i: 0 })).status).toBe(201);
  });
});

describe('fault injection', () => {
  it('loseResponse processes the create and then drops the socket', async () => {
    sb = await startCheckedSandbox({ faults: { loseResponse: { route: 'POST /rest/api/3/issue', count: 1 } } });
    const s = sb;
    await expect(
      jira(s, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PBJ' }, issuetype: { name: 'Epic' }, summary: 'lost reply' } }),
    ).rejects.toThrow();
    expect(s.jira.state.issues().map((i) => i.summary)).toEqual(['lost reply']);
    expect(s.faults.loseResponse?.count).toBe(0);
    const logged = s.requests.find((q) => q.route === 'POST /rest/api/3/issue');
    expect(logged).toMatchObject({ status: 0, fault: 'loseResponse' });
    // The next one is answered normally.
    const ok = await createIssue(s, { issuetype: { name: 'Epic' }, summary: 'answered' });
    expect(ok.key).toBe('PBJ-2');
  });

  it('rate429 is seeded and deterministic, cycles Jira reasons and sends an HTML body every third time', async () => {
    const run = async (): Promise<string[]> => {
      const s = await startCheckedSandbox({ faults: { rate429: 1, seed: 42, only: 'jira' } });
      try {
        const out: string[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await jira(s, 'GET', '/rest/api/3/myself');
          expect(r.status).toBe(429);
          expect(r.headers.get('retry-after')).toBe('1');
          out.push(`${r.headers.get('ratelimit-reason')}|${r.headers.get('content-type')?.split(';')[0]}`);
        }
        expect(s.requests.every((q) => q.fault === 'rate429' && q.status === 429)).toBe(true);
        // `only: 'jira'` leaves Productboard alone.
        expect((await pb(s, 'GET', '/v2/notes')).status).toBe(200);
        return out;
      } finally {
        await s.close();
      }
    };
    const first = await run();
    expect(first).toEqual([
      'jira-burst-based|application/json',
      'jira-per-issue-on-write|application/json',
      'jira-quota-tenant-based|text/html',
    ]);

    // Probabilistic faults repeat exactly for the same seed.
    const pattern = async (): Promise<number[]> => {
      const s = await startCheckedSandbox({ faults: { rate503: 0.5, seed: 7 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await jira(s, 'GET', '/rest/api/3/statuscategory')).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    const p1 = await pattern();
    expect(p1).toEqual(await pattern());
    expect(p1).toContain(503);
    expect(p1).toContain(200);
  });

  it('resetConnection destroys the socket before processing', async () => {
    sb = await startCheckedSandbox({ faults: { resetConnection: 1, only: 'jira' } });
    const s = sb;
    await expect(createIssue(s, { issuetype: { name: 'Epic' }, summary: 'never' })).rejects.toThrow();
    expect(s.jira.state.issues()).toEqual([]);
    // The plan is live: clearing it takes effect immediately.
    s.faults.resetConnection = 0;
    await createIssue(s, { issuetype: { name: 'Epic' }, summary: 'now' });
    expect(s.jira.state.issues()).toHaveLength(1);
  });

  it('failPbPage returns 500 after N good pages', async () => {
    sb = await startCheckedSandbox();
    const s = sb;
    s.faults = { failPbPage: { route: 'POST /v2/entities/search', afterPages: 1 } };
    const body = { data: { filter: { type: ['feature'] } } };
    expect((await pb(s, 'POST', '/v2/entities/search', body)).status).toBe(200);
    const failed = await pb(s, 'POST', '/v2/entities/search', body);
    expect(failed.status).toBe(500);
    expect(failed.body.errors[0].code).toBe('internal.error');
    expect((await pb(s, 'GET', '/v2/notes')).status).toBe(200); // other routes unaffected
  });

  it('logs every request with templated routes and latency applies', async () => {
    sb = await startCheckedSandbox({ latencyMs: 30 });
    const s = sb;
    const t0 = Date.now();
    await pb(s, 'GET', '/v2/entities?type[]=feature');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(28);
    const a = await createIssue(s, { issuetype: { name: 'Epic' }, summary: 'x' });
    await jira(s, 'PUT', `/rest/api/3/issue/${a.key}`, { fields: { summary: 'y' } });
    expect(s.requests.map((q) => [q.service, q.route, q.status])).toEqual([
      ['productboard', 'GET /v2/entities', 200],
      ['jira', 'POST /rest/api/3/issue', 201],
      ['jira', 'PUT /rest/api/3/issue/{id}', 204],
    ]);
    expect(s.requests[0]?.query).toBe('type[]=feature');
    expect(s.requests[2]?.path).toBe(`/rest/api/3/issue/${a.key}`);
    s.resetRequestLog();
    expect(s.requests).toHaveLength(0);
  });
});
