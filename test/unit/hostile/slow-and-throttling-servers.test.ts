import { afterEach, describe, expect, it, vi } from 'vitest';
import { PolicyJiraClient } from '../../../connectors/jira/client.js';
import { startHostileServer, type HostileRule, type HostileServer } from '../../../scripts/hostile-server.js';
import { HttpPolicy } from '../../../src/http/policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { systemClock, VirtualClock } from '../../../src/util/clock.js';
import type { Alert } from '../../../src/model/alert.js';
import { configFor, servicesFor, TOKENS } from '../../helpers/hostile-config.js';
import { startInProcess } from '../../helpers/in-process.js';

const servers: HostileServer[] = [];
const serve = async (...rules: HostileRule[]) => {
  const server = await startHostileServer(rules);
  servers.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const alert: Alert = { kind: 'pass-failing', project: 'PBJ', error: 'x', nextRun: null };
const SEARCH = { data: { filter: { type: ['feature'] } } };
const everything = /.*/;

describe('issue 10 H2: slow-drip responses', () => {
  // One byte every 50 ms: a socket idle timeout of 300 ms never fires; only a total deadline ends it.
  const trickle = { match: everything, answer: { kind: 'trickle', everyMs: 50 } } as const;
  const fast = '{ timeoutMs: 300, maxRetries: 1 }';
  // The deadlines are real timers; the backoff between attempts is virtual time, not a second of waiting.

  it('Productboard (axios): the deadline cuts the drip, it is retried like a timeout, then a transient error names the endpoint', async () => {
    const server = await serve(trickle);
    const services = servicesFor(configFor({ productboard: server.url }, fast), new VirtualClock());
    const started = Date.now();
    await expect(services.productboard.searchEntities(SEARCH).next()).rejects.toMatchObject({
      kind: 'transient',
      service: 'productboard',
      endpoint: 'POST /v2/entities/search',
      message: 'gave up after 1 retry (no complete response within 300 ms)',
    });
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('Jira (jira.js through its chokepoint): the same, for GET /project', async () => {
    const server = await serve(trickle);
    const services = servicesFor(configFor({ jira: server.url }, fast), new VirtualClock());
    await expect(services.jira.project()).rejects.toMatchObject({
      kind: 'transient',
      service: 'jira',
      endpoint: 'GET /rest/api/3/project/{key}',
      message: expect.stringContaining('no complete response within 300 ms'),
    });
    expect(server.requests).toHaveLength(2);
  });

  it('Slack: the alert fails at the deadline and the caller goes on (not resent: it may have been posted)', async () => {
    const server = await serve(trickle);
    const services = servicesFor(configFor({ slack: `${server.url}/services/T0/B0/secret` }, fast), new VirtualClock());
    const outcome = await services.notifier.notify(alert);
    expect(outcome).toMatchObject({
      status: 'failed',
      permanent: false,
      error: expect.stringContaining('no complete response within 300 ms'),
    });
    // A webhook post cut after sending may have been delivered: a second copy is not sent.
    expect(server.requests).toHaveLength(1);
  });

  it('a create cut by the deadline is never resent: it is ambiguous, resolved later by its stamp', async () => {
    const server = await serve(trickle);
    const policy = new HttpPolicy({ clock: systemClock, logger: silentLogger(), lanes: {}, limits: { timeoutMs: 300 } });
    const client = new PolicyJiraClient({
      host: server.url,
      email: TOKENS.JIRA_EMAIL,
      apiToken: TOKENS.JIRA_API_TOKEN,
      policy,
    });
    await expect(client.issues.createIssues({ issueUpdates: [] })).rejects.toMatchObject({
      kind: 'ambiguous',
      endpoint: 'POST /rest/api/3/issue/bulk',
      message: expect.stringContaining('no complete response within 300 ms'),
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('issue 10 H3: Retry-After beyond the cap', () => {
  const throttle = (retryAfter: string, match = everything): HostileRule => ({
    match,
    answer: { kind: 'reply', status: 429, headers: { 'retry-after': retryAfter, 'content-type': 'application/json' }, body: '{}' },
  });

  it('Productboard asking for a day: no wait at all, a throttled error that says how long it asked', async () => {
    const server = await serve(throttle('86400'));
    const clock = new VirtualClock();
    const services = servicesFor(configFor({ productboard: server.url }), clock);
    const error = await services.productboard
      .searchEntities(SEARCH)
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'throttled', service: 'productboard', endpoint: 'POST /v2/entities/search' });
    expect((error as Error).message).toMatch(
      /asked us to wait 24 h \(Retry-After, until .*\), longer than http\.maxRetryAfterSeconds \(300 s\)/,
    );
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('a Retry-After beyond Node’s timer range (seconds or a date in 2100) ends the same way: no busy loop, no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (const value of ['99999999999', 'Fri, 01 Jan 2100 00:00:00 GMT']) {
        const server = await serve(throttle(value));
        const clock = new VirtualClock(Date.now());
        const services = servicesFor(configFor({ productboard: server.url }), clock);
        await expect(services.productboard.searchEntities(SEARCH).next()).rejects.toMatchObject({ kind: 'throttled' });
        expect(server.requests).toHaveLength(1);
        expect(clock.sleeps).toEqual([]);
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('the cap is http.maxRetryAfterSeconds: a wait within it is honoured, beyond it refused', async () => {
    const within = await serve({
      match: everything,
      answer: { kind: 'reply', status: 429, headers: { 'retry-after': '120' }, body: '{}' },
    });
    const clock = new VirtualClock();
    const patient = servicesFor(configFor({ productboard: within.url }, '{ maxThrottleRetries: 1 }'), clock);
    await expect(patient.productboard.searchEntities(SEARCH).next()).rejects.toMatchObject({ kind: 'rate-limit' });
    expect(clock.sleeps.some((ms) => ms >= 120_000)).toBe(true);

    const strict = servicesFor(configFor({ productboard: within.url }, '{ maxRetryAfterSeconds: 60 }'), new VirtualClock());
    await expect(strict.productboard.searchEntities(SEARCH).next()).rejects.toMatchObject({
      kind: 'throttled',
      message: expect.stringContaining('asked us to wait 2 min'),
    });
  });

  it('Jira: after a refused wait, later requests to that endpoint fail at once without being sent', async () => {
    const server = await serve(throttle('86400'));
    const clock = new VirtualClock();
    const services = servicesFor(configFor({ jira: server.url }), clock);
    await expect(services.jira.project()).rejects.toMatchObject({ kind: 'throttled', endpoint: 'GET /rest/api/3/project/{key}' });
    // The same process's policy (as `schedule` keeps it): the next request to that endpoint is not sent...
    const policy = services.policy;
    const send = vi.fn(async () => 'sent');
    const spec = { service: 'jira', method: 'GET', route: 'GET /rest/api/3/project/{key}', idempotent: true } as const;
    await expect(policy.execute(spec, send)).rejects.toMatchObject({ kind: 'throttled', message: expect.stringContaining('24 h') });
    expect(send).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(1);
    // ...until one cap period has passed: then it may ask again.
    clock.advance(301_000);
    await expect(policy.execute(spec, send)).resolves.toBe('sent');
  });

  it('Slack asking for a day: the alert is not delivered, and nothing waits for it', async () => {
    const server = await serve(throttle('86400'));
    const clock = new VirtualClock();
    const services = servicesFor(configFor({ slack: `${server.url}/services/T0/B0/secret` }), clock);
    const outcome = await services.notifier.notify(alert);
    expect(outcome).toMatchObject({ status: 'failed', permanent: false, error: expect.stringContaining('asked us to wait 24 h') });
    expect(clock.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('reconcile --alert=all against a Slack 429 with Retry-After 86400 finishes its pass: the alert is reported as not delivered', async () => {
    const slack = await serve(throttle('86400'));
    const run = await startInProcess({}, () => ({ SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/secret` }));
    try {
      await run.sync();
      const report = await run.reconcile({ alert: 'all' });
      expect(report.alert.outcome).toMatchObject({ status: 'failed', error: expect.stringContaining('asked us to wait 24 h') });
      expect(slack.requests).toHaveLength(1);
      // Nothing waited for Slack: every sleep of the pass (virtual time) is within the cap.
      expect(Math.max(0, ...run.clock.sleeps)).toBeLessThanOrEqual(300_000);
    } finally {
      await run.close();
    }
  });

  it('the system clock sleeps beyond the timer range in steps: one timer, no TimeoutOverflowWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const controller = new AbortController();
    try {
      const sleeping = systemClock.sleep(1e14, controller.signal);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      const armed = timers.mock.calls.filter(([, ms]) => (ms ?? 0) > 1000);
      expect(armed).toHaveLength(1);
      expect(armed[0]![1]).toBe(2 ** 31 - 1);
      controller.abort(new Error('stop'));
      await expect(sleeping).rejects.toThrow('stop');
    } finally {
      timers.mockRestore();
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('issue 10 M5: oversized responses', () => {
  const huge = { match: everything, answer: { kind: 'huge', bytes: 3 * 1024 * 1024 } } as const;

  it('a Productboard page over http.maxResponseMB is an invalid-response naming the endpoint, not retried', async () => {
    const server = await serve(huge);
    const services = servicesFor(configFor({ productboard: server.url }, '{ maxResponseMB: 1 }'), new VirtualClock());
    await expect(services.productboard.searchEntities(SEARCH).next()).rejects.toMatchObject({
      kind: 'invalid-response',
      service: 'productboard',
      endpoint: 'POST /v2/entities/search',
      message: 'the response is larger than 1.0 MB (http.maxResponseMB); refusing to read it',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('the same cap holds for Jira through jira.js', async () => {
    const server = await serve(huge);
    const services = servicesFor(configFor({ jira: server.url }, '{ maxResponseMB: 1 }'), new VirtualClock());
    await expect(services.jira.project()).rejects.toMatchObject({ kind: 'invalid-response', endpoint: 'GET /rest/api/3/project/{key}' });
    expect(server.requests).toHaveLength(1);
  });
});
