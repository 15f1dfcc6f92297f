import type { ProductboardClient } from './client.js';

const CONFIGURATION = 'GET /v2/entities/configurations/{type}';

/**
 * Each entity type's configuration (GET /v2/entities/configurations/{type}), read once per process:
 * its statuses and its custom fields are both in it, and `validate` and the delivery writes both
 * need it. A failed read is not remembered: the next use asks again.
 */
export class Configurations {
  private readonly byType = new Map<string, Promise<unknown>>();

  constructor(private readonly client: ProductboardClient) {}

  /** The configuration's `data`, as Productboard sent it (each reader parses what it uses). */
  of(type: string): Promise<unknown> {
    let known = this.byType.get(type);
    if (!known) {
      known = this.client.get(CONFIGURATION, `/v2/entities/configurations/${encodeURIComponent(type)}`);
      known.catch(() => this.byType.delete(type));
      this.byType.set(type, known);
    }
    return known;
  }
}
