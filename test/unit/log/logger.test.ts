import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';

const capture = () => {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { lines, destination };
};

describe('logger', () => {
  it("keeps an error's message while scrubbing secret values out of it", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', secrets: ['s3cret-token-value'], destination });
    logger.warn({ err: new SyncError('rejected', 'edit refused for s3cret-token-value', { service: 'jira' }) }, 'issue edit failed');
    const line = JSON.parse(lines[0]!) as { err: { message: string; kind: string }; msg: string };
    expect(line.msg).toBe('issue edit failed');
    expect(line.err).toMatchObject({ message: 'edit refused for [redacted]', kind: 'rejected' });
    expect(lines[0]).not.toContain('s3cret-token-value');
  });

  it('redacts secret-bearing fields by path', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', destination }).info(
      { apiToken: 'abc123456', config: { headers: { Authorization: 'Basic xyz' } } },
      'request',
    );
    expect(lines[0]).not.toContain('abc123456');
    expect(lines[0]).not.toContain('Basic xyz');
  });
});
