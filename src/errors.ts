// The small error vocabulary of the engine: every failure a user can see is one of these kinds,
// and `exitCodeFor` / `describeError` are the one place that turns it into an exit code and a message.

export type ErrorKind =
  | 'config' // our own files or environment are wrong: fix the config
  | 'auth' // a service rejected the credentials (401)
  | 'permission' // authenticated but not allowed (403)
  | 'not-found' // a named thing (project, issue type) does not exist
  | 'rate-limit' // retries against 429s were exhausted
  | 'transient' // 5xx / network errors that outlived the retries
  | 'conflict' // someone else holds the lease / a concurrent edit
  | 'invalid-response' // a vendor answered with a shape we cannot use
  | 'rejected' // the vendor refused a request as invalid (400/422)
  | 'incomplete-read' // a pull did not finish, so nothing may be concluded from it
  | 'interrupted' // SIGTERM/SIGINT
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
    const message = error instanceof Error ? error.message : String(error);
    return `error [bug]: ${message}\n  This is a bug in pb-jira-sync; please report it with the log above.`;
  }
  const where = [error.service ? serviceName(error.service) : undefined, error.endpoint].filter(Boolean).join(' ');
  const head = `error [${error.kind}]${where ? ` ${where}` : ''}: ${error.message}`;
  return [head, ...error.details.map((line) => `  ${line}`)].join('\n');
}

/** Exit codes: 0 success, 1 error; `reconcile` adds 2 for "findings" on its own. */
export function exitCodeFor(error: unknown): number {
  return isSyncError(error) && error.kind === 'interrupted' ? 0 : 1;
}
