import type { Call, SimResponse } from '../kit/http.js';
import type { JiraState } from './state.js';
import { SlidingWindow, TokenBucket } from '../kit/rate-limit.js';

// Jira Cloud's limits for API-token traffic (jira-api.md §8): burst token buckets per endpoint and method
// (GET 100/s, POST 100/s, PUT 50/s, DELETE 50/s, capacity one second's worth) and a per-issue write limit of
// 20 writes per 2 s. Creates don't count against an issue (it doesn't exist yet); edits, property and
// remote-link writes, transitions and deletes of that issue do.

const BURST_RATE: Record<string, number> = { GET: 100, POST: 100, PUT: 50, DELETE: 50, PATCH: 50 };
const PER_ISSUE_LIMIT = 20;
const PER_ISSUE_WINDOW_MS = 2000;
const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE', 'PATCH']);

export class JiraLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly perIssue = new Map<string, SlidingWindow>();

  constructor(private readonly state: JiraState) {}

  /** Returns a 429 when the call is over a limit; otherwise records it and returns undefined. */
  check(call: Call): SimResponse | undefined {
    const now = call.now;
    const rate = BURST_RATE[call.method] ?? 100;
    let bucket = this.buckets.get(call.route);
    if (!bucket) {
      bucket = new TokenBucket(rate, rate, now);
      this.buckets.set(call.route, bucket);
    }
    let window: SlidingWindow | undefined;
    const ref = call.params['id'];
    if (ref !== undefined && WRITE_METHODS.has(call.method)) {
      const issue = this.state.find(ref);
      if (issue) {
        window = this.perIssue.get(issue.id);
        if (!window) {
          window = new SlidingWindow(PER_ISSUE_LIMIT, PER_ISSUE_WINDOW_MS);
          this.perIssue.set(issue.id, window);
        }
        if (window.remaining(now) === 0) return tooMany('jira-per-issue-on-write', PER_ISSUE_LIMIT, now + window.msUntilFree(now));
      }
    }
    if (!bucket.take(now)) return tooMany('jira-burst-based', rate, now + bucket.msUntilToken(now));
    window?.tryHit(now);
    return undefined;
  }
}

function tooMany(reason: string, limit: number, resetAt: number): SimResponse {
  return {
    status: 429,
    headers: {
      'Retry-After': '1',
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': new Date(resetAt).toISOString(),
      'RateLimit-Reason': reason,
    },
    json: { errorMessages: ['Rate limit exceeded.'], errors: {} },
  };
}
