import type { Call, SimResponse } from '../kit/http.js';
import { getOrCreate } from '../kit/maps.js';
import { SlidingWindow, TokenBucket } from '../kit/rate-limit.js';
import { tooManyRequests } from './errors.js';
import type { JiraState } from './state.js';

// Jira Cloud's limits for API-token traffic (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): burst
// token buckets per endpoint and method (GET 100/s, POST 100/s, PUT 50/s, DELETE 50/s, capacity one second's worth) and
// a per-issue write limit of 20 writes per 2 s. Creates don't count against an issue (it doesn't exist yet); edits,
// property and remote-link writes, transitions and deletes of that issue do.

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
    const bucket = getOrCreate(this.buckets, call.route, () => new TokenBucket(rate, rate, now));
    let window: SlidingWindow | undefined;
    const ref = call.params['id'];
    if (ref !== undefined && WRITE_METHODS.has(call.method)) {
      const issue = this.state.find(ref);
      if (issue) {
        window = getOrCreate(this.perIssue, issue.id, () => new SlidingWindow(PER_ISSUE_LIMIT, PER_ISSUE_WINDOW_MS));
        if (window.remaining(now) === 0) return tooManyRequests('jira-per-issue-on-write', PER_ISSUE_LIMIT, now + window.msUntilFree(now));
      }
    }
    if (!bucket.take(now)) return tooManyRequests('jira-burst-based', rate, now + bucket.msUntilToken(now));
    window?.tryHit(now);
    return undefined;
  }
}
