// The request log every simulator appends to: what the demo, the e2e tests and the bench count and assert on.

export type ServiceName = 'productboard' | 'jira' | 'slack';

/** Why a response was synthesised or shaped instead of coming from the simulator's normal processing. */
export type FaultKind =
  | 'rate429'
  | 'rate503'
  | 'resetConnection'
  | 'loseResponse'
  | 'failPbPage'
  | 'rateLimit'
  // The hostile-server modes (kit/faults.ts HostileFault).
  | 'trickle'
  | 'hang'
  | 'retryAfter'
  | 'echoCredentials'
  | 'oversized';

export interface RequestLogEntry {
  service: ServiceName;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Templated route, e.g. 'PUT /rest/api/3/issue/{id}' or 'POST /v2/entities/search'. */
  route: string;
  /** HTTP status sent; 0 when the socket was destroyed instead of answering. */
  status: number;
  /** Arrival time on the sandbox's clock (clock.ts), ms since epoch. */
  at: number;
  /** Raw query string without the leading '?', '' when none. */
  query: string;
  /** Set when the response was produced by fault injection or an enforced rate limit. */
  fault?: FaultKind;
  /** With the vendors' contracts: the documented operation the request was checked against, e.g. 'POST /entities/search'. */
  operation?: string;
  /** Set when the sandbox was given the vendors' contracts and refused the request because the specification does. */
  contract?: 'rejected';
}
