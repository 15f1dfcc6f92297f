import type { SimResponse } from './http.js';
import { mulberry32, type Prng } from './prng.js';
import type { FaultKind, ServiceName } from './request-log.js';

// Decides injected faults. Everything except `loseResponse` is decided before the request is processed, so a
// faulted request has no side effect; `loseResponse` runs the request and then drops the socket, which is the
// "did my create happen?" case: no Jira create call accepts an idempotency key.
// What a fault looks like on the wire is each vendor's business (`FaultResponses`); when and how often is decided here.
// The hostile modes (`FaultPlan.hostile`) are aimed at one service and route each: a server that trickles, hangs,
// asks for an absurd wait, echoes the caller's credentials or sends a page too large to hold.

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
  /** Restrict the probabilistic faults above to one service (Slack never gets them). */
  only?: 'productboard' | 'jira';
  /** Hostile-server modes, each for one service and route; the first that applies to a request wins. */
  hostile?: HostileFault[];
}

/** Which requests a hostile mode hits. */
export interface FaultTarget {
  service: ServiceName;
  /** A full route ('POST /v2/entities/search') or its path part; absent: every route of the service. */
  route?: string;
  /** How many requests get it; absent: all of them. */
  count?: number;
}

/** Each `kind` is also a FaultKind of the request log. */
export type HostileFault =
  /** Headers at once, then the body one byte every `byteEveryMs` (the request is processed normally). */
  | (FaultTarget & { kind: 'trickle'; byteEveryMs: number })
  /** The request is read and never answered; the socket stays open until the client gives up or the sandbox closes. */
  | (FaultTarget & { kind: 'hang' })
  /** The vendor's 429 or 503 carrying this Retry-After verbatim: seconds ('86400', '99999999999') or an HTTP date. */
  | (FaultTarget & { kind: 'retryAfter'; status: 429 | 503; retryAfter: string })
  /** The vendor's refusal of the credentials, quoting the request's Authorization header back (Jira: 401 text, Productboard: 403 JSON). */
  | (FaultTarget & { kind: 'echoCredentials'; service: 'productboard' | 'jira' })
  /** The route's normal page, its items repeated until the body is `bytes` long, streamed (chunked) without building it. */
  | (FaultTarget & { kind: 'oversized'; bytes: number });

/** How one vendor words the answers the injector makes up. */
export interface FaultResponses {
  /** An injected 429; `nth` counts this service's injected 429s from 0. */
  tooManyRequests(now: number, nth: number): SimResponse;
  /** An injected 503 carrying `headers` (with or without Retry-After: clients must cope with both). */
  unavailable(headers: Record<string, string>): SimResponse;
  /** The 500 of fault `failPbPage`; only a service with paged reads to fail (Productboard) has one. */
  pageFailed?: () => SimResponse;
  /** A refusal of the credentials that quotes the Authorization header back (hostile mode `echoCredentials`). */
  credentialsRefused?: (authorization: string) => SimResponse;
}

export type PreFault = { kind: 'reset' } | { kind: 'hang' } | { kind: 'respond'; fault: FaultKind; response: SimResponse };

const DEFAULT_SEED = 0x5eed;

export class FaultInjector {
  private rng: Prng = mulberry32(DEFAULT_SEED);
  private seededWith: number | undefined = undefined;
  private readonly count429 = new Map<ServiceName, number>();
  private count503 = 0;
  private readonly pagesServed = new WeakMap<object, number>();
  private readonly hostileServed = new WeakMap<HostileFault, number>();

  /** Slack never gets a probabilistic fault, only the hostile modes aimed at it. */
  constructor(
    private readonly plan: () => FaultPlan,
    private readonly responses: Partial<Record<ServiceName, FaultResponses>>,
  ) {}

  private responsesFor(service: ServiceName, p: FaultPlan): FaultResponses | undefined {
    if (service === 'slack' || (p.only !== undefined && p.only !== service)) return undefined;
    return this.responses[service];
  }

  /** The hostile mode for this request, if any; counts it against the mode's `count`. */
  hostile(service: ServiceName, route: string): HostileFault | undefined {
    const fault = this.plan().hostile?.find(
      (h) => h.service === service && (h.route === undefined || routeMatches(h.route, route)) && this.unspent(h),
    );
    if (fault) this.hostileServed.set(fault, (this.hostileServed.get(fault) ?? 0) + 1);
    return fault;
  }

  private unspent(h: HostileFault): boolean {
    return h.count === undefined || (this.hostileServed.get(h) ?? 0) < h.count;
  }

  /** What a hostile mode answers before the request is processed (undefined: it shapes the delivery instead). */
  hostileAnswer(h: HostileFault, now: number, authorization: string | undefined): PreFault | undefined {
    const responses = this.responses[h.service];
    switch (h.kind) {
      case 'hang':
        return { kind: 'hang' };
      case 'retryAfter': {
        if (!responses) throw new Error(`hostile mode retryAfter: no ${h.status} answer for ${h.service}`);
        const base = h.status === 429 ? responses.tooManyRequests(now, 0) : responses.unavailable({});
        const headers = Object.fromEntries(Object.entries(base.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'retry-after'));
        return { kind: 'respond', fault: 'retryAfter', response: { ...base, headers: { ...headers, 'Retry-After': h.retryAfter } } };
      }
      case 'echoCredentials': {
        const refuse = responses?.credentialsRefused;
        if (!refuse) throw new Error(`hostile mode echoCredentials: ${h.service} has no credentials refusal`);
        return { kind: 'respond', fault: 'echoCredentials', response: refuse(authorization ?? '') };
      }
      default:
        return undefined;
    }
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
    const responses = this.responsesFor(service, p);
    if (!responses) return undefined;
    if ((p.resetConnection ?? 0) > 0 && this.draw(p) < (p.resetConnection ?? 0)) return { kind: 'reset' };
    if ((p.rate429 ?? 0) > 0 && this.draw(p) < (p.rate429 ?? 0)) {
      const nth = this.count429.get(service) ?? 0;
      this.count429.set(service, nth + 1);
      return { kind: 'respond', fault: 'rate429', response: responses.tooManyRequests(now, nth) };
    }
    if ((p.rate503 ?? 0) > 0 && this.draw(p) < (p.rate503 ?? 0)) {
      // Alternate with and without Retry-After (some vendor 503s carry it, some don't).
      const headers: Record<string, string> = this.count503++ % 2 === 0 ? { 'Retry-After': '1' } : {};
      return { kind: 'respond', fault: 'rate503', response: responses.unavailable(headers) };
    }
    const fp = p.failPbPage;
    if (fp && responses.pageFailed && routeMatches(fp.route, route)) {
      const served = this.pagesServed.get(fp) ?? 0;
      this.pagesServed.set(fp, served + 1);
      if (served >= fp.afterPages) return { kind: 'respond', fault: 'failPbPage', response: responses.pageFailed() };
    }
    return undefined;
  }

  /** True when the already-processed response must be dropped; consumes one unit of `loseResponse.count`. */
  loseResponse(service: ServiceName, route: string): boolean {
    const p = this.plan();
    const lr = p.loseResponse;
    if (!this.responsesFor(service, p) || !lr || lr.count <= 0 || !routeMatches(lr.route, route)) return false;
    lr.count -= 1;
    return true;
  }
}

/** A fault route matches the full template ('POST /v2/entities/search') or just its path part. */
export function routeMatches(faultRoute: string, route: string): boolean {
  if (faultRoute === route) return true;
  const space = route.indexOf(' ');
  return space >= 0 && route.slice(space + 1) === faultRoute;
}
