// The sandbox's time. Every request is judged at the instant its clock reads when the request arrives: the rate limits
// (token buckets, sliding windows) and the Retry-After and reset times they answer, the Jira search lag, and the
// timestamps a request writes. The system clock by default; a test may hold it still, so that a burst of requests is
// judged at one instant however long a busy machine takes to deliver it, and move it on by hand.

export interface SandboxClock {
  /** ms since epoch */
  now(): number;
}

export const systemClock: SandboxClock = { now: () => Date.now() };
