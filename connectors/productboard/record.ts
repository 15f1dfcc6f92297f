import type { z } from 'zod';
import type { RejectedItem } from '../../src/model/source.js';
import { formatPath } from '../../src/util/problems.js';

/** A record read with its schema, and how to reject it for what the schema cannot see. */
export interface ParsedRecord<T> {
  value: T;
  reject(reason: string): RejectedItem;
}

/**
 * One record of a page, parsed, or its rejection naming it by what it says about itself (its id and
 * name, when it has them). Without an id a record can be neither linked to an issue nor told apart
 * from others, so that comes first.
 */
export function parseRecord<T>(raw: unknown, schema: z.ZodType<T>, type: string): ParsedRecord<T> | RejectedItem {
  const record = (raw && typeof raw === 'object' ? raw : {}) as { id?: unknown; fields?: { name?: unknown } };
  const id = typeof record.id === 'string' ? record.id : '';
  const name = typeof record.fields?.name === 'string' ? record.fields.name : null;
  const reject = (reason: string): RejectedItem => ({ id, type, name, reason });
  if (!id.trim()) return reject('no id');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return reject(`${formatPath(issue.path)}: ${issue.message}`);
  }
  return { value: parsed.data, reject };
}
