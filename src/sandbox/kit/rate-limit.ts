// Two limiter shapes, matching what each vendor documents:
// - Jira burst limits are token buckets per tenant, endpoint path and HTTP method, and the per-issue write limit is a
//   count in a window (20 writes / 2 s) (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).
// - Productboard allows 50 requests per second per token (https://developer.productboard.com/v2.0.0/reference/rate-limits);
//   a sliding 1 s window.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSec: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
      this.last = now;
    }
  }

  /** Takes one token; false when the bucket is empty (the caller answers 429). */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** ms until one whole token is available again. */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }
}

export class SlidingWindow {
  private hits: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let i = 0;
    while (i < this.hits.length && (this.hits[i] ?? 0) <= cutoff) i++;
    if (i > 0) this.hits.splice(0, i);
  }

  /** Records a hit when under the limit; false when the window is full. */
  tryHit(now: number): boolean {
    this.prune(now);
    if (this.hits.length >= this.limit) return false;
    this.hits.push(now);
    return true;
  }

  remaining(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.hits.length);
  }

  /** ms until the oldest hit leaves the window. */
  msUntilFree(now: number): number {
    this.prune(now);
    if (this.hits.length < this.limit) return 0;
    return Math.max(1, (this.hits[0] ?? now) + this.windowMs - now);
  }
}
