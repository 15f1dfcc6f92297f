import { ProductboardClient } from '../../connectors/productboard/client.js';
import { HttpPolicy } from '../../src/http/policy.js';
import { silentLogger } from '../../src/log/logger.js';
import { VirtualClock } from '../../src/util/clock.js';

/** The host of the Productboard documents' examples: their links are absolute URLs on it. */
export const SPEC_HOST = 'https://api.productboard.com';

/** The real connector client on the examples' host (its requests are answered by nock in these tests). */
export const specHostClient = (): ProductboardClient =>
  new ProductboardClient({
    baseUrl: SPEC_HOST,
    token: 'pb-token',
    policy: new HttpPolicy({
      clock: new VirtualClock(),
      logger: silentLogger(),
      lanes: { default: { concurrency: 4, ratePerSecond: Infinity } },
    }),
  });
