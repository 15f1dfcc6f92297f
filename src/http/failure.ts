import { isAxiosError } from 'axios';
import { messageOf } from '../errors.js';
import { scrubSecrets } from '../util/secrets.js';

/** What we know about one failed HTTP attempt, independent of the client library that made it. */
export interface AttemptFailure {
  status: number | undefined;
  headers: Record<string, string>;
  body: unknown;
  /** Node/axios error code for failures without a response (ECONNRESET, ECONNABORTED...). */
  code: string | undefined;
  message: string;
}

export function toAttemptFailure(error: unknown): AttemptFailure {
  if (isAxiosError(error)) {
    const headers: Record<string, string> = {};
    const raw = error.response?.headers ?? {};
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    return {
      status: error.response?.status,
      headers,
      body: error.response?.data,
      code: error.code,
      message: error.message,
    };
  }
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  return { status: undefined, headers: {}, body: undefined, code: typeof code === 'string' ? code : undefined, message };
}

/**
 * Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). Atlassian also sends the legacy
 * Beta-Retry-After; treat both. Returns milliseconds, or undefined when absent/unparseable.
 * (Renovate lib/util/http/retry-after.ts handles the same two forms.)
 */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after'] ?? headers['beta-retry-after'];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A short, human message from a vendor error body: Jira's ErrorCollection
 * ({errorMessages, errors}), Productboard v2 ({errors:[{code,title,detail}]}), Slack's plain text.
 * HTML bodies (Jira sometimes sends an HTML 429 page) are reduced to nothing rather than dumped.
 * This is where vendor text enters our errors, so it is scrubbed here: a server that echoes the
 * request's Authorization header must not put our credentials into a message, a log or the ledger.
 */
export function vendorMessage(body: unknown, secrets: readonly string[]): string | undefined {
  const text = vendorText(body);
  return text === undefined ? undefined : scrubSecrets(text, secrets);
}

function vendorText(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '' || text.startsWith('<')) return undefined;
    return text.slice(0, 300);
  }
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(record.errorMessages)) parts.push(...record.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (record.errors && typeof record.errors === 'object' && !Array.isArray(record.errors)) {
    for (const [field, message] of Object.entries(record.errors as Record<string, unknown>)) parts.push(`${field}: ${String(message)}`);
  }
  if (Array.isArray(record.errors)) {
    for (const entry of record.errors as Array<Record<string, unknown>>) {
      const text = [entry.code, entry.detail ?? entry.title].filter((v) => typeof v === 'string').join(': ');
      if (text) parts.push(text);
    }
  }
  return parts.length ? parts.join('; ').slice(0, 500) : undefined;
}

/** axios refused a body over `maxContentLength` (it reports no status: the response was cut off). */
export const exceededResponseCap = (failure: AttemptFailure): boolean =>
  failure.status === undefined && failure.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(failure.message);

// Codes meaning the request never reached the server: always safe to retry.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const wasNeverSent = (failure: AttemptFailure): boolean =>
  failure.status === undefined && failure.code !== undefined && NOT_SENT_CODES.has(failure.code);
