import type { LaneLimits } from './policy.js';

/**
 * The vendors' published limits, as lanes: Productboard 50 requests/s per token (one lane,
 * https://developer.productboard.com/reference/rate-limits); Jira burst buckets per endpoint and
 * method of 100 GET and 100 POST per second, 50 PUT and DELETE (one lane per endpoint,
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/); Slack about 1 message/s per
 * webhook. We pace a little under each, evenly (`pacing` in policy.ts: a sliding window, so no
 * second ever carries more than the rate), so steady traffic does not trip the limit even when
 * network jitter bunches requests by a few tens of milliseconds on arrival, and allow enough
 * requests in flight to reach that rate at a few hundred milliseconds of latency.
 */
export const DEFAULT_LANES: Record<string, LaneLimits> = {
  productboard: { concurrency: 16, ratePerSecond: 47 },
  'jira:GET': { concurrency: 32, ratePerSecond: 95 },
  'jira:POST': { concurrency: 32, ratePerSecond: 95 },
  'jira:PUT': { concurrency: 32, ratePerSecond: 47 },
  'jira:DELETE': { concurrency: 16, ratePerSecond: 47 },
  slack: { concurrency: 1, ratePerSecond: 1 },
};
