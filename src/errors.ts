// The small error vocabulary of the engine: every failure a user can see is one of these kinds.
// What a kind *means* (does it stop the pass, did a write happen, which exit code) is decided in
// one table, KIND_POLICY, and read through the predicates below by the applier, reconcile, the
// Slack adapter and the CLI.

export type ErrorKind =
  | 'config' // our own files or environment are wrong: fix the config
  | 'auth' // a service rejected the credentials (401)
  | 'permission' // authenticated but not allowed (403)
  | 'not-found' // a named thing (project, issue type) does not exist
  | 'rate-limit' // retries against 429s were exhausted
  | 'throttled' // the service asked us to wait longer than we are willing to (Retry-After beyond the cap)
  | 'transient' // 5xx / network errors that outlived the retries
  | 'conflict' // someone else holds the lease / a concurrent edit
  | 'invalid-response' // a vendor answered with a shape we cannot use
  | 'rejected' // the vendor refused a request as invalid (400/422)
  | 'ambiguous' // a write failed in a way that leaves unknown whether it happened (timeout, reset, 500)
  | 'interrupted' // SIGTERM/SIGINT
  | 'stale-plan' // a saved plan no longer matches Productboard, Jira or the mapping: nothing was written
  | 'too-many-changes' // the plan writes more issues than --max-changes / sync.maxChanges allow: nothing was written
  | 'bug';

export type Service = 'productboard' | 'jira' | 'slack';

export interface SyncErrorOptions {
  service?: Service;
  endpoint?: string;
  status?: number;
  cause?: unknown;
  /** Lines shown under the headline (e.g. every validation problem). */
  details?: string[];
}

export class SyncError extends Error {
  readonly kind: ErrorKind;
  readonly service: Service | undefined;
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly details: string[];

  constructor(kind: ErrorKind, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.kind = kind;
    this.service = options.service;
    this.endpoint = options.endpoint;
    this.status = options.status;
    this.details = options.details ?? [];
  }
}

export const isSyncError = (error: unknown): error is SyncError => error instanceof SyncError;

const SERVICE_NAMES: Record<Service, string> = { productboard: 'Productboard', jira: 'Jira', slack: 'Slack' };

export const serviceName = (service: Service): string => SERVICE_NAMES[service];

/** One human-readable block for stderr: a headline naming what and where, then details. */
export function describeError(error: unknown): string {
  if (!isSyncError(error)) {
    return `error [bug]: ${messageOf(error)}\n  This is a bug in pb-jira-sync; please report it with the log above.`;
  }
  const where = [error.service ? serviceName(error.service) : undefined, error.endpoint].filter(Boolean).join(' ');
  const head = `error [${error.kind}]${where ? ` ${where}` : ''}: ${error.message}`;
  return [head, ...error.details.map((line) => `  ${line}`)].join('\n');
}

export interface KindPolicy {
  /** Continuing would only repeat the failure on every request, or must not happen: stop the pass. */
  stopsPass: boolean;
  /** The same request may succeed later without anyone changing anything (else a person must act). */
  transient: boolean;
  /** A write that failed this way certainly did not happen (nothing to look up before retrying). */
  writeRefused: boolean;
  /** The exit code of a command that ends with this error. */
  exitCode: number;
}

/**
 * The one error policy. Item-level failures (a create Jira rejects) never stop the pass: they are
 * recorded, reported, and planned again by the next run. An interrupted command exits 130
 * (128 + SIGINT, as shells report it); `schedule` itself stops cleanly with 0.
 */
export const KIND_POLICY: Readonly<Record<ErrorKind, KindPolicy>> = {
  config: { stopsPass: true, transient: false, writeRefused: true, exitCode: 1 },
  auth: { stopsPass: true, transient: false, writeRefused: true, exitCode: 1 },
  permission: { stopsPass: true, transient: false, writeRefused: true, exitCode: 1 },
  'not-found': { stopsPass: false, transient: false, writeRefused: true, exitCode: 1 },
  'rate-limit': { stopsPass: false, transient: true, writeRefused: true, exitCode: 1 },
  // Every later request to that service would be refused the same way: end the pass now, cleanly.
  throttled: { stopsPass: true, transient: true, writeRefused: true, exitCode: 1 },
  transient: { stopsPass: false, transient: true, writeRefused: true, exitCode: 1 },
  conflict: { stopsPass: false, transient: true, writeRefused: false, exitCode: 1 },
  'invalid-response': { stopsPass: false, transient: false, writeRefused: false, exitCode: 1 },
  rejected: { stopsPass: false, transient: false, writeRefused: true, exitCode: 1 },
  ambiguous: { stopsPass: false, transient: true, writeRefused: false, exitCode: 1 },
  interrupted: { stopsPass: true, transient: true, writeRefused: false, exitCode: 130 },
  // Safety checks that refuse a whole pass before its first write: a person must look (save a new
  // plan, or review the changes and raise the limit).
  'stale-plan': { stopsPass: true, transient: false, writeRefused: true, exitCode: 1 },
  'too-many-changes': { stopsPass: true, transient: false, writeRefused: true, exitCode: 1 },
  bug: { stopsPass: true, transient: false, writeRefused: false, exitCode: 1 },
};

/** Anything that is not a SyncError is a bug. */
const policyOf = (error: unknown): KindPolicy => KIND_POLICY[isSyncError(error) ? error.kind : 'bug'];

/** Stop the pass: every later request would fail the same way (or a signal asked us to stop). */
export const stopsPass = (error: unknown): boolean => policyOf(error).stopsPass;

/** A write that failed this way certainly did not happen; any other failure may have written. */
export const writeRefused = (error: unknown): boolean => policyOf(error).writeRefused;

/** Retrying cannot help until a person changes something (a webhook removed, a field required). */
export const isPermanent = (error: unknown): boolean => !policyOf(error).transient;

export const isInterruption = (error: unknown): boolean => isSyncError(error) && error.kind === 'interrupted';

export const exitCodeFor = (error: unknown): number => policyOf(error).exitCode;

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
