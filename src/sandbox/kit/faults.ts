import { randomUUID } from 'node:crypto';
import type { SimResponse } from './http.js';
import { mulberry32, type Prng } from './prng.js';
import type { FaultKind, ServiceName } from './request-log.js';

// Decides injected faults. Everything except `loseResponse` is decided before the request is processed, so a
// faulted request has no side effect; `loseResponse` runs the request and then drops the socket, which is the
// "did my create happen?" case (jira-api.md §5: no Jira create call accepts an idempotency key).

export interface FaultPlan {
  /** Probability 0..1 that any request gets a 429. */
  rate429?: number;
  /** Probability 0..1 of a 503 (half of them carry Retry-After: 1). */
  rate503?: number;
  /** Probability 0..1 of destroying the socket before the request is processed. */
  resetConnection?: number;
  /** Process the next `count` requests matching `route` fully, then destroy the socket instead of answering. `count` is decremented in place. */
  loseResponse?: { route: string; count: number };
  /** Answer 500 to every page request on `route` once `afterPages` good pages were served. */
  failPbPage?: { route: string; afterPages: number };
  /** Seed of the deterministic PRNG used for the probabilistic faults. */
  seed?: number;
  /** Restrict faults to one service. */
  only?: 'productboard' | 'jira';
}

export type PreFault = { kind: 'reset' } | { kind: 'respond'; fault: FaultKind; response: SimResponse };

const DEFAULT_SEED = 0x5eed;

// Jira's documented RateLimit-Reason values (jira-api.md §8); the injected 429s cycle through them so the engine
// sees each reason, including the quota one that must pause every call.
const JIRA_REASONS = ['jira-burst-based', 'jira-per-issue-on-write', 'jira-quota-tenant-based'] as const;

export class FaultInjector {
  private rng: Prng = mulberry32(DEFAULT_SEED);
  private seededWith: number | undefined = undefined;
  private jira429s = 0;
  private count503 = 0;
  private readonly pagesServed = new WeakMap<object, number>();

  constructor(private readonly plan: () => FaultPlan) {}

  private applies(service: ServiceName, p: FaultPlan): boolean {
    if (service === 'slack') return false;
    return p.only === undefined || p.only === service;
  }

  private draw(p: FaultPlan): number {
    // Re-seed whenever the plan's seed changes (the plan is mutable at runtime), so a test that sets `seed`
    // gets the same fault sequence on every run.
    const seed = p.seed ?? DEFAULT_SEED;
    if (seed !== this.seededWith) {
      this.rng = mulberry32(seed);
      this.seededWith = seed;
    }
    return this.rng();
  }

  pre(service: ServiceName, route: string, now: number): PreFault | undefined {
    const p = this.plan();
    if (!this.applies(service, p)) return undefined;
    if ((p.resetConnection ?? 0) > 0 && this.draw(p) < (p.resetConnection ?? 0)) return { kind: 'reset' };
    if ((p.rate429 ?? 0) > 0 && this.draw(p) < (p.rate429 ?? 0)) {
      return { kind: 'respond', fault: 'rate429', response: this.make429(service, now) };
    }
    if ((p.rate503 ?? 0) > 0 && this.draw(p) < (p.rate503 ?? 0)) {
      return { kind: 'respond', fault: 'rate503', response: this.make503(service) };
    }
    const fp = p.failPbPage;
    if (service === 'productboard' && fp && routeMatches(fp.route, route)) {
      const served = this.pagesServed.get(fp) ?? 0;
      this.pagesServed.set(fp, served + 1);
      if (served >= fp.afterPages) {
        return {
          kind: 'respond',
          fault: 'failPbPage',
          response: {
            status: 500,
            json: pbError('internal.error', 'Internal server error', 'The server encountered an unexpected condition.'),
          },
        };
      }
    }
    return undefined;
  }

  /** True when the already-processed response must be dropped; consumes one unit of `loseResponse.count`. */
  loseResponse(service: ServiceName, route: string): boolean {
    const p = this.plan();
    const lr = p.loseResponse;
    if (!this.applies(service, p) || !lr || lr.count <= 0 || !routeMatches(lr.route, route)) return false;
    lr.count -= 1;
    return true;
  }

  private make429(service: ServiceName, now: number): SimResponse {
    if (service === 'productboard') {
      return {
        status: 429,
        headers: { 'Retry-After': '1', 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0' },
        json: pbError('rate.limitExceeded', 'Rate limit exceeded', 'You have exceeded the allowed number of API requests.'),
      };
    }
    const n = this.jira429s++;
    const headers: Record<string, string> = {
      'Retry-After': '1',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(now + 1000).toISOString(),
      'RateLimit-Reason': JIRA_REASONS[n % JIRA_REASONS.length] ?? 'jira-burst-based',
    };
    // A Jira 429 body may be an HTML error page rather than JSON (jira-api.md §8, apache/devlake#2932).
    if (n % 3 === 2) {
      return { status: 429, headers: { ...headers, 'Content-Type': 'text/html;charset=UTF-8' }, text: '<html><body>Oops - an error has occurred</body></html>' };
    }
    return { status: 429, headers, json: { errorMessages: ['Rate limit exceeded.'], errors: {} } };
  }

  private make503(service: ServiceName): SimResponse {
    // Some 503s carry Retry-After (jira-api.md §8 "some 503s also carry it"); alternate so clients handle both.
    const withRetry = this.count503++ % 2 === 0;
    const headers: Record<string, string> = withRetry ? { 'Retry-After': '1' } : {};
    if (service === 'productboard') {
      return { status: 503, headers, json: pbError('service.unavailable', 'Service unavailable', 'The service is temporarily unavailable.') };
    }
    return { status: 503, headers, json: { errorMessages: ['Service Unavailable'], errors: {} } };
  }
}

/** A fault route matches the full template ('POST /v2/entities/search') or just its path part. */
export function routeMatches(faultRoute: string, route: string): boolean {
  if (faultRoute === route) return true;
  const space = route.indexOf(' ');
  return space >= 0 && route.slice(space + 1) === faultRoute;
}

/** v2 error body (SPEC-v2 `ErrorResponse`: `id` + non-empty `errors[]` of {code,title,detail,source?}). */
export function pbError(
  code: string,
  title: string,
  detail: string,
  source?: { pointer?: string; parameter?: string },
): { id: string; errors: Array<Record<string, unknown>> } {
  const err: Record<string, unknown> = { code, title, detail };
  if (source) err['source'] = source;
  return { id: randomUUID(), errors: [err] };
}
