import type { z } from 'zod';
import { SyncError, type Service } from '../errors.js';
import { formatPath } from '../util/problems.js';

/**
 * Parses a vendor response at the boundary. A shape we cannot use is an `invalid-response` error
 * naming the service, endpoint and field, instead of a crash deeper in the engine.
 */
export function parseResponse<T>(schema: z.ZodType<T>, data: unknown, service: Service, route: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatPath(issue.path) || '(body)';
  const shown = typeof data === 'string' ? ' (the body was text, not JSON)' : '';
  throw new SyncError('invalid-response', `unexpected response: ${field}: ${issue.message}${shown}`, { service, endpoint: route });
}
