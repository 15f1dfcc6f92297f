import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/errors.js';
import { HttpPolicy, pacing, type RequestSpec } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { VirtualClock } from '../../../src/util/clock.js';

const noPacing = { default: { concurrency: 4, ratePerSecond: Infinity } };

/** A clock whose sleeps end only when the test advances it. */
class ManualClock {
  private time = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  now = () => this.time;
  sleep = (ms: number) => new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, resolve }));
  advance(ms: number) {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.resolve();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function policy(clock = new VirtualClock(), retry = {}) {
  return new HttpPolicy({ clock, logger: silentLogger(), lanes: noPacing, random: () => 0.5, retry });
}

function httpError(status: number, headers: Record<string, string> = {}, data: unknown = {}): AxiosError {
  const response = {
    status,
    statusText: String(status),
    headers: new AxiosHeaders(headers),
    data,
    config: { headers: new AxiosHeaders() },
  } as AxiosResponse;
  return new AxiosError(`Request failed with status code ${status}`, 'ERR_BAD_RESPONSE', undefined, undefined, response);
}

const networkError = (code: string) => new AxiosError(code, code);

/** A fake request that fails with the given errors, in order, then succeeds. */
function scripted(...failures: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    send: (clock: VirtualClock) => async () => {
      calls.push(clock.now());
      const next = failures.shift();
      if (next) throw next;
      return 'ok';
    },
  };
}

const GET: RequestSpec = { service: 'jira', method: 'GET', route: 'GET /rest/api/3/project/{key}', idempotent: true };
const CREATE: RequestSpec = { service: 'jira', method: 'POST', route: 'POST /rest/api/3/issue/bulk', idempotent: false };

describe('HttpPolicy', () => {
  it('waits at least the Retry-After a 429 asked for before sending again', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const request = scripted(httpError(429, { 'retry-after': '3', 'ratelimit-reason': 'jira-burst-based' }));
    await expect(p.execute(GET, request.send(clock))).resolves.toBe('ok');
    expect(request.calls).toHaveLength(2);
    expect(request.calls[1]! - request.calls[0]!).toBeGreaterThanOrEqual(3000);
    expect(p.snapshot()[GET.route]).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it('holds later requests to a throttled endpoint until Retry-After elapses, and only that endpoint', async () => {
    const clock = new ManualClock();
    const p = new HttpPolicy({ clock, logger: silentLogger(), lanes: noPacing, random: () => 0.5 });
    const sent: Array<[string, number]> = [];
    const send = (label: string, failFirst = false) => {
      let failed = !failFirst;
      return async () => {
        sent.push([label, clock.now()]);
        if (!failed) {
          failed = true;
          throw httpError(429, { 'retry-after': '5', 'ratelimit-reason': 'jira-burst-based' });
        }
        return label;
      };
    };
    const a = p.execute(GET, send('a', true));
    await flush();
    const b = p.execute(GET, send('b'));
    const c = p.execute({ ...GET, route: 'GET /rest/api/3/myself' }, send('c'));
    await flush();
    expect(sent).toEqual([
      ['a', 0],
      ['c', 0],
    ]); // b waits for the throttled endpoint; c does not
    clock.advance(5999);
    await flush();
    await Promise.all([a, b, c]);
    expect(sent.filter(([label]) => label !== 'c').map(([, at]) => at >= 5000)).toEqual([false, true, true]);
  });

  it('after a 429 the lane resumes at its pace: the requests that waited out the Retry-After are not sent in one burst', async () => {
    const clock = new ManualClock();
    // 100/s: at most 5 starts in any rolling 50 ms.
    const p = new HttpPolicy({
      clock,
      logger: silentLogger(),
      lanes: { productboard: { concurrency: 16, ratePerSecond: 100 } },
      random: () => 0.5,
    });
    const PATCH: RequestSpec = { service: 'productboard', method: 'PATCH', route: 'PATCH /v2/entities/{id}', idempotent: true };
    const sent: number[] = [];
    let throttle = true;
    const send = async () => {
      sent.push(Date.now());
      if (throttle) {
        throttle = false;
        throw httpError(429, { 'retry-after': '1' });
      }
      return 'ok';
    };
    const all = [p.execute(PATCH, send)];
    await flush();
    for (let i = 0; i < 30; i++) all.push(p.execute(PATCH, send));
    // Real time passes while the lane is held: nothing may start (and sleep on a slot) meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(1);
    clock.advance(1200);
    await Promise.all(all);
    const resumed = sent.slice(1);
    expect(resumed).toHaveLength(31);
    // Measured a little inside the 50 ms window, for the time between a start and its send.
    for (const at of resumed) expect(resumed.filter((t) => t >= at && t < at + 40).length).toBeLessThanOrEqual(5);
  });

  it('paces each lane evenly: never more than its rate in any rolling second, in windows of about 50 ms', () => {
    expect(pacing(47)).toEqual({ intervalCap: 3, interval: 3000 / 47, strict: true });
    expect(pacing(95)).toEqual({ intervalCap: 5, interval: 5000 / 95, strict: true });
    expect(pacing(1)).toEqual({ intervalCap: 1, interval: 1000, strict: true });
    expect(pacing(Infinity)).toEqual({});
  });

  it('slows only the issue named by a per-issue write limit', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const edit = (issueKey: string): RequestSpec => ({
      service: 'jira',
      method: 'PUT',
      route: 'PUT /rest/api/3/issue/{id}',
      idempotent: true,
      issueKey,
    });
    const hot = scripted(httpError(429, { 'retry-after': '2', 'ratelimit-reason': 'jira-per-issue-on-write' }));
    await p.execute(edit('PBJ-1'), hot.send(clock));
    const start = clock.now();
    const other = scripted();
    await p.execute(edit('PBJ-2'), other.send(clock));
    expect(other.calls[0]).toBe(start); // PBJ-2 was not held back
    const again = scripted();
    await p.execute(edit('PBJ-1'), again.send(clock));
    expect(again.calls[0]! - hot.calls[0]!).toBeGreaterThanOrEqual(2000);
  });

  it('retries 503 and network errors on reads with growing, jittered backoff', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const request = scripted(httpError(503), networkError('ECONNRESET'), httpError(502));
    await expect(p.execute(GET, request.send(clock))).resolves.toBe('ok');
    expect(request.calls).toHaveLength(4);
    const gaps = request.calls.slice(1).map((t, i) => t - request.calls[i]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
  });

  it('never blindly retries a create whose response was lost: it reports an ambiguous write', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const request = scripted(networkError('ECONNRESET'));
    await expect(p.execute(CREATE, request.send(clock))).rejects.toMatchObject({ kind: 'ambiguous' });
    expect(request.calls).toHaveLength(1);
  });

  it('retries a create refused with 429: the server did not act on it', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const request = scripted(httpError(429, { 'retry-after': '1' }), httpError(429, { 'retry-after': '1' }));
    await expect(p.execute(CREATE, request.send(clock))).resolves.toBe('ok');
    expect(request.calls).toHaveLength(3);
  });

  it('issue 9 §11: a create answered 503 is ambiguous (a gateway may answer 503 after the write), never sent again', async () => {
    const clock = new VirtualClock();
    const p = policy(clock);
    const request = scripted(httpError(503, { 'retry-after': '1' }));
    await expect(p.execute(CREATE, request.send(clock))).rejects.toMatchObject({
      kind: 'ambiguous',
      endpoint: CREATE.route,
      message: 'HTTP 503; the write may or may not have happened',
    });
    expect(request.calls).toHaveLength(1);
  });

  it('does not retry a 401 and names the service that rejected the credentials', async () => {
    const clock = new VirtualClock();
    const request = scripted(httpError(401, {}, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} }));
    const error = await policy(clock)
      .execute(GET, request.send(clock))
      .catch((e: unknown) => e);
    expect(request.calls).toHaveLength(1);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({
      kind: 'auth',
      service: 'jira',
      endpoint: GET.route,
      message: expect.stringContaining('Jira rejected the credentials'),
    });
  });

  it('gives up after the retry budget with a rate-limit error naming the endpoint', async () => {
    const clock = new VirtualClock();
    const failures = Array.from({ length: 10 }, () =>
      httpError(429, { 'retry-after': '1' }, '<html><body>Oops - an error has occurred</body></html>'),
    );
    const request = scripted(...failures);
    const error = await policy(clock, { maxThrottleRetries: 3 })
      .execute(GET, request.send(clock))
      .catch((e: unknown) => e);
    expect(request.calls).toHaveLength(4);
    expect(error).toMatchObject({ kind: 'rate-limit', endpoint: GET.route, message: 'gave up after 3 retries (HTTP 429)' });
  });

  it('stops before sending when the pass is interrupted', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    controller.abort();
    const p = new HttpPolicy({ clock, logger: silentLogger(), lanes: noPacing, signal: controller.signal });
    const request = scripted();
    await expect(p.execute(GET, request.send(clock))).rejects.toMatchObject({ kind: 'interrupted' });
    expect(request.calls).toHaveLength(0);
  });
});
