// Shared public types of the sandbox (the contract the engine, the demo and the e2e tests build against).

export type ServiceName = 'productboard' | 'jira' | 'slack';

/** Why a response was synthesised instead of coming from the simulator's normal processing. */
export type FaultKind =
  | 'rate429'
  | 'rate503'
  | 'resetConnection'
  | 'loseResponse'
  | 'failPbPage'
  | 'rateLimit';

export interface RequestLogEntry {
  service: ServiceName;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Templated route, e.g. 'PUT /rest/api/3/issue/{id}' or 'POST /v2/entities/search'. */
  route: string;
  /** HTTP status sent; 0 when the socket was destroyed instead of answering. */
  status: number;
  /** Arrival time (ms since epoch). */
  at: number;
  /** Raw query string without the leading '?', '' when none. */
  query: string;
  /** Set when the response was produced by fault injection or an enforced rate limit. */
  fault?: FaultKind;
}

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

export type SlackMode = 'ok' | 'rate-limited' | 'no_service' | 'archived';

export interface SlackWebhookBody {
  text?: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

export interface SlackMessage {
  /** ms since epoch */
  receivedAt: number;
  body: SlackWebhookBody;
}
