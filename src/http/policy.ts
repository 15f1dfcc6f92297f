import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { SyncError, serviceName, type ErrorKind, type Service } from '../errors.js';
import { exceededResponseCap, retryAfterMs, toAttemptFailure, vendorMessage, wasNeverSent, type AttemptFailure } from './failure.js';
import type { Clock } from '../util/clock.js';
import { scrubSecrets } from '../util/secrets.js';
import { formatBytes } from '../util/small-file.js';

/** Describes one logical request so the policy can pick its lane and decide what is safe to retry. */
export interface RequestSpec {
  service: Service;
  method: string;
  /** Templated endpoint, e.g. `PUT /rest/api/3/issue/{id}`: the key for stats and error messages. */
  route: string;
  /**
   * False for creates and webhook posts: after an ambiguous failure (timeout, reset after sending,
   * 500, 503) the server may have acted, so a blind retry could duplicate. Those failures surface as
   * `ambiguous` errors and the caller resolves them (a create by looking its stamp up). Only what
   * certainly was not processed is sent again: never sent (connection refused), or 429.
   */
  idempotent: boolean;
  /** Jira issue written by this request, for the per-issue write limit (20 writes / 2 s). */
  issueKey?: string;
}

export interface LaneLimits {
  concurrency: number;
  /** Steady-state requests per second the lane may start; Infinity for no pacing. */
  ratePerSecond: number;
}

export interface RetryLimits {
  /** Retries after 429/503: the server asked us to wait, so we may be patient. */
  maxThrottleRetries: number;
  /** Retries after other transient failures (5xx, resets, timeouts). */
  maxTransientRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Bounds on one request, whatever the server does: how long, how much it may ask us to wait, how big. */
export interface RequestLimits {
  /**
   * The longest one attempt may take, from sending to the last byte of the body. A socket idle
   * timeout alone never cuts a server that sends one byte every second.
   */
  timeoutMs: number;
  /** The longest Retry-After we wait out; a server asking for more ends the request as `throttled`. */
  maxRetryAfterMs: number;
  /** The largest response body we accept (connectors pass it to their client as maxContentLength). */
  maxResponseBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  timeoutMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  maxResponseBytes: 32 * 1024 * 1024,
};

export interface HttpPolicyOptions {
  clock: Clock;
  logger: Logger;
  lanes: Record<string, LaneLimits>;
  retry?: Partial<RetryLimits>;
  limits?: Partial<RequestLimits>;
  /** Every form of the configured credentials: vendor text is scrubbed of them before it enters an error. */
  secrets?: readonly string[];
  /** 0..1 random source for jitter; injectable for deterministic tests. */
  random?: () => number;
  /** Aborted: start no new request (a shutdown was asked for). */
  signal?: AbortSignal;
  /** Aborted: abandon requests in flight (the shutdown grace period is over). */
  cancel?: AbortSignal;
}

export interface RouteStats {
  requests: number;
  retries: number;
  throttled: number;
}

/** A write that may or may not have happened: the caller resolves it (by stamp lookup), never blindly retries. */
const ambiguous = (message: string, spec: RequestSpec, cause: unknown): SyncError =>
  new SyncError('ambiguous', `${message}; the write may or may not have happened`, { service: spec.service, endpoint: spec.route, cause });

/** Final HTTP statuses that are not retried, by the kind they mean and how to say it. */
const STATUS_KINDS: Record<number, { kind: ErrorKind; says: (who: string) => string }> = {
  401: { kind: 'auth', says: (who) => `${who} rejected the credentials (HTTP 401)` },
  403: { kind: 'permission', says: (who) => `${who} refused access (HTTP 403)` },
  404: { kind: 'not-found', says: () => 'not found (HTTP 404)' },
  409: { kind: 'conflict', says: () => 'conflicting update (HTTP 409)' },
  410: { kind: 'rejected', says: () => 'endpoint removed (HTTP 410)' },
};

const DEFAULT_RETRY: RetryLimits = {
  maxThrottleRetries: 8,
  maxTransientRetries: 4,
  // Atlassian's guidance (docs/vendor-notes.md §1): start around 1-2 s, double, cap ~30 s, jitter 0.7-1.3.
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
};

interface Lane {
  queue: PQueue;
  /** No request of this lane starts before this instant (set by 429 / Retry-After): its queue is paused until then. */
  notBefore: number;
  /** The queue is paused until `notBefore` (which a later 429 may push further). */
  held: boolean;
  /** The last wait this lane refused (longer than the cap): requests fail at once until `until`. */
  refused: { askedMs: number; at: number; until: number } | undefined;
}

/** The code of an attempt cut by its deadline (a slow drip, a server that never finishes). */
const DEADLINE = 'DEADLINE';

type Attempt<T> = { ok: true; value: T } | { ok: false; failure: AttemptFailure };

/**
 * The lane a request runs in mirrors the vendor's bucket: Jira rate-limits per endpoint and method
 * (docs/vendor-notes.md §1), so each Jira route is its own lane and a slow endpoint never holds
 * up another; Productboard limits per token (50/s), so all its requests share one lane.
 */
export const laneName = (spec: Pick<RequestSpec, 'service' | 'route'>): string =>
  spec.service === 'jira' ? `jira ${spec.route}` : spec.service;

/**
 * The one HTTP policy layer (docs/architecture.md, principle 5): every request of every connector passes
 * through `execute`, which queues it in its lane, waits out any Retry-After, retries only what is
 * transient, and turns the final failure into a SyncError that names the service and endpoint.
 */
export class HttpPolicy {
  private readonly lanes = new Map<string, Lane>();
  private readonly issueNotBefore = new Map<string, number>();
  private readonly retry: RetryLimits;
  private readonly random: () => number;
  readonly limits: RequestLimits;
  readonly stats = new Map<string, RouteStats>();

  constructor(private readonly options: HttpPolicyOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
  }

  /**
   * Sends one logical request. `send` gets the signal to hand to the HTTP client: it aborts when
   * the attempt's deadline passes or when a shutdown abandons requests in flight.
   */
  async execute<T>(spec: RequestSpec, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const lane = this.lane(laneName(spec));
    let throttleRetries = 0;
    let transientRetries = 0;
    for (;;) {
      this.throwIfAborted(spec);
      // Gates are waited out before the request queues, never inside the queue: a request holding
      // its lane's slot while it sleeps would be sent, unpaced, in a burst with the others.
      await this.waitForIssue(spec);
      const outcome = await lane.queue.add(async () => {
        // The lane may have been held past a shutdown or a refused wait.
        this.throwIfAborted(spec);
        this.throwIfRefused(lane, spec);
        this.count(spec.route, 'requests');
        return this.attempt(send);
      });
      if (!outcome) throw new SyncError('bug', 'request queue returned no result', { service: spec.service, endpoint: spec.route });
      if (outcome.ok) return outcome.value;

      const failure = outcome.failure;
      const decision = this.decide(spec, failure);
      if (decision.kind === 'fail') throw decision.error;
      const attempt = decision.kind === 'throttle' ? ++throttleRetries : ++transientRetries;
      const limit = decision.kind === 'throttle' ? this.retry.maxThrottleRetries : this.retry.maxTransientRetries;
      if (attempt > limit) throw this.exhausted(spec, failure, decision.kind, attempt - 1);

      const waitMs = this.delay(attempt, decision.minimumMs);
      this.count(spec.route, 'retries');
      if (decision.kind === 'throttle') {
        this.count(spec.route, 'throttled');
        this.applyThrottle(spec, failure, this.options.clock.now() + waitMs);
      }
      this.options.logger.warn(
        {
          service: spec.service,
          route: spec.route,
          status: failure.status,
          code: failure.code,
          waitMs,
          attempt,
          reason: failure.headers['ratelimit-reason'],
        },
        'http request will be retried',
      );
      if (decision.kind === 'transient') await this.sleep(waitMs, spec);
    }
  }

  /** Vendor text a connector quotes in its own messages, scrubbed like the policy's own errors. */
  scrub(text: string): string {
    return scrubSecrets(text, this.options.secrets ?? []);
  }

  /** Requests and retries per route, for run summaries and the benchmark. */
  snapshot(): Record<string, RouteStats> {
    return Object.fromEntries([...this.stats.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** One attempt under a total deadline (headers and body), also aborted by a shutdown's `cancel`. */
  private async attempt<T>(send: (signal: AbortSignal) => Promise<T>): Promise<Attempt<T>> {
    const controller = new AbortController();
    const cancel = this.options.cancel;
    const onCancel = () => controller.abort(cancel?.reason);
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('deadline'));
    }, this.limits.timeoutMs);
    try {
      return { ok: true, value: await send(controller.signal) };
    } catch (error) {
      if (!timedOut || cancel?.aborted) return { ok: false, failure: toAttemptFailure(error) };
      // Treated as a timeout: retried when idempotent, `ambiguous` for a create (the server may have acted).
      return {
        ok: false,
        failure: {
          status: undefined,
          headers: {},
          body: undefined,
          code: DEADLINE,
          message: `no complete response within ${this.limits.timeoutMs} ms`,
        },
      };
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      // Limits by lane, else by service and method (`jira:POST`), else by service, else the default.
      const [service, method] = name.split(/[ :]/);
      const lanes = this.options.lanes;
      const limits = lanes[name] ??
        lanes[`${service}:${method}`] ??
        lanes[service ?? ''] ??
        lanes.default ?? { concurrency: 4, ratePerSecond: Infinity };
      lane = {
        queue: new PQueue({ concurrency: limits.concurrency, ...pacing(limits.ratePerSecond) }),
        notBefore: 0,
        held: false,
        refused: undefined,
      };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  /** Waits out a per-issue write limit on the issue this request writes. */
  private async waitForIssue(spec: RequestSpec): Promise<void> {
    if (!spec.issueKey) return;
    // Loop: another request's 429 may push the gate further while we wait.
    for (;;) {
      const wait = (this.issueNotBefore.get(spec.issueKey) ?? 0) - this.options.clock.now();
      if (wait <= 0) return;
      await this.sleep(wait, spec);
    }
  }

  /** A lane whose last wait was refused (longer than the cap) fails its requests at once for a while. */
  private throwIfRefused(lane: Lane, spec: RequestSpec): void {
    const refused = lane.refused;
    if (refused && this.options.clock.now() < refused.until) throw this.throttled(spec, refused.askedMs, refused.at);
  }

  /**
   * Starts no request of the lane before `notBefore`: its queue paused until then (a later 429 may
   * push it further). Requests under way finish; a shutdown restarts the queue, and the requests
   * waiting in it then stop before they are sent.
   */
  private hold(lane: Lane, until: number): void {
    lane.notBefore = Math.max(lane.notBefore, until);
    if (lane.held) return;
    lane.held = true;
    lane.queue.pause();
    void (async () => {
      try {
        for (let wait = lane.notBefore - this.options.clock.now(); wait > 0; wait = lane.notBefore - this.options.clock.now())
          await this.options.clock.sleep(wait, this.options.signal);
      } catch {
        // Aborted: the queued requests start, and throw as interrupted before sending.
      }
      lane.held = false;
      lane.queue.start();
    })();
  }

  private decide(
    spec: RequestSpec,
    failure: AttemptFailure,
  ): { kind: 'throttle' | 'transient'; minimumMs: number } | { kind: 'fail'; error: SyncError } {
    const now = this.options.clock.now();
    const asked = retryAfterMs(failure.headers, now);
    const status = failure.status;
    if (asked !== undefined && asked > this.limits.maxRetryAfterMs && (status === 429 || status === 503 || (status ?? 0) >= 500)) {
      // Waiting days (or spinning on a timer Node cannot hold) helps nobody: give up now, and send
      // nothing more to this lane for a while, so the pass ends promptly instead of asking again.
      this.refuse(spec, failure, asked, now);
      return { kind: 'fail', error: this.throttled(spec, asked, now, status) };
    }
    if (exceededResponseCap(failure)) {
      return {
        kind: 'fail',
        error: new SyncError(
          'invalid-response',
          `the response is larger than ${formatBytes(this.limits.maxResponseBytes)} (http.maxResponseMB); refusing to read it`,
          { service: spec.service, endpoint: spec.route },
        ),
      };
    }
    if (failure.code === 'ERR_CANCELED') {
      // Abandoned in flight at shutdown: a write may or may not have reached the server.
      if (spec.idempotent)
        return {
          kind: 'fail',
          error: new SyncError('interrupted', 'abandoned in flight at shutdown', { service: spec.service, endpoint: spec.route }),
        };
      return { kind: 'fail', error: ambiguous('abandoned in flight at shutdown', spec, failure) };
    }
    // 429: the request was refused before any work (a rate limit), so even a create may be sent again.
    if (status === 429) return { kind: 'throttle', minimumMs: asked ?? 0 };
    // 503 may come from a gateway that gave up after the server acted: a create answered 503 is
    // ambiguous, resolved by its stamp like any lost response (docs/vendor-notes.md §3).
    if (status === 503) {
      if (spec.idempotent) return { kind: 'throttle', minimumMs: asked ?? 0 };
      return { kind: 'fail', error: ambiguous('HTTP 503', spec, failure) };
    }
    if (status === undefined) {
      if (wasNeverSent(failure) || spec.idempotent) return { kind: 'transient', minimumMs: 0 };
      return { kind: 'fail', error: ambiguous(this.noResponse(failure), spec, failure) };
    }
    if (status >= 500) {
      if (spec.idempotent) return { kind: 'transient', minimumMs: asked ?? 0 };
      return { kind: 'fail', error: ambiguous(`HTTP ${status}`, spec, failure) };
    }
    return { kind: 'fail', error: this.httpError(spec, failure) };
  }

  private throttled(spec: RequestSpec, askedMs: number, at: number, status?: number): SyncError {
    const who = serviceName(spec.service);
    const until = new Date(at + askedMs);
    const untilText = Number.isNaN(until.getTime()) || askedMs > 10 * 365 * 86_400_000 ? 'a date years away' : until.toISOString();
    return new SyncError(
      'throttled',
      `${who} asked us to wait ${formatWait(askedMs)} (Retry-After, until ${untilText}), longer than http.maxRetryAfterSeconds ` +
        `(${Math.round(this.limits.maxRetryAfterMs / 1000)} s); stopped instead of waiting, the next pass tries again`,
      { service: spec.service, endpoint: spec.route, ...(status ? { status } : {}) },
    );
  }

  /** A wait we will not do: later requests of the same scope fail at once for one cap period, then may ask again. */
  private refuse(spec: RequestSpec, failure: AttemptFailure, askedMs: number, now: number): void {
    const refused = { askedMs, at: now, until: now + this.limits.maxRetryAfterMs };
    const reason = failure.headers['ratelimit-reason'] ?? '';
    for (const [name, lane] of this.lanes) {
      const scope = reason.startsWith('jira-quota')
        ? name === spec.service || name.startsWith(`${spec.service} `)
        : name === laneName(spec);
      if (scope) lane.refused = refused;
    }
  }

  private httpError(spec: RequestSpec, failure: AttemptFailure): SyncError {
    const status = failure.status ?? 0;
    const detail = vendorMessage(failure.body, this.options.secrets ?? []);
    const suffix = detail ? `: ${detail}` : '';
    const options = { service: spec.service, endpoint: spec.route, status, cause: failure };
    const known = STATUS_KINDS[status];
    if (known) return new SyncError(known.kind, `${known.says(serviceName(spec.service))}${suffix}`, options);
    return new SyncError('rejected', `request rejected (HTTP ${status})${suffix}`, options);
  }

  private exhausted(spec: RequestSpec, failure: AttemptFailure, kind: 'throttle' | 'transient', retries: number): SyncError {
    const what = failure.status
      ? `HTTP ${failure.status}`
      : failure.code === DEADLINE
        ? failure.message
        : this.scrub(failure.code ?? failure.message);
    return new SyncError(
      kind === 'throttle' && failure.status === 429 ? 'rate-limit' : 'transient',
      `gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'} (${what})`,
      { service: spec.service, endpoint: spec.route, status: failure.status, cause: failure },
    );
  }

  /** An attempt that ended without a response, in words: cut by the deadline, or the network's error code. */
  private noResponse(failure: AttemptFailure): string {
    return failure.code === DEADLINE ? failure.message : `no response (${this.scrub(failure.code ?? failure.message)})`;
  }

  private delay(attempt: number, minimumMs: number): number {
    const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = backoff * (0.7 + 0.6 * this.random());
    // Retry-After is a floor: jitter may only add to what the server asked, never subtract.
    return Math.ceil(minimumMs > 0 ? minimumMs + minimumMs * 0.2 * this.random() : jittered);
  }

  /**
   * Jira says *why* it throttled (RateLimit-Reason): a per-issue limit slows writes to that issue
   * only; a quota limit pauses every lane of the service; a burst limit slows the lane it hit.
   */
  private applyThrottle(spec: RequestSpec, failure: AttemptFailure, until: number): void {
    const reason = failure.headers['ratelimit-reason'] ?? '';
    if (reason === 'jira-per-issue-on-write' && spec.issueKey) {
      this.issueNotBefore.set(spec.issueKey, Math.max(until, this.issueNotBefore.get(spec.issueKey) ?? 0));
      return;
    }
    if (reason.startsWith('jira-quota')) {
      for (const [name, lane] of this.lanes) {
        if (name === spec.service || name.startsWith(`${spec.service} `)) this.hold(lane, until);
      }
      return;
    }
    this.hold(this.lane(laneName(spec)), until);
  }

  private async sleep(ms: number, spec: RequestSpec): Promise<void> {
    try {
      await this.options.clock.sleep(ms, this.options.signal);
    } catch {
      this.throwIfAborted(spec);
    }
  }

  private throwIfAborted(spec: RequestSpec): void {
    if (this.options.signal?.aborted) {
      throw new SyncError('interrupted', 'stopped by a signal before the request was sent', {
        service: spec.service,
        endpoint: spec.route,
      });
    }
  }

  private count(route: string, field: keyof RouteStats): void {
    const entry = this.stats.get(route) ?? { requests: 0, retries: 0, throttled: 0 };
    entry[field] += 1;
    this.stats.set(route, entry);
  }
}

/**
 * A lane's pacing: at most `intervalCap` starts in any rolling `interval` (p-queue's strict,
 * sliding-window mode), in windows of about 50 ms, so requests go out evenly at the lane's rate.
 * The default fixed windows let twice the cap through a span that straddles two of them, and a
 * burst arrives bunched at a limit counted over a sliding second (Productboard's 50/s).
 */
export function pacing(ratePerSecond: number): { intervalCap: number; interval: number; strict: true } | Record<string, never> {
  if (!Number.isFinite(ratePerSecond)) return {};
  const intervalCap = Math.max(1, Math.ceil(ratePerSecond / 20));
  return { intervalCap, interval: (intervalCap * 1000) / ratePerSecond, strict: true };
}

/** `86400000` → `24 h`: a wait as a person reads it. */
export function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 3 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400).toLocaleString('en-US')} days`;
}
