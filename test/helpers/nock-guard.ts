import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** No network in unit tests, and every mock must be consumed (docs/architecture.md, principle 9). */
export function guardNetwork(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'unused HTTP mocks').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}
